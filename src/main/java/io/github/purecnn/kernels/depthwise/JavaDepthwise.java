package io.github.purecnn.kernels.depthwise;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;

import java.util.Arrays;

/**
 * The plain-Java depthwise convolution: the canonical order of {@link ReferenceDepthwise}, with
 * loops arranged for HotSpot's auto-vectoriser. The innermost loops run over the channels of one
 * pixel, which are independent outputs of the same term (forward: {@code out[c] = fma(in[c],
 * kernel[cell, c], out[c])}; input gradient: {@code dIn[c] = fma(dOut[c], kernel[cell, c], dIn[c])};
 * kernel gradient: {@code dKernel[cell, c] = fma(in[c], dOut[c], dKernel[cell, c])}), unit-stride
 * for a depth multiplier of 1, so vectorising them never reorders a sum; with a multiplier M the
 * loop runs over the C * M outputs with each input channel read M times in a row.
 *
 * <p>Legend: n images; H, W, C input; R, S window; M depth multiplier; OH, OW output.
 */
public final class JavaDepthwise implements DepthwisePlan {
    private final Window2D g;
    private final int multiplier;

    /** The plan for a depthwise convolution over {@code g} with {@code multiplier} filters per channel, on plain-Java loops. */
    public JavaDepthwise(Window2D g, int multiplier) {
        this.g = g;
        this.multiplier = multiplier;
    }

    @Override
    public String name() {
        return "java depthwise";
    }

    @Override
    public Window2D geometry() {
        return g;
    }

    @Override
    public int multiplier() {
        return multiplier;
    }

    @Override
    public void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), M = multiplier, CM = C * M;
        int OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                for (int ox = 0; ox < OW; ox++) {
                    int o = ((b * OH + oy) * OW + ox) * CM;
                    Arrays.fill(out, o, o + CM, 0f);
                    for (int r = 0; r < R; r++) {
                        int iy = g.inRow(oy, r);
                        if (iy < 0 || iy >= H) {
                            continue;
                        }
                        for (int s = 0; s < S; s++) {
                            int ix = g.inCol(ox, s);
                            if (ix < 0 || ix >= W) {
                                continue;
                            }
                            int i = ((b * H + iy) * W + ix) * C;
                            int k = (r * S + s) * CM;
                            if (M == 1) {
                                for (int c = 0; c < C; c++) {
                                    out[o + c] = Math.fma(in[i + c], kernel[k + c], out[o + c]);
                                }
                            } else {
                                for (int j = 0; j < CM; j++) {
                                    out[o + j] = Math.fma(in[i + j / M], kernel[k + j], out[o + j]);
                                }
                            }
                        }
                    }
                    if (bias != null) {
                        for (int j = 0; j < CM; j++) {
                            out[o + j] += bias[j];
                        }
                    }
                    if (relu) {
                        for (int j = 0; j < CM; j++) {
                            out[o + j] = Math.max(out[o + j], 0f);
                        }
                    }
                }
            }
        }
    }

    @Override
    public void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), M = multiplier, CM = C * M;
        int OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int iy = 0; iy < H; iy++) {
                for (int ix = 0; ix < W; ix++) {
                    int i = ((b * H + iy) * W + ix) * C;
                    Arrays.fill(dIn, i, i + C, 0f);
                    for (int r = 0; r < R; r++) {
                        int oy = g.outRow(iy, r);
                        if (oy < 0) {
                            continue;
                        }
                        for (int s = 0; s < S; s++) {
                            int ox = g.outCol(ix, s);
                            if (ox < 0) {
                                continue;
                            }
                            int o = ((b * OH + oy) * OW + ox) * CM;
                            int k = (r * S + s) * CM;
                            if (M == 1) {
                                for (int c = 0; c < C; c++) {
                                    dIn[i + c] = Math.fma(dOut[o + c], kernel[k + c], dIn[i + c]);
                                }
                            } else {
                                for (int c = 0; c < C; c++) {
                                    float acc = dIn[i + c];
                                    for (int m = 0; m < M; m++) {
                                        acc = Math.fma(dOut[o + c * M + m], kernel[k + c * M + m], acc);
                                    }
                                    dIn[i + c] = acc;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), M = multiplier, CM = C * M;
        int OH = g.outH(), OW = g.outW();
        Arrays.fill(dKernel, 0, R * S * CM, 0f);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                for (int ox = 0; ox < OW; ox++) {
                    int o = ((b * OH + oy) * OW + ox) * CM;
                    for (int r = 0; r < R; r++) {
                        int iy = g.inRow(oy, r);
                        if (iy < 0 || iy >= H) {
                            continue;
                        }
                        for (int s = 0; s < S; s++) {
                            int ix = g.inCol(ox, s);
                            if (ix < 0 || ix >= W) {
                                continue;
                            }
                            int i = ((b * H + iy) * W + ix) * C;
                            int k = (r * S + s) * CM;
                            if (M == 1) {
                                for (int c = 0; c < C; c++) {
                                    dKernel[k + c] = Math.fma(in[i + c], dOut[o + c], dKernel[k + c]);
                                }
                            } else {
                                for (int j = 0; j < CM; j++) {
                                    dKernel[k + j] = Math.fma(in[i + j / M], dOut[o + j], dKernel[k + j]);
                                }
                            }
                        }
                    }
                }
            }
        }
        if (dBias != null) {
            Arrays.fill(dBias, 0, CM, 0f);
            int pixels = n * OH * OW;
            for (int p = 0; p < pixels; p++) {
                for (int j = 0; j < CM; j++) {
                    dBias[j] += dOut[p * CM + j];
                }
            }
        }
    }
}
