package io.github.purecnn.kernels.pool;

import io.github.purecnn.kernels.Window2D;

/**
 * Pooling for the plain-Java path: the forward pass walks each output pixel's window cell by cell
 * with the channels innermost (the reference walks the window per channel), giving the values of
 * {@link ReferencePool} bit for bit; the backward pass is the reference's, already in that shape.
 *
 * <p>Max pooling compares without branches, whose outcome on activations is a coin toss (a
 * mispredicted branch per comparison cost 1,260 against 700 us per shard on mnist_convnet's first
 * pooling): each value becomes an int that orders as the floats do, {@code -0} equal to {@code +0}
 * ({@link #orderKey}), and a mask from the difference of two keys selects the larger and its index,
 * the first of equal ones as in the reference. NaN has no such key: a call whose input holds one is
 * handed to the reference.
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

    public static JavaPool average(Window2D g) {
        return new JavaPool(g, false);
    }

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
        int nanFlag = 0;
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
                    if (max) {
                        nanFlag |= whole ? maxWindow(out, argmax, in, o, first)
                                : maxClipped(out, argmax, in, o, b, y0, y1, x0, x1);
                    } else {
                        averageWindow(out, in, o, b, y0, y1, x0, x1);
                    }
                }
            }
        }
        if (nanFlag < 0) {
            reference.forward(out, argmax, in, n);
        }
    }

    /**
     * An int that orders as the float does, with -0 and +0 equal: the bits of a positive float,
     * minus the magnitude bits of a negative one. Meaningless for NaN, which {@link #nanSign} flags.
     */
    static int orderKey(int bits) {
        int sign = bits >> 31;
        return ((bits & 0x7fffffff) ^ sign) - sign;
    }

    /** Negative when the float with these bits is NaN. */
    static int nanSign(int bits) {
        return 0x7f800000 - (bits & 0x7fffffff);
    }

    /** out, argmax [o, o + C) write the maximum over a whole window starting at in[first]; returns the NaN flag. */
    private int maxWindow(float[] out, int[] argmax, float[] in, int o, int first) {
        int C = g.channels();
        int flag = 0;
        for (int c = 0; c < C; c++) {
            int idx = first + c;
            int bits = Float.floatToRawIntBits(in[idx]);
            flag |= nanSign(bits);
            int best = orderKey(bits);
            for (int i = 1; i < cellOffset.length; i++) {
                int at = first + cellOffset[i] + c;
                bits = Float.floatToRawIntBits(in[at]);
                flag |= nanSign(bits);
                int key = orderKey(bits);
                int take = (int) (((long) best - key) >> 63);     // -1 where key > best
                best ^= (best ^ key) & take;
                idx ^= (idx ^ at) & take;
            }
            out[o + c] = in[idx];
            argmax[o + c] = idx;
        }
        return flag;
    }

    /** As {@link #maxWindow} for a window clipped to rows [y0, y1) and columns [x0, x1) of image b. */
    private int maxClipped(float[] out, int[] argmax, float[] in, int o, int b, int y0, int y1, int x0, int x1) {
        int H = g.inH(), W = g.inW(), C = g.channels();
        int flag = 0;
        for (int c = 0; c < C; c++) {
            int idx = ((b * H + y0) * W + x0) * C + c;
            int bits = Float.floatToRawIntBits(in[idx]);
            flag |= nanSign(bits);
            int best = orderKey(bits);
            for (int iy = y0; iy < y1; iy++) {
                for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++) {
                    int at = ((b * H + iy) * W + ix) * C + c;
                    bits = Float.floatToRawIntBits(in[at]);
                    flag |= nanSign(bits);
                    int key = orderKey(bits);
                    int take = (int) (((long) best - key) >> 63);
                    best ^= (best ^ key) & take;
                    idx ^= (idx ^ at) & take;
                }
            }
            out[o + c] = in[idx];
            argmax[o + c] = idx;
        }
        return flag;
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

    @Override
    public void backward(float[] dIn, float[] dOut, int[] argmax, int n) {
        reference.backward(dIn, dOut, argmax, n);
    }
}
