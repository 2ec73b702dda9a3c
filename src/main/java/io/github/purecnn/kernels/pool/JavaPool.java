package io.github.purecnn.kernels.pool;

import io.github.purecnn.kernels.Window2D;

import java.util.Arrays;

/**
 * Pooling for the plain-Java path, the values of {@link ReferencePool} bit for bit. The forward
 * pass walks each output pixel's window cell by cell with the channels innermost (the reference
 * walks the window per channel); whole 2x2 windows, the common case, are written out.
 *
 * <p>Max pooling selects without branches, whose outcome on activations is a coin toss: the
 * reference's comparison {@code in[at] > in[best]} becomes a mask, -1 or 0, from the bits of the
 * difference ({@link #greater}), and the mask picks the index. mnist_convnet's first pooling
 * (26x26x32, 2x2), per shard of 16: 835 us in the reference, 337-425 us so.
 *
 * <p>Backward: the reference's, already in that shape, except average pooling over windows that do
 * not overlap, which writes each cell's share instead of adding it.
 */
public final class JavaPool implements PoolPlan {
    private final Window2D g;
    private final boolean max;
    private final ReferencePool reference;
    /** cellOffset[i]: window cell i = (r, s) from the window's first cell, (kH*kW) */
    private final int[] cellOffset;

    private JavaPool(Window2D g, boolean max) {
        this.g = g;
        this.max = max;
        this.reference = max ? ReferencePool.max(g) : ReferencePool.average(g);
        cellOffset = new int[g.kH() * g.kW()];
        for (int r = 0; r < g.kH(); r++) {
            for (int s = 0; s < g.kW(); s++) {
                cellOffset[r * g.kW() + s] = (r * g.inW() + s) * g.channels();
            }
        }
    }

    /** Average pooling of this geometry. */
    public static JavaPool average(Window2D g) {
        return new JavaPool(g, false);
    }

    /** Max pooling of this geometry. */
    public static JavaPool max(Window2D g) {
        return new JavaPool(g, true);
    }

    @Override
    public String name() {
        return name(max);
    }

