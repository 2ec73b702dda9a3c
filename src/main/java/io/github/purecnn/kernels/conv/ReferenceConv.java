package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;

/**
 * The yardstick: every output computed on its own, its terms added in the canonical order (see
 * the package documentation of {@code io.github.purecnn.kernels}), one {@link Math#fma} per term,
 * with the index arithmetic written out. Every other plan must give these values bit for bit.
 *
 * <p>Legend: n images; H, W, C input height, width, channels; R, S window; K filters; OH, OW output.
 */
public final class ReferenceConv implements ConvPlan {
    private final Window2D g;
    private final int filters;

    public ReferenceConv(Window2D g, int filters) {
        this.g = g;
        this.filters = filters;
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Window2D geometry() {
        return g;
    }

    @Override
    public int filters() {
        return filters;
    }

    /** out[b, oy, ox, k] = (sum over r, s, c of in[b, iy, ix, c] * kernel[r, s, c, k]) + bias[k]. */
    @Override
    public void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), K = filters;
        int OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                for (int ox = 0; ox < OW; ox++) {
                    for (int k = 0; k < K; k++) {
                        float acc = 0f;
                        for (int r = 0; r < R; r++) {
                            int iy = g.inRow(oy, r);
                            if (iy < 0 || iy >= H) {
                                continue;                   // padding: a zero term
                            }
                            for (int s = 0; s < S; s++) {
                                int ix = g.inCol(ox, s);
                                if (ix < 0 || ix >= W) {
                                    continue;
                                }
                                for (int c = 0; c < C; c++) {
                                    acc = Math.fma(in[((b * H + iy) * W + ix) * C + c], kernel[((r * S + s) * C + c) * K + k], acc);
                                }
                            }
                        }
                        float y = bias == null ? acc : acc + bias[k];
                        out[((b * OH + oy) * OW + ox) * K + k] = relu ? Math.max(y, 0f) : y;
                    }
                }
            }
        }
    }

    /**
     * dIn[b, iy, ix, c] = sum over window cells r, s (in order) that put (iy, ix) under an output
     * (oy, ox), and over k, of dOut[b, oy, ox, k] * kernel[r, s, c, k].
     */
    @Override
    public void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), K = filters;
        int OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int iy = 0; iy < H; iy++) {
                for (int ix = 0; ix < W; ix++) {
                    for (int c = 0; c < C; c++) {
                        float acc = 0f;
                        for (int r = 0; r < R; r++) {
                            int oy = outputAt(iy + g.padTop() - r * g.dilationH(), g.strideH(), OH);
                            if (oy < 0) {
                                continue;
                            }
                            for (int s = 0; s < S; s++) {
                                int ox = outputAt(ix + g.padLeft() - s * g.dilationW(), g.strideW(), OW);
                                if (ox < 0) {
                                    continue;
                                }
                                for (int k = 0; k < K; k++) {
                                    acc = Math.fma(dOut[((b * OH + oy) * OW + ox) * K + k], kernel[((r * S + s) * C + c) * K + k], acc);
                                }
                            }
                        }
                        dIn[((b * H + iy) * W + ix) * C + c] = acc;
                    }
                }
            }
        }
    }

    /** The output index o with o * stride == offset, if there is one in [0, count); else -1. */
    static int outputAt(int offset, int stride, int count) {
        if (offset < 0 || offset % stride != 0) {
            return -1;
        }
        int o = offset / stride;
        return o < count ? o : -1;
    }

    /**
     * dKernel[r, s, c, k] = sum over b, oy, ox (in order) of in[b, iy, ix, c] * dOut[b, oy, ox, k];
     * dBias[k] = sum over b, oy, ox of dOut[b, oy, ox, k], added one by one.
     */
    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch) {
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), K = filters;
        int OH = g.outH(), OW = g.outW();
        for (int r = 0; r < R; r++) {
            for (int s = 0; s < S; s++) {
                for (int c = 0; c < C; c++) {
                    for (int k = 0; k < K; k++) {
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
                                    acc = Math.fma(in[((b * H + iy) * W + ix) * C + c], dOut[((b * OH + oy) * OW + ox) * K + k], acc);
                                }
                            }
                        }
                        dKernel[((r * S + s) * C + c) * K + k] = acc;
                    }
                }
            }
        }
        if (dBias != null) {
            for (int k = 0; k < K; k++) {
                float acc = 0f;
                for (int p = 0; p < n * OH * OW; p++) {
                    acc += dOut[p * K + k];
                }
                dBias[k] = acc;
            }
        }
    }
}
