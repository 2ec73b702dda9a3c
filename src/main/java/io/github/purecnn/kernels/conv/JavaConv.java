package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;

import java.util.Arrays;

/**
 * The plain-Java convolution: the canonical order of {@link ReferenceConv}, with loops arranged
 * for HotSpot's auto-vectoriser. Every innermost loop is {@code y[j] = Math.fma(a, x[j], y[j])}
 * over the independent outputs of one term (the K filters of a pixel, or the C channels of an
 * input cell), so vectorising it never reorders a sum; the outputs of a block of pixels take their
 * terms in turn, so that an output row is not reloaded right after it was stored.
 *
 * <p>The input gradient reads a copy of the kernel transposed per window cell, (R, S, K, C), made
 * by {@link #pack} whenever the kernel changes.
 *
 * <p>Legend: n images; H, W, C input height, width, channels; R, S window; K filters; OH, OW output.
 */
public final class JavaConv implements ConvPlan {
    /** Output pixels that take each term in turn. */
    private static final int BLOCK = 8;

    private final Window2D g;
    private final int filters;

    public JavaConv(Window2D g, int filters) {
        this.g = g;
        this.filters = filters;
    }

    @Override
    public String name() {
        return "java";
    }

    @Override
    public Window2D geometry() {
        return g;
    }

    @Override
    public int filters() {
        return filters;
    }

    @Override
    public int packedSize() {
        return g.taps() * filters;
    }

    /** packed (R, S, K, C) writes: the kernel with K and C swapped in each window cell. */
    @Override
    public void pack(float[] packed, float[] kernel) {
        int C = g.channels(), K = filters;
        for (int cell = 0; cell < g.kH() * g.kW(); cell++) {
            int base = cell * C * K;
            for (int c = 0; c < C; c++) {
                for (int k = 0; k < K; k++) {
                    packed[base + k * C + c] = kernel[base + c * K + k];
                }
            }
        }
    }

    @Override
    public void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), K = filters;
        int OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                for (int ox0 = 0; ox0 < OW; ox0 += BLOCK) {
                    int count = Math.min(BLOCK, OW - ox0);
                    int outBlock = ((b * OH + oy) * OW + ox0) * K;
                    Arrays.fill(out, outBlock, outBlock + count * K, 0f);
                    for (int r = 0; r < R; r++) {
                        int iy = g.inRow(oy, r);
                        if (iy < 0 || iy >= H) {
                            continue;
                        }
                        int inRow = (b * H + iy) * W;
                        for (int s = 0; s < S; s++) {
                            for (int c = 0; c < C; c++) {
                                int kernelRow = ((r * S + s) * C + c) * K;
                                for (int p = 0; p < count; p++) {
                                    int ix = g.inCol(ox0 + p, s);
                                    if (ix < 0 || ix >= W) {
                                        continue;
                                    }
                                    float a = in[(inRow + ix) * C + c];
                                    int o = outBlock + p * K;
                                    for (int k = 0; k < K; k++) {
                                        out[o + k] = Math.fma(a, kernel[kernelRow + k], out[o + k]);
                                    }
                                }
                            }
                        }
                    }
                    finish(out, outBlock, count, bias, relu);
                }
            }
        }
    }

    /** out rows [outBlock, + count * K) become {@code acc + bias}, then {@code max(., 0)} when relu. */
    private void finish(float[] out, int outBlock, int count, float[] bias, boolean relu) {
        int K = filters;
        for (int p = 0; p < count; p++) {
            int o = outBlock + p * K;
            if (bias != null) {
                for (int k = 0; k < K; k++) {
                    out[o + k] += bias[k];
                }
            }
            if (relu) {
                for (int k = 0; k < K; k++) {
                    out[o + k] = Math.max(out[o + k], 0f);
                }
            }
        }
    }

    @Override
    public void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), K = filters;
        int OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int iy = 0; iy < H; iy++) {
                for (int ix0 = 0; ix0 < W; ix0 += BLOCK) {
                    int count = Math.min(BLOCK, W - ix0);
                    int inBlock = ((b * H + iy) * W + ix0) * C;
                    Arrays.fill(dIn, inBlock, inBlock + count * C, 0f);
                    for (int r = 0; r < R; r++) {
                        int oy = ReferenceConv.outputAt(iy + g.padTop() - r * g.dilationH(), g.strideH(), OH);
                        if (oy < 0) {
                            continue;
                        }
                        int outRow = (b * OH + oy) * OW;
                        for (int s = 0; s < S; s++) {
                            int cell = (r * S + s) * K * C;
                            for (int p = 0; p < count; p++) {
                                int ox = ReferenceConv.outputAt(ix0 + p + g.padLeft() - s * g.dilationW(), g.strideW(), OW);
                                if (ox < 0) {
                                    continue;
                                }
                                int o = (outRow + ox) * K;
                                int i = inBlock + p * C;
                                for (int k = 0; k < K; k++) {
                                    float d = dOut[o + k];
                                    int packedRow = cell + k * C;
                                    for (int c = 0; c < C; c++) {
                                        dIn[i + c] = Math.fma(d, packed[packedRow + c], dIn[i + c]);
                                    }
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
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), K = filters;
        int OH = g.outH(), OW = g.outW();
        Arrays.fill(dKernel, 0, g.taps() * K, 0f);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                for (int ox = 0; ox < OW; ox++) {
                    int o = ((b * OH + oy) * OW + ox) * K;
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
                            int kernelCell = (r * S + s) * C * K;
                            for (int c = 0; c < C; c++) {
                                float a = in[i + c];
                                int row = kernelCell + c * K;
                                for (int k = 0; k < K; k++) {
                                    dKernel[row + k] = Math.fma(a, dOut[o + k], dKernel[row + k]);
                                }
                            }
                        }
                    }
                }
            }
        }
        if (dBias != null) {
            Arrays.fill(dBias, 0, K, 0f);
            int pixels = n * OH * OW;
            for (int p = 0; p < pixels; p++) {
                for (int k = 0; k < K; k++) {
                    dBias[k] += dOut[p * K + k];
                }
            }
        }
    }
}