    /** The name of the max or average pooling plan. */
    public static String name(boolean max) {
        return max ? "java max" : "java average";
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
                int top = g.inRow(oy, 0);
                int y0 = Math.max(top, 0), y1 = Math.min(top + g.kH(), H);
                for (int ox = 0; ox < OW; ox++) {
                    int left = g.inCol(ox, 0);
                    int x0 = Math.max(left, 0), x1 = Math.min(left + g.kW(), W);
                    int o = ((b * OH + oy) * OW + ox) * C;
                    int first = ((b * H + y0) * W + x0) * C;
                    boolean whole = y1 - y0 == g.kH() && x1 - x0 == g.kW();
                    if (max && whole && cellOffset.length == 4) {
                        maxWindow2x2(out, argmax, in, o, first);
                    } else if (max && whole) {
                        maxWindow(out, argmax, in, o, first);
                    } else if (max) {
                        maxClipped(out, argmax, in, o, b, y0, y1, x0, x1);
                    } else if (whole && cellOffset.length == 4) {
                        averageWindow2x2(out, in, o, first);
                    } else {
                        averageWindow(out, in, o, b, y0, y1, x0, x1);
                    }
                }
            }
        }
    }

    /**
     * -1 where {@code v > best}, else 0, without a branch: two different floats never subtract to
     * zero, so v &gt; best exactly when {@code v - best} is positive and not NaN (a NaN operand makes
     * it NaN, equal operands +0, as the comparison is false for both), which the bits of the
     * difference tell as in ReLU's backward pass.
     */
    static int greater(float v, float best) {
        int d = Float.floatToRawIntBits(v - best);
        return (-d & (d - 0x7f800001)) >> 31;
    }

    /** As {@link #maxWindow} for a whole 2x2 window, its cells written out (515 against 355 us per shard on mnist_convnet's first pooling). */
    private void maxWindow2x2(float[] out, int[] argmax, float[] in, int o, int first) {
        int C = g.channels();
        int b1 = first + cellOffset[1], b2 = first + cellOffset[2], b3 = first + cellOffset[3];
        for (int c = 0; c < C; c++) {
            int idx = first + c;
            int take = greater(in[b1 + c], in[idx]);
            idx ^= (idx ^ (b1 + c)) & take;
            take = greater(in[b2 + c], in[idx]);
            idx ^= (idx ^ (b2 + c)) & take;
            take = greater(in[b3 + c], in[idx]);
            idx ^= (idx ^ (b3 + c)) & take;
            out[o + c] = in[idx];
            argmax[o + c] = idx;
        }
    }

    /**
     * out, argmax [o, o + C) write the maximum over a whole window starting at in[first]: the
     * window's cells in turn, each over all channels, the index so far kept in argmax.
     */
    private void maxWindow(float[] out, int[] argmax, float[] in, int o, int first) {
        int C = g.channels();
        for (int c = 0; c < C; c++) {
            argmax[o + c] = first + c;
        }
        for (int i = 1; i < cellOffset.length; i++) {
            int cell = first + cellOffset[i];
            for (int c = 0; c < C; c++) {
                int idx = argmax[o + c], at = cell + c;
                int take = greater(in[at], in[idx]);
                argmax[o + c] = idx ^ ((idx ^ at) & take);
            }
        }
        for (int c = 0; c < C; c++) {
            out[o + c] = in[argmax[o + c]];
        }
    }

    /** As {@link #maxWindow} for a window clipped to rows [y0, y1) and columns [x0, x1) of image b. */
    private void maxClipped(float[] out, int[] argmax, float[] in, int o, int b, int y0, int y1, int x0, int x1) {
        int H = g.inH(), W = g.inW(), C = g.channels();
        for (int c = 0; c < C; c++) {
            int idx = ((b * H + y0) * W + x0) * C + c;
            for (int iy = y0; iy < y1; iy++) {
                for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++) {
                    int at = ((b * H + iy) * W + ix) * C + c;
                    int take = greater(in[at], in[idx]);
                    idx ^= (idx ^ at) & take;
                }
            }
            out[o + c] = in[idx];
            argmax[o + c] = idx;
        }
    }

    /** out [o, o + C) writes the mean over rows [y0, y1) and columns [x0, x1) of image b: cells added row by row from 0, then times 1 / cells. */
    private void averageWindow(float[] out, float[] in, int o, int b, int y0, int y1, int x0, int x1) {
        int H = g.inH(), W = g.inW(), C = g.channels();
        float inv = 1f / ((y1 - y0) * (x1 - x0));
        int first = ((b * H + y0) * W + x0) * C;
        for (int c = 0; c < C; c++) {
            out[o + c] = 0f + in[first + c];
        }
        for (int iy = y0; iy < y1; iy++) {
            for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++) {
                int at = ((b * H + iy) * W + ix) * C;
                for (int c = 0; c < C; c++) {
                    out[o + c] += in[at + c];
                }
            }
        }
        for (int c = 0; c < C; c++) {
            out[o + c] *= inv;
        }
    }

    /** As {@link #averageWindow} for a whole 2x2 window, its cells written out. */
    private void averageWindow2x2(float[] out, float[] in, int o, int first) {
        int C = g.channels();
        int b1 = first + cellOffset[1], b2 = first + cellOffset[2], b3 = first + cellOffset[3];
        for (int c = 0; c < C; c++) {
            out[o + c] = (0f + in[first + c] + in[b1 + c] + in[b2 + c] + in[b3 + c]) * 0.25f;
        }
    }

    /** dIn's 2x2 window at first [.. + C) writes the shares {@code 0f + dOut[o + c] * inv}, its cells written out. */
    private void shares2x2(float[] dIn, int first, float[] dOut, int o, float inv) {
        int C = g.channels(), right = first + C, below = first + g.inW() * C, diagonal = below + C;
        for (int c = 0; c < C; c++) {
            float share = 0f + dOut[o + c] * inv;
            dIn[first + c] = share;
            dIn[right + c] = share;
            dIn[below + c] = share;
            dIn[diagonal + c] = share;
        }
    }

    /**
     * Max pooling and overlapping average pooling: the reference's. Average pooling with windows
     * that do not overlap gives each input cell at most one window's share, so it is written, not
     * added ({@code 0f + share}, as the reference's sum from zero), and only cells no window covers
     * are cleared first.
     */
    @Override
    public void backward(float[] dIn, float[] dOut, int[] argmax, int n) {
        if (max || g.strideH() < g.kH() || g.strideW() < g.kW()) {
            reference.backward(dIn, dOut, argmax, n);
            return;
        }
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW();
        boolean gaps = g.kH() < g.strideH() || g.kW() < g.strideW()
                || g.inRow(OH - 1, 0) + g.kH() < H || g.inCol(OW - 1, 0) + g.kW() < W;
        if (gaps) {
            Arrays.fill(dIn, 0, n * g.inSize(), 0f);
        }
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int top = g.inRow(oy, 0);
                int y0 = Math.max(top, 0), y1 = Math.min(top + g.kH(), H);
                for (int ox = 0; ox < OW; ox++) {
                    int left = g.inCol(ox, 0);
                    int x0 = Math.max(left, 0), x1 = Math.min(left + g.kW(), W);
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int o = ((b * OH + oy) * OW + ox) * C;
                    int first = ((b * H + y0) * W + x0) * C;
                    if (y1 - y0 == 2 && x1 - x0 == 2) {
                        shares2x2(dIn, first, dOut, o, inv);
                        continue;
                    }
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            int at = ((b * H + iy) * W + ix) * C;
                            for (int c = 0; c < C; c++) {
                                dIn[at + c] = 0f + dOut[o + c] * inv;
                            }
                        }
                    }
                }
            }
        }
    }
}
