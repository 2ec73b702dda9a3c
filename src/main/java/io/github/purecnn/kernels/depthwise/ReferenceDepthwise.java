package io.github.purecnn.kernels.depthwise;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;

/**
 * The yardstick of the depthwise convolution: every output computed on its own, its terms added
 * in the canonical order, one {@link Math#fma} per term, from +0, with the index arithmetic
 * written out. The orders (cells outside the input are padding and add nothing):
 * <ul>
 *   <li>{@code out[b, oy, ox, c*M + m]}: over the window cells r, then s, of
 *       {@code in[b, iy, ix, c] * kernel[r, s, c, m]}; then {@code + bias[c*M + m]}; then ReLU as
 *       {@code Math.max(x, 0f)};</li>
 *   <li>{@code dIn[b, iy, ix, c]}: over the window cells r, s (in order) that put the cell under an
 *       output (oy, ox), and for each over m, of {@code dOut[b, oy, ox, c*M + m] * kernel[r, s, c, m]};</li>
 *   <li>{@code dKernel[r, s, c, m]}: over the shard's output pixels b, oy, ox in order, of
 *       {@code in[b, iy, ix, c] * dOut[b, oy, ox, c*M + m]}; {@code dBias[j]}: plain additions of
 *       {@code dOut[b, oy, ox, j]} from +0 in the same order.</li>
 * </ul>
 *
 * <p>Legend: n images; H, W, C input; R, S window; M depth multiplier; OH, OW output.
 */
public final class ReferenceDepthwise implements DepthwisePlan {
    private final Window2D g;
    private final int multiplier;

    /** The plan for a depthwise convolution over {@code g} with {@code multiplier} filters per channel, on the reference loops. */
    public ReferenceDepthwise(Window2D g, int multiplier) {
        this.g = g;
        this.multiplier = multiplier;
    }

    @Override
    public String name() {
        return "reference depthwise";
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
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), M = multiplier;
        int OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                for (int ox = 0; ox < OW; ox++) {
                    for (int c = 0; c < C; c++) {
                        for (int m = 0; m < M; m++) {
                            float acc = 0f;
                            for (int r = 0; r < R; r++) {
                                int iy = g.inRow(oy, r);
                                if (iy < 0 || iy >= H) {
                                    continue;               // padding: a zero term
                                }
                                for (int s = 0; s < S; s++) {
                                    int ix = g.inCol(ox, s);
                                    if (ix < 0 || ix >= W) {
                                        continue;
                                    }
                                    acc = Math.fma(in[((b * H + iy) * W + ix) * C + c], kernel[((r * S + s) * C + c) * M + m], acc);
                                }
                            }
                            int j = c * M + m;
                            float y = bias == null ? acc : acc + bias[j];
                            out[((b * OH + oy) * OW + ox) * C * M + j] = relu ? Math.max(y, 0f) : y;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), M = multiplier;
        int OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int iy = 0; iy < H; iy++) {
                for (int ix = 0; ix < W; ix++) {
                    for (int c = 0; c < C; c++) {
                        float acc = 0f;
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
                                for (int m = 0; m < M; m++) {
                                    acc = Math.fma(dOut[((b * OH + oy) * OW + ox) * C * M + c * M + m],
                                            kernel[((r * S + s) * C + c) * M + m], acc);
                                }
                            }
                        }
                        dIn[((b * H + iy) * W + ix) * C + c] = acc;
                    }
                }
            }
        }
    }

    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), M = multiplier;
        int OH = g.outH(), OW = g.outW();
        for (int r = 0; r < R; r++) {
            for (int s = 0; s < S; s++) {
                for (int c = 0; c < C; c++) {
                    for (int m = 0; m < M; m++) {
                        float acc = 0f;
                        for (int b = 0; b < n; b++) {
                            for (int oy = 0; oy < OH; oy++) {
                                int iy = g.inRow(oy, r);
                                if (iy < 0 || iy >= H) {
                                    continue;
                                }
                                for (int ox = 0; ox < OW; ox++) {
                                    int ix = g.inCol(ox, s);
                                    if (ix < 0 || ix >= W) {
                                        continue;
                                    }
                                    acc = Math.fma(in[((b * H + iy) * W + ix) * C + c],
                                            dOut[((b * OH + oy) * OW + ox) * C * M + c * M + m], acc);
                                }
                            }
                        }
                        dKernel[((r * S + s) * C + c) * M + m] = acc;
                    }
                }
            }
        }
        if (dBias != null) {
            int CM = C * M;
            for (int j = 0; j < CM; j++) {
                float acc = 0f;
                for (int p = 0; p < n * OH * OW; p++) {
                    acc += dOut[p * CM + j];
                }
                dBias[j] = acc;
            }
        }
    }
}
