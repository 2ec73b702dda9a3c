package io.github.purecnn.kernels.pool;

import io.github.purecnn.kernels.Window2D;

import java.util.Arrays;

/**
 * Average and max pooling written out one output at a time: the yardstick of every pooling plan,
 * and fast enough to serve wherever no faster plan was chosen.
 *
 * <p>Orders: an average adds its cells row by row from zero, then multiplies by
 * {@code 1f / cells}; its input gradient adds, for each input cell, {@code dOut * (1f / cells)}
 * of the windows over it in output order. A maximum keeps the first of equal values, row by row;
 * its input gradient adds the dOut of the windows whose maximum the cell was, in output order.
 */
public final class ReferencePool implements PoolPlan {
    private final Window2D g;
    private final boolean max;

    private ReferencePool(Window2D g, boolean max) {
        this.g = g;
        this.max = max;
    }

    public static ReferencePool average(Window2D g) {
        return new ReferencePool(g, false);
    }

    public static ReferencePool max(Window2D g) {
        return new ReferencePool(g, true);
    }

    @Override
    public String name() {
        return max ? "reference max" : "reference average";
    }

    @Override
    public Window2D geometry() {
        return g;
    }

    @Override
    public boolean recordsArgmax() {
        return max;
    }

    @Override
    public void forward(float[] out, int[] argmax, float[] in, int n) {
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(g.inRow(oy, 0), 0);
                int y1 = Math.min(g.inRow(oy, 0) + g.kH(), H);
                for (int ox = 0; ox < OW; ox++) {
                    int x0 = Math.max(g.inCol(ox, 0), 0);
                    int x1 = Math.min(g.inCol(ox, 0) + g.kW(), W);
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int o = ((b * OH + oy) * OW + ox) * C;
                    for (int c = 0; c < C; c++) {
                        if (max) {
                            int best = ((b * H + y0) * W + x0) * C + c;
                            for (int iy = y0; iy < y1; iy++) {
                                for (int ix = x0; ix < x1; ix++) {
                                    int at = ((b * H + iy) * W + ix) * C + c;
                                    if (in[at] > in[best]) {
                                        best = at;
                                    }
                                }
                            }
                            out[o + c] = in[best];
                            argmax[o + c] = best;
                        } else {
                            float sum = 0f;
                            for (int iy = y0; iy < y1; iy++) {
                                for (int ix = x0; ix < x1; ix++) {
                                    sum += in[((b * H + iy) * W + ix) * C + c];
                                }
                            }
                            out[o + c] = sum * inv;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void backward(float[] dIn, float[] dOut, int[] argmax, int n) {
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW();
        Arrays.fill(dIn, 0, n * g.inSize(), 0f);
        if (max) {
            int outLen = n * OH * OW * C;
            for (int o = 0; o < outLen; o++) {
                dIn[argmax[o]] += dOut[o];
            }
            return;
        }
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(g.inRow(oy, 0), 0);
                int y1 = Math.min(g.inRow(oy, 0) + g.kH(), H);
                for (int ox = 0; ox < OW; ox++) {
                    int x0 = Math.max(g.inCol(ox, 0), 0);
                    int x1 = Math.min(g.inCol(ox, 0) + g.kW(), W);
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int o = ((b * OH + oy) * OW + ox) * C;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            int i = ((b * H + iy) * W + ix) * C;
                            for (int c = 0; c < C; c++) {
                                dIn[i + c] += dOut[o + c] * inv;
                            }
                        }
                    }
                }
            }
        }
    }
}
