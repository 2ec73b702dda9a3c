package io.github.purecnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fast path: the JDK's Vector API ({@code jdk.incubator.vector}), loaded by
 * {@link KernelsProvider} only when the module is present.
 *
 * <p>Dimension legend: N images in the shard, H/W input height and width, C input channels,
 * K output channels (filters), R/S window height and width, OH/OW output height and width,
 * I/O dense input and output features, VL floats per vector (16 with AVX-512, 8 with AVX2).
 * A "row" j of a conv kernel is one (r, s, c) triple: kernel (R, S, C, K) is RSC rows of K.
 *
 * <p>Layout and blocking. The channel axis (K, or O for dense) runs along the vector lanes, so
 * one kernel row is one vector load, reused by several output pixels or batch rows whose
 * accumulators stay in registers (register-blocked outer products: broadcast one input value,
 * FMA it with a kernel row vector). Eight accumulators hide the 4-cycle FMA latency on two
 * FMA pipes. Where the channel axis holds two vectors or more (conv2's 16 filters with AVX2's 8
 * lanes), and in the dense forward and kernel gradient and the conv input gradient, blocks have
 * twelve accumulators (six rows by two chunks), which fit AVX2's sixteen registers as well as
 * AVX-512's 32, each broadcast value serving both chunks. {@link VectorMachine} says whether
 * gathers pay.
 *
 * <p>No masks. On JDK 17 a masked load or store costs about twenty plain ones (measured:
 * 11 ns against 0.6 ns), so instead:
 * <ul>
 * <li>when the channel count is not a multiple of VL, the last chunk is <em>back-aligned</em>
 *     (starts at K - VL and overlaps the previous one). Written outputs simply get the same
 *     value twice; added or reduced ones multiply the overlap by a 0/1 vector loaded from
 *     {@link #STEP}, or leave out its lanes when adding the lanes;</li>
 * <li>when K &lt; VL (the first conv, K = 6) a vector spans one pixel's K channels and spills
 *     into the next pixel's: pixels are stored in increasing order, so every spilled lane is
 *     overwritten by its own pixel afterwards; reads and writes that would leave the array (or
 *     the shard) fall back to scalar code.</li>
 * </ul>
 * Window positions clipped by padding take the scalar path of {@link JavaKernels}-style loops;
 * everything inside the input takes the vector path. The input gradient of a strided conv
 * when K is not a multiple of VL has no vector layout here and is inherited.
 *
 * <p>JDK 17 specifics, measured: loops carrying vector accumulators must be single flat loops
 * (with nested loops C2 boxed every vector, 25x slower), and integer divisions are kept out of
 * per-pixel code (they cost more than the FMAs they index).
 *
 * <p>Numerics: each output is a float sum in a fixed order that depends only on the shapes, so
 * results are deterministic; the order differs from {@link ReferenceKernels}, hence last-bit
 * differences.
 */
public class VectorKernels extends JavaKernels {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SP.length();
    /** VL zeros then VL ones: loading VL floats at offset f gives a vector whose last f lanes are 1. */
    private static final float[] STEP = new float[2 * VL];
    /**
     * Per-thread copy of a narrow (K &lt; VL) conv kernel and bias followed by VL spare floats, so
     * that a full vector load of its last row stays inside the array (lanes past K are never
     * stored). Grown once, then reused: the kernels stay allocation-free in steady state and each
     * thread has its own copy.
     */
    private static final ThreadLocal<float[]> PADDED = ThreadLocal.withInitial(() -> new float[0]);

    static {
        java.util.Arrays.fill(STEP, VL, 2 * VL, 1f);
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public String toString() {
        return name() + ": " + VectorMachine.describe();
    }

    /** The first output index at which the window starts inside the input. */
    private static int firstInside(int pad, int stride) {
        return (pad + stride - 1) / stride;
    }

    /** One past the last output index at which the window ends inside the input. */
    private static int endInside(int in, int pad, int window, int stride, int outLen) {
        int last = in + pad - window;
        return last < 0 ? 0 : Math.min(outLen, last / stride + 1);
    }

    // ---- Conv2D ----

    @Override
    public void conv2dForward(float[] out, float[] in, float[] kernel, float[] bias, int n, Window2D g, int filters) {
        if (VectorSingleChannelConv.appliesToForward(g, filters)) {   // C = 1, unit strides: all lanes busy
            VectorSingleChannelConv.forward(out, in, kernel, bias, n, g, filters);
            return;
        }
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), K = filters;
        int OH = g.outH(), OW = g.outW();
        int oyA = firstInside(g.padTop(), g.strideH()), oyB = endInside(H, g.padTop(), R, g.strideH(), OH);
        int oxA = firstInside(g.padLeft(), g.strideW()), oxB = endInside(W, g.padLeft(), S, g.strideW(), OW);
        int rows = R * S * C;
        // Weights the vector loop reads: the caller's, or for K < VL a padded copy [kernel | bias | VL spare].
        float[] w = kernel;
        float[] b0 = bias;
        int biasAt = 0;
        if (K < VL) {
            w = padded(rows * K + K + VL);
            System.arraycopy(kernel, 0, w, 0, rows * K);
            biasAt = rows * K;
            if (bias != null) {
                System.arraycopy(bias, 0, w, biasAt, K);
                b0 = w;
            }
        }
        // With K < VL a pixel's store spills VL - K lanes past it: the last pixels of the shard go scalar.
        int pixels = n * OH * OW;
        int lastVectorPixel = K >= VL ? pixels - 1 : Math.floorDiv(pixels * K - VL, K);
        // Blocks of eight pixels in row-major order, allowed to run on into the next output row
        // when no column is clipped (blocks of six stay within a row); a cursor (oy, ox) avoids a
        // division per pixel.
        boolean wholeRows = oxA == 0 && oxB == OW;
        int step = g.strideW() * C;
        // Where K holds two vectors, six pixels by two K-chunks (twelve accumulators, for AVX2's
        // sixteen registers; each input value broadcast once for both chunks), else eight pixels by one.
        boolean paired = K >= 2 * VL;
        int block = paired ? 6 : 8;
        for (int b = 0; b < n; b++) {
            int oy = 0, ox = 0;
            while (oy < OH) {
                int first = (b * OH + oy) * OW + ox;
                int split = OW - ox;                       // pixels of the block left in row oy
                boolean inside = oy >= oyA && oy < oyB && ox >= oxA && first + block - 1 <= lastVectorPixel
                        && (split >= block ? ox + block <= oxB : wholeRows && split + OW >= block && oy + 1 < oyB);
                if (paired && oy >= oyA && oy < oyB && ox >= oxA && ox < oxB && oxB - oxA >= block) {
                    // Six pixels of one row, the last block of the row moved back (it rewrites equal
                    // values). K >= 2 VL > VL: w and b0 are the caller's kernel and bias, not the padded copy.
                    int start = Math.min(ox, oxB - block);
                    forwardBlock6x2(out, ((b * OH + oy) * OW + start) * K, in, windowAt(b, oy, start, g), step, g, w, b0, K);
                    ox = start + block;
                } else if (inside && !paired) {
                    forwardBlock8(out, first * K, in, windowAt(b, oy, ox, g), windowAt(b, oy + 1, 0, g), split, step,
                            g, w, b0, biasAt, K);
                    ox += block;
                } else if (oy >= oyA && oy < oyB && ox >= oxA && ox < oxB && first <= lastVectorPixel) {
                    // A pixel left over by the blocks (the end of an image) whose window is inside.
                    forwardPixel(out, first * K, in, windowAt(b, oy, ox, g), g, w, b0, biasAt, K);
                    ox++;
                } else if (oy >= oyA && oy < oyB && ox >= oxA && ox < oxB) {
                    // Window inside, but a vector store would spill past the shard: the lanes' sums one by one.
                    forwardPixelLanes(out, first * K, in, windowAt(b, oy, ox, g), g, kernel, bias, K);
                    ox++;
                } else {
                    forwardPixelScalar(out, in, kernel, bias, b, oy, ox, g, K);
                    ox++;
                }
                while (ox >= OW) {
                    ox -= OW;
                    oy++;
                }
            }
        }
    }

    private static float[] padded(int length) {
        float[] a = PADDED.get();
        if (a.length < length) {
            a = new float[length];
            PADDED.set(a);
        }
        return a;
    }

    @Override
    public ConvReluPool convReluPool(Window2D g, int filters) {
        return VectorConvReluPool.of(g, filters);
    }

    /** Offset in {@code in} of the top-left cell of the window of output pixel (b, oy, ox). */
    private static int windowAt(int b, int oy, int ox, Window2D g) {
        return ((b * g.inH() + oy * g.strideH() - g.padTop()) * g.inW() + ox * g.strideW() - g.padLeft()) * g.channels();
    }

    /**
     * Eight consecutive pixels with windows inside the input, every K-chunk: out (8, K) at outAt
     * writes. The first {@code split} windows start at rowA, rowA + step, ...; the others at rowB,
     * rowB + step, ... (the next output row). Per window row the S*C input cells and the kernel rows
     * are contiguous.
     */
    private static void forwardBlock8(float[] out, int outAt, float[] in, int rowA, int rowB, int split, int step,
                                      Window2D g, float[] w, float[] bias, int biasAt, int K) {
        int p0 = rowA;
        int p1 = split > 1 ? rowA + step : rowB + (1 - split) * step;
        int p2 = split > 2 ? rowA + 2 * step : rowB + (2 - split) * step;
        int p3 = split > 3 ? rowA + 3 * step : rowB + (3 - split) * step;
        int p4 = split > 4 ? rowA + 4 * step : rowB + (4 - split) * step;
        int p5 = split > 5 ? rowA + 5 * step : rowB + (5 - split) * step;
        int p6 = split > 6 ? rowA + 6 * step : rowB + (6 - split) * step;
        int p7 = split > 7 ? rowA + 7 * step : rowB + (7 - split) * step;
        int run = g.kW() * g.channels();
        int inRowStep = g.inW() * g.channels();
        for (int k0 = 0; k0 < K; k0 += VL) {
            int kc = K < VL ? 0 : Math.min(k0, K - VL);   // back-aligned last chunk: rewrites equal values
            FloatVector init = bias == null ? FloatVector.zero(SP) : FloatVector.fromArray(SP, bias, biasAt + kc);
            FloatVector a0 = init, a1 = init, a2 = init, a3 = init, a4 = init, a5 = init, a6 = init, a7 = init;
            // One flat loop over the window's R*S*C cells (nested vector loops defeat C2's box elimination).
            int at = 0, wAt = kc, col = 0, cells = g.kH() * run, rowJump = inRowStep - run;
            for (int t = 0; t < cells; t++) {
                FloatVector v = FloatVector.fromArray(SP, w, wAt);
                a0 = FloatVector.broadcast(SP, in[p0 + at]).fma(v, a0);
                a1 = FloatVector.broadcast(SP, in[p1 + at]).fma(v, a1);
                a2 = FloatVector.broadcast(SP, in[p2 + at]).fma(v, a2);
                a3 = FloatVector.broadcast(SP, in[p3 + at]).fma(v, a3);
                a4 = FloatVector.broadcast(SP, in[p4 + at]).fma(v, a4);
                a5 = FloatVector.broadcast(SP, in[p5 + at]).fma(v, a5);
                a6 = FloatVector.broadcast(SP, in[p6 + at]).fma(v, a6);
                a7 = FloatVector.broadcast(SP, in[p7 + at]).fma(v, a7);
                wAt += K;
                at++;
                if (++col == run) {
                    col = 0;
                    at += rowJump;
                }
            }
            // Increasing pixel order: with K < VL each store's spill is overwritten by the next one.
            int o = outAt + kc;
            a0.intoArray(out, o);
            a1.intoArray(out, o + K);
            a2.intoArray(out, o + 2 * K);
            a3.intoArray(out, o + 3 * K);
            a4.intoArray(out, o + 4 * K);
            a5.intoArray(out, o + 5 * K);
            a6.intoArray(out, o + 6 * K);
            a7.intoArray(out, o + 7 * K);
        }
    }

    /**
     * As {@link #forwardBlock8} for six pixels of one output row and K &gt;= 2 VL: out (6, K) at outAt
     * writes, two K-chunks per pass over the window (back-aligned, so overlapping lanes store equal
     * values). Pixel k's window starts at window + k * step. (Blocks running on into the next row,
     * with six window offsets of their own, kept more integers live than x86 has registers: conv2
     * took 67-75 us per shard of 16 against 64.)
     */
    private static void forwardBlock6x2(float[] out, int outAt, float[] in, int window, int step,
                                        Window2D g, float[] w, float[] bias, int K) {
        int run = g.kW() * g.channels();
        int inRowStep = g.inW() * g.channels();
        for (int k0 = 0; k0 < K; k0 += 2 * VL) {
            int ka = Math.min(k0, K - VL), kb = Math.min(k0 + VL, K - VL);
            FloatVector ia = bias == null ? FloatVector.zero(SP) : FloatVector.fromArray(SP, bias, ka);
            FloatVector ib = bias == null ? FloatVector.zero(SP) : FloatVector.fromArray(SP, bias, kb);
            FloatVector a0 = ia, a1 = ia, a2 = ia, a3 = ia, a4 = ia, a5 = ia;
            FloatVector c0 = ib, c1 = ib, c2 = ib, c3 = ib, c4 = ib, c5 = ib;
            int x = window, wAt = 0, col = 0, cells = g.kH() * run, rowJump = inRowStep - run;
            for (int t = 0; t < cells; t++) {
                FloatVector va = FloatVector.fromArray(SP, w, wAt + ka), vb = FloatVector.fromArray(SP, w, wAt + kb);
                FloatVector y = FloatVector.broadcast(SP, in[x]);
                a0 = y.fma(va, a0);
                c0 = y.fma(vb, c0);
                int xk = x + step;
                y = FloatVector.broadcast(SP, in[xk]);
                a1 = y.fma(va, a1);
                c1 = y.fma(vb, c1);
                xk += step;
                y = FloatVector.broadcast(SP, in[xk]);
                a2 = y.fma(va, a2);
                c2 = y.fma(vb, c2);
                xk += step;
                y = FloatVector.broadcast(SP, in[xk]);
                a3 = y.fma(va, a3);
                c3 = y.fma(vb, c3);
                xk += step;
                y = FloatVector.broadcast(SP, in[xk]);
                a4 = y.fma(va, a4);
                c4 = y.fma(vb, c4);
                xk += step;
                y = FloatVector.broadcast(SP, in[xk]);
                a5 = y.fma(va, a5);
                c5 = y.fma(vb, c5);
                wAt += K;
                x++;
                if (++col == run) {
                    col = 0;
                    x += rowJump;
                }
            }
            c0.intoArray(out, outAt + kb);
            a0.intoArray(out, outAt + ka);
            c1.intoArray(out, outAt + K + kb);
            a1.intoArray(out, outAt + K + ka);
            c2.intoArray(out, outAt + 2 * K + kb);
            a2.intoArray(out, outAt + 2 * K + ka);
            c3.intoArray(out, outAt + 3 * K + kb);
            a3.intoArray(out, outAt + 3 * K + ka);
            c4.intoArray(out, outAt + 4 * K + kb);
            a4.intoArray(out, outAt + 4 * K + ka);
            c5.intoArray(out, outAt + 5 * K + kb);
            a5.intoArray(out, outAt + 5 * K + ka);
        }
    }

    /** One pixel whose window starting at {@code window} is inside the input: out (K) at outAt writes, as forwardBlock8 for one pixel. */
    private static void forwardPixel(float[] out, int outAt, float[] in, int window, Window2D g, float[] w, float[] bias,
                                     int biasAt, int K) {
        int run = g.kW() * g.channels(), cells = g.kH() * run, rowJump = g.inW() * g.channels() - run;
        for (int k0 = 0; k0 < K; k0 += VL) {
            int kc = K < VL ? 0 : Math.min(k0, K - VL);
            FloatVector a = bias == null ? FloatVector.zero(SP) : FloatVector.fromArray(SP, bias, biasAt + kc);
            int at = window, wAt = kc, col = 0;
            for (int t = 0; t < cells; t++) {
                a = FloatVector.broadcast(SP, in[at]).fma(FloatVector.fromArray(SP, w, wAt), a);
                wAt += K;
                at++;
                if (++col == run) {
                    col = 0;
                    at += rowJump;
                }
            }
            a.intoArray(out, outAt + kc);
        }
    }

    /**
     * As {@link #forwardPixel} for K &lt; VL, one filter at a time with scalar fused multiply-adds in
     * the lanes' order: out (K) at outAt writes the values the vector loop would have, so a pixel
     * gets the same bits wherever it falls in the shard (predictions do not depend on the batch).
     */
    private static void forwardPixelLanes(float[] out, int outAt, float[] in, int window, Window2D g, float[] kernel,
                                          float[] bias, int K) {
        int run = g.kW() * g.channels(), cells = g.kH() * run, rowJump = g.inW() * g.channels() - run;
        for (int k = 0; k < K; k++) {
            float a = bias == null ? 0f : bias[k];
            int at = window, wAt = k, col = 0;
            for (int t = 0; t < cells; t++) {
                a = Math.fma(in[at], kernel[wAt], a);
                wAt += K;
                at++;
                if (++col == run) {
                    col = 0;
                    at += rowJump;
                }
            }
            out[outAt + k] = a;
        }
    }

    /** One pixel, window clipped by padding: out (K) writes, as unit-stride axpy runs over K. */
    private static void forwardPixelScalar(float[] out, float[] in, float[] kernel, float[] bias,
                                           int b, int oy, int ox, Window2D g, int K) {
        int H = g.inH(), W = g.inW(), C = g.channels(), S = g.kW();
        int iyTop = oy * g.strideH() - g.padTop(), ixLeft = ox * g.strideW() - g.padLeft();
        int r0 = Math.max(0, -iyTop), r1 = Math.min(g.kH(), H - iyTop);
        int s0 = Math.max(0, -ixLeft), s1 = Math.min(S, W - ixLeft);
        int outPixel = ((b * g.outH() + oy) * g.outW() + ox) * K;
        for (int k = 0; k < K; k++) {
            out[outPixel + k] = bias == null ? 0f : bias[k];
        }
        for (int r = r0; r < r1; r++) {
            int inRun = ((b * H + iyTop + r) * W + ixLeft + s0) * C;
            int kernelRun = (r * S + s0) * C * K;
            for (int j = 0; j < (s1 - s0) * C; j++) {
                float a = in[inRun + j];
                int kernelRow = kernelRun + j * K;
                for (int k = 0; k < K; k++) {
                    out[outPixel + k] += a * kernel[kernelRow + k];
                }
            }
        }
    }

    @Override
    public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, Window2D g, int filters) {
        int K = filters;
        if (g.strideH() == 1 && g.strideW() == 1) {
            gatherBackwardInput(dIn, dOut, kernel, n, g, K, false);
            return;
        }
        if (K % VL != 0) {
            super.conv2dBackwardInput(dIn, dOut, kernel, n, g, filters);
            return;
        }
        // Gather form: each input cell (iy, ix, c) is a dot product over the (r, s) positions that
        // reach it and over k; k runs along the lanes, one horizontal sum per cell at the end. Every
        // cell is written once, so no zero-fill pass. Eight channels at a time share the dOut loads.
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW();
        int OH = g.outH(), OW = g.outW(), sh = g.strideH(), sw = g.strideW();
        int chunks = K / VL;
        boolean unitStride = sh == 1 && sw == 1;
        for (int b = 0; b < n; b++) {
            for (int iy = 0; iy < H; iy++) {
                int ty = iy + g.padTop();
                int rLo = Math.max(0, ty - (OH - 1) * sh), rHi = Math.min(R - 1, ty);
                for (int ix = 0; ix < W; ix++) {
                    int tx = ix + g.padLeft();
                    int sLo = Math.max(0, tx - (OW - 1) * sw), sHi = Math.min(S - 1, tx);
                    int cell = ((b * H + iy) * W + ix) * C;
                    for (int cb = 0; cb < C; cb += 8) {
                        // Channels past C repeat the last one: computed, never stored.
                        int c0 = cb, c1 = Math.min(cb + 1, C - 1), c2 = Math.min(cb + 2, C - 1),
                                c3 = Math.min(cb + 3, C - 1), c4 = Math.min(cb + 4, C - 1),
                                c5 = Math.min(cb + 5, C - 1), c6 = Math.min(cb + 6, C - 1),
                                c7 = Math.min(cb + 7, C - 1);
                        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
                        // One flat loop over the (r, s, k-chunk) taps: nested loops carrying vector
                        // accumulators defeat C2's box elimination on JDK 17 (25x slower, measured).
                        int taps = rHi < rLo || sHi < sLo ? 0 : (rHi - rLo + 1) * (sHi - sLo + 1) * chunks;
                        int r = rLo, s = sLo, k0 = 0;
                        for (int t = 0; t < taps; t++) {
                            int dy = ty - r, dx = tx - s;
                            // Stride 1 (the common case) needs no integer division, which costs more than the FMAs here.
                            if (unitStride || (dy % sh == 0 && dx % sw == 0)) {
                                int oy = unitStride ? dy : dy / sh, ox = unitStride ? dx : dx / sw;
                                FloatVector v = FloatVector.fromArray(SP, dOut, ((b * OH + oy) * OW + ox) * K + k0);
                                int kk = (r * S + s) * C * K + k0;
                                a0 = FloatVector.fromArray(SP, kernel, kk + c0 * K).fma(v, a0);
                                a1 = FloatVector.fromArray(SP, kernel, kk + c1 * K).fma(v, a1);
                                a2 = FloatVector.fromArray(SP, kernel, kk + c2 * K).fma(v, a2);
                                a3 = FloatVector.fromArray(SP, kernel, kk + c3 * K).fma(v, a3);
                                a4 = FloatVector.fromArray(SP, kernel, kk + c4 * K).fma(v, a4);
                                a5 = FloatVector.fromArray(SP, kernel, kk + c5 * K).fma(v, a5);
                                a6 = FloatVector.fromArray(SP, kernel, kk + c6 * K).fma(v, a6);
                                a7 = FloatVector.fromArray(SP, kernel, kk + c7 * K).fma(v, a7);
                            }
                            k0 += VL;
                            if (k0 == K) {
                                k0 = 0;
                                if (++s > sHi) {
                                    s = sLo;
                                    r++;
                                }
                            }
                        }
                        int count = Math.min(8, C - cb);
                        int at = cell + cb;
                        dIn[at] = a0.reduceLanes(VectorOperators.ADD);
                        if (count > 1) dIn[at + 1] = a1.reduceLanes(VectorOperators.ADD);
                        if (count > 2) dIn[at + 2] = a2.reduceLanes(VectorOperators.ADD);
                        if (count > 3) dIn[at + 3] = a3.reduceLanes(VectorOperators.ADD);
                        if (count > 4) dIn[at + 4] = a4.reduceLanes(VectorOperators.ADD);
                        if (count > 5) dIn[at + 5] = a5.reduceLanes(VectorOperators.ADD);
                        if (count > 6) dIn[at + 6] = a6.reduceLanes(VectorOperators.ADD);
                        if (count > 7) dIn[at + 7] = a7.reduceLanes(VectorOperators.ADD);
                    }
                }
            }
        }
    }

    /** Stride 1: the gather form below computes the input gradient in planes anyway. */
    @Override
    public boolean writesInputGradientPlanes(Window2D g) {
        return g.strideH() == 1 && g.strideW() == 1;
    }

    @Override
    public void conv2dBackwardInputPlanes(float[] dInPlanes, float[] dOut, float[] kernel, int n, Window2D g, int filters) {
        if (!writesInputGradientPlanes(g)) {
            super.conv2dBackwardInputPlanes(dInPlanes, dOut, kernel, n, g, filters);   // throws
            return;
        }
        gatherBackwardInput(dInPlanes, dOut, kernel, n, g, filters, true);
    }

    /**
     * Stride 1, per image, with the input positions on the lanes. In the padded input plane
     * (Hp x Wp, position u = y * Wp + x), the gradient of channel c is
     * dx_c[u] = sum over taps (r, s) and filters k of kernel[r, s, c, k] * d_k[u - r * Wp - s],
     * where d_k is image b's dOut plane k laid out with the padded width (position oy * Wp + ox,
     * zero at columns ox >= OW and past the last row) behind {@code margin} zeros, so that no read
     * index goes below zero. Twelve accumulators (two position vectors by six channels) stay in
     * registers over one flat loop of the R*S*K (tap, filter) pairs: two loads and six broadcasts
     * per twelve FMAs, and every dx value is stored, not added (back-aligned and repeated blocks
     * store equal values again), with no read-modify-write pass. dIn then takes image b's
     * gradient as NHWC, through an index map, or with {@code planes} as (C, H, W), by row copies
     * (conv2 of the seed model per shard of 16: 86-93 us against 77-85).
     */
    private static void gatherBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, Window2D g, int K, boolean planes) {
        int H = g.inH(), W = g.inW(), C = g.channels(), S = g.kW(), OH = g.outH(), OW = g.outW();
        int Wp = JavaKernels.paddedW(g), area = JavaKernels.paddedH(g) * Wp;
        int margin = (g.kH() - 1) * Wp + S - 1;
        // Positions [0, U) are computed, in groups of two vectors; the last group is back-aligned.
        int U = Math.max((area + VL - 1) / VL * VL, 2 * VL);
        int DL = margin + U;
        GatherPlanes gp = GATHER_PLANES.get();
        gp.d = atLeast(gp.d, Math.multiplyExact(K, DL));
        gp.dx = atLeast(gp.dx, Math.multiplyExact(C, U));
        GatherMaps maps = gp.maps.get(g);
        if (maps == null) {
            maps = GatherMaps.of(g, DL, U, Wp);
            gp.maps.put(g, maps);
        }
        float[] d = gp.d;     // (K, DL) image b's dOut planes: d[k * DL + margin + oy * Wp + ox]
        float[] dx = gp.dx;   // (C, U) image b's input-gradient planes: dx[c * U + y * Wp + x], padded coordinates
        // (R, S, K, Cp) the kernel with the channels innermost, Cp = C rounded up to six, zero past C:
        // a pair's six channel weights are consecutive, read at constant offsets from one cursor.
        int Cp = (C + 5) / 6 * 6, pairCount = g.kH() * S * K;
        gp.w = atLeast(gp.w, pairCount * Cp);
        float[] w = gp.w;
        for (int pair = 0; pair < pairCount; pair++) {
            int from = (pair / K * C) * K + pair % K;   // kernel[r, s, c, k] at ((r * S + s) * C + c) * K + k
            for (int c = 0; c < Cp; c++) {
                w[pair * Cp + c] = c < C ? kernel[from + c * K] : 0f;
            }
        }
        // The cells no dOut value lands on (the margin, the columns past OW, the tail) are the same for
        // every image: zeroed once per call, they stay zero (zeroing per image: conv2 90-91 us per shard
        // of 16 against 87).
        java.util.Arrays.fill(d, 0, K * DL, 0f);
        for (int b = 0; b < n; b++) {
            dOutIntoPlanes(d, dOut, b, g, K, DL, margin, Wp, maps);
            for (int g0 = 0; g0 < U; g0 += 2 * VL) {
                int u0 = Math.min(g0, U - 2 * VL);
                // Only kernel rows r that take some row y of the group to an output row (0 <= y - r < OH):
                // the others would read zeros only (rows past OH, or the zero columns a read wraps into).
                int rLo = Math.max(0, u0 / Wp - (OH - 1)), rHi = Math.min(g.kH() - 1, (u0 + 2 * VL - 1) / Wp);
                for (int c0 = 0; c0 < C; c0 += 6) {
                    inputGradient2x6(dx, d, w, u0, c0, C, Cp, K, S, U, Wp, DL, margin, rLo, Math.max(rLo, rHi + 1));
                }
            }
            if (!planes) {
                IndexedCopy.gather(dIn, b * H * W * C, dx, 0, maps.toInput(), H * W * C);   // back to NHWC
            } else if (Wp == W) {
                // No column padding: each channel's rows lie in dx, below the top padding, as in (H, W).
                for (int c = 0; c < C; c++) {
                    System.arraycopy(dx, c * U + g.padTop() * W, dIn, (b * C + c) * H * W, H * W);
                }
            } else {
                for (int c = 0; c < C; c++) {
                    for (int y = 0; y < H; y++) {
                        System.arraycopy(dx, c * U + (y + g.padTop()) * Wp + g.padLeft(), dIn, ((b * C + c) * H + y) * W, W);
                    }
                }
            }
        }
    }

    /**
     * d (K, DL) writes image b's dOut planes for {@link #gatherBackwardInput}: d[k * DL + margin +
     * oy * Wp + ox] = dOut[b, oy, ox, k]. The other cells (the margin, the columns ox &gt;= OW, past
     * the last row) are left as they are: the caller zeroes them.
     */
    private static void dOutIntoPlanes(float[] d, float[] dOut, int b, Window2D g, int K, int DL, int margin, int Wp,
                                       GatherMaps maps) {
        int OH = g.outH(), OW = g.outW();
        if (VectorMachine.GATHERS && K % VL == 0) {
            for (int oy = 0; oy < OH; oy++) {
                for (int ox = 0; ox < OW; ox++) {
                    int from = ((b * OH + oy) * OW + ox) * K, to = margin + oy * Wp + ox;
                    // A pixel's K values, VL at a time, scattered to their planes: about half the time of scalar stores.
                    for (int k0 = 0; k0 < K; k0 += VL) {
                        FloatVector.fromArray(SP, dOut, from + k0).intoArray(d, to + k0 * DL, maps.planeStarts(), 0);
                    }
                }
            }
            return;
        }
        if (K < 8) {
            for (int k = 0; k < K; k++) {
                for (int oy = 0; oy < OH; oy++) {
                    int from = (b * OH + oy) * OW * K + k, to = k * DL + margin + oy * Wp;
                    for (int ox = 0; ox < OW; ox++) {
                        d[to + ox] = dOut[from + ox * K];
                    }
                }
            }
            return;
        }
        // Eight planes per pass, each plane's row written in order and the eight values of a pixel
        // read side by side (AVX2, conv2 per shard of 16: 107-109 us plane by plane, 99-104 with
        // four planes per pass, 96-97 with eight; pixel by pixel, all K at once, was slower still).
        // A last pass that would run past K is moved back: it rewrites equal values.
        for (int k0 = 0; k0 < K; k0 += 8) {
            int k = Math.min(k0, K - 8);
            for (int oy = 0; oy < OH; oy++) {
                int from = (b * OH + oy) * OW * K + k, to = k * DL + margin + oy * Wp;
                for (int ox = 0; ox < OW; ox++) {
                    int f = from + ox * K, t = to + ox;
                    d[t] = dOut[f];
                    d[t + DL] = dOut[f + 1];
                    d[t + 2 * DL] = dOut[f + 2];
                    d[t + 3 * DL] = dOut[f + 3];
                    d[t + 4 * DL] = dOut[f + 4];
                    d[t + 5 * DL] = dOut[f + 5];
                    d[t + 6 * DL] = dOut[f + 6];
                    d[t + 7 * DL] = dOut[f + 7];
                }
            }
        }
    }

    /**
     * dx (C, U) writes channels c0..c0+5 at positions u0 .. u0 + 2 VL of {@link #gatherBackwardInput},
     * summing the (tap, filter) pairs of kernel rows rFrom .. rTo - 1 only, with the weights from
     * w (R, S, K, Cp): two position vectors by six channels, twelve accumulators. (With AVX-512 three
     * position vectors, eighteen accumulators, were used until AVX2's sixteen registers made them
     * spill: there two took 122-134 us per shard against 135-156 for conv2; not re-measured with
     * AVX-512. Reading the six weights from the (R, S, C, K) kernel, six offsets of their own and
     * six bounds checks per step, conv2 took 102-106 us per shard of 16 against 91-92.)
     */
    private static void inputGradient2x6(float[] dx, float[] d, float[] w, int u0, int c0, int C, int Cp, int K, int S, int U,
                                          int Wp, int DL, int margin, int rFrom, int rTo) {
        int pairs = (rTo - rFrom) * S * K;
        FloatVector a00 = FloatVector.zero(SP), a01 = a00, a10 = a00, a11 = a00;
        FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        FloatVector a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        // One flat loop over (tap, filter) pairs with a cursor: nested loops carrying vector
        // accumulators defeat C2's box elimination on JDK 17.
        int r = rFrom, s = 0, k = 0;
        int dAt = margin - r * Wp + u0;     // k * DL + margin - (r * Wp + s) + u0
        int wAt = r * S * K * Cp + c0;      // ((r * S + s) * K + k) * Cp + c0
        for (int i = 0; i < pairs; i++) {
            FloatVector v0 = FloatVector.fromArray(SP, d, dAt), v1 = FloatVector.fromArray(SP, d, dAt + VL);
            FloatVector x = FloatVector.broadcast(SP, w[wAt]);
            a00 = x.fma(v0, a00);
            a01 = x.fma(v1, a01);
            x = FloatVector.broadcast(SP, w[wAt + 1]);
            a10 = x.fma(v0, a10);
            a11 = x.fma(v1, a11);
            x = FloatVector.broadcast(SP, w[wAt + 2]);
            a20 = x.fma(v0, a20);
            a21 = x.fma(v1, a21);
            x = FloatVector.broadcast(SP, w[wAt + 3]);
            a30 = x.fma(v0, a30);
            a31 = x.fma(v1, a31);
            x = FloatVector.broadcast(SP, w[wAt + 4]);
            a40 = x.fma(v0, a40);
            a41 = x.fma(v1, a41);
            x = FloatVector.broadcast(SP, w[wAt + 5]);
            a50 = x.fma(v0, a50);
            a51 = x.fma(v1, a51);
            wAt += Cp;
            if (++k < K) {
                dAt += DL;
            } else {
                k = 0;
                if (++s == S) {
                    s = 0;
                    r++;
                }
                dAt = margin - (r * Wp + s) + u0;
            }
        }
        // Channels past C (zero weights) are computed, never stored.
        if (c0 + 5 < C) {
            a50.intoArray(dx, (c0 + 5) * U + u0);
            a51.intoArray(dx, (c0 + 5) * U + u0 + VL);
        }
        if (c0 + 4 < C) {
            a40.intoArray(dx, (c0 + 4) * U + u0);
            a41.intoArray(dx, (c0 + 4) * U + u0 + VL);
        }
        if (c0 + 3 < C) {
            a30.intoArray(dx, (c0 + 3) * U + u0);
            a31.intoArray(dx, (c0 + 3) * U + u0 + VL);
        }
        if (c0 + 2 < C) {
            a20.intoArray(dx, (c0 + 2) * U + u0);
            a21.intoArray(dx, (c0 + 2) * U + u0 + VL);
        }
        if (c0 + 1 < C) {
            a10.intoArray(dx, (c0 + 1) * U + u0);
            a11.intoArray(dx, (c0 + 1) * U + u0 + VL);
        }
        a00.intoArray(dx, c0 * U + u0);
        a01.intoArray(dx, c0 * U + u0 + VL);
    }

    /** Per-thread planes of {@link #gatherBackwardInput}, grown once, and its index maps per geometry, made once. */
    private static final class GatherPlanes {
        float[] d = new float[0];
        float[] dx = new float[0];
        float[] w = new float[0];
        final java.util.Map<Window2D, GatherMaps> maps = new java.util.HashMap<>();
    }

    /**
     * Index maps of {@link #gatherBackwardInput} for one geometry.
     *
     * @param planeStarts (VL) lane k: k * DL, where plane k of d starts
     * @param toInput     (H * W * C) for each NHWC input-gradient value of an image, its index in dx
     */
    private record GatherMaps(int[] planeStarts, int[] toInput) {
        static GatherMaps of(Window2D g, int DL, int U, int Wp) {
            int[] planeStarts = new int[VL];
            for (int k = 0; k < VL; k++) {
                planeStarts[k] = k * DL;
            }
            int H = g.inH(), W = g.inW(), C = g.channels();
            int[] toInput = new int[H * W * C];
            for (int f = 0; f < toInput.length; f++) {
                int c = f % C, x = f / C % W, y = f / C / W;
                toInput[f] = c * U + (y + g.padTop()) * Wp + x + g.padLeft();
            }
            return new GatherMaps(planeStarts, toInput);
        }
    }

    private static final ThreadLocal<GatherPlanes> GATHER_PLANES = ThreadLocal.withInitial(GatherPlanes::new);

    private static float[] atLeast(float[] a, int length) {
        return a.length >= length ? a : new float[length];
    }

    @Override
    public void conv2dBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Window2D g, int filters) {
        ParamGradients.clear(dKernel, g.kH() * g.kW() * g.channels() * filters, dBias, filters);
        if (VectorSingleChannelConv.appliesToBackward(g, filters)) {   // C = 1, unit strides: all lanes busy
            VectorSingleChannelConv.backwardParams(dKernel, dBias, dOut, in, n, g, filters);
            return;
        }
        int H = g.inH(), W = g.inW(), C = g.channels(), R = g.kH(), S = g.kW(), K = filters;
        int OH = g.outH(), OW = g.outW();
        int oyA = firstInside(g.padTop(), g.strideH()), oyB = endInside(H, g.padTop(), R, g.strideH(), OH);
        int oxA = firstInside(g.padLeft(), g.strideW()), oxB = endInside(W, g.padLeft(), S, g.strideW(), OW);
        int rows = R * S * C;
        int pixels = n * OH * OW;
        // The vector path reads VL floats of dOut per pixel: with K < VL the last pixels of the array go scalar.
        int lastVectorPixel = K >= VL ? pixels - 1 : Math.min(pixels - 1, Math.floorDiv(dOut.length - VL, K));
        // Window rows of S*C floats in blocks of RUN_BLOCK: one vector load per block and pixel;
        // pixels past the last whose loads stay inside the input go scalar.
        boolean runs = VL >= RUN_BLOCK && S * C % RUN_BLOCK == 0 && K < 2 * VL;
        if (runs) {
            lastVectorPixel = Math.min(lastVectorPixel, lastRunPixel(in, n, g, oyA, oyB, oxA, oxB));
        }
        if (dBias != null) {
            biasGradient(dBias, dOut, pixels, lastVectorPixel, K);
        }
        // Inside pixels up to lastVectorPixel, which every block below walks through in increasing order.
        int vectorPixels = 0;
        for (int b = 0; b < n; b++) {
            for (int oy = oyA; oy < oyB; oy++) {
                int rowPixel = (b * OH + oy) * OW;
                vectorPixels += Math.max(0, Math.min(oxB, lastVectorPixel - rowPixel + 1) - oxA);
            }
        }
        // Two K-chunks per pass where K holds two vectors (AVX2's 8 lanes and conv2's 16 filters): six
        // rows by two chunks, twelve accumulators, fit AVX2's sixteen registers with the two dOut
        // vectors and a broadcast, and each input value is loaded once for both chunks.
        // Blocks of six rows never cross a window row (S * C rows; the last block of each is moved back
        // and adds only its new rows), so that their inputs are six consecutive floats.
        int run = S * C;
        int pairedK = K >= 2 * VL && run >= 6 ? K : 0;
        for (int k0 = 0; k0 < pairedK; k0 += 2 * VL) {
            int ka = Math.min(k0, K - VL), kb = Math.min(k0 + VL, K - VL);
            for (int r = 0; r < R; r++) {
                for (int s0 = 0; s0 < run; s0 += 6) {
                    int start = Math.min(s0, run - 6);
                    paramsBlock6x2(dKernel, dOut, in, g, K, k0, ka, kb, r * run + start, s0 - start, oyA, oyB, oxA, oxB, vectorPixels);
                }
            }
        }
        for (int k0 = pairedK; k0 < K; k0 += VL) {
            int kc = K < VL ? 0 : Math.min(k0, K - VL);
            int freshLanes = K < VL ? K : Math.min(VL, kc + VL - k0);
            for (int j0 = 0; j0 < rows; j0 += runs ? RUN_BLOCK : 8) {
                if (runs) {
                    paramsRun(dKernel, dOut, in, g, K, kc, freshLanes, j0, oyA, oyB, oxA, oxB, vectorPixels);
                } else {
                    paramsBlock8(dKernel, dOut, in, g, K, kc, freshLanes, j0, rows, oyA, oyB, oxA, oxB, vectorPixels);
                }
            }
        }
        // Pixels whose window is clipped, or whose dOut vector would leave the array: scalar axpy over K.
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                for (int ox = 0; ox < OW; ox++) {
                    int pixel = (b * OH + oy) * OW + ox;
                    boolean vector = oy >= oyA && oy < oyB && ox >= oxA && ox < oxB && pixel <= lastVectorPixel;
                    if (!vector) {
                        paramsPixelScalar(dKernel, dOut, in, b, oy, ox, g, K);
                    }
                }
            }
        }
    }

    /** dBias (K) adds the sum of dOut (pixels, K) over the pixels. */
    private static void biasGradient(float[] dBias, float[] dOut, int pixels, int lastVectorPixel, int K) {
        if (K < VL) {
            // A vector at pixel p holds its K channels in lanes 0..K-1 (the rest spill into pixel p+1).
            FloatVector a0 = FloatVector.zero(SP), a1 = a0;
            int p = 0;
            for (; p + 1 <= lastVectorPixel; p += 2) {
                a0 = a0.add(FloatVector.fromArray(SP, dOut, p * K));
                a1 = a1.add(FloatVector.fromArray(SP, dOut, (p + 1) * K));
            }
            float[] sums = lanes();
            a0.add(a1).intoArray(sums, 0);
            for (int k = 0; k < K; k++) {
                float s = sums[k];
                for (int t = p; t < pixels; t++) {
                    s += dOut[t * K + k];
                }
                dBias[k] += s;
            }
            return;
        }
        for (int k0 = 0; k0 < K; k0 += VL) {
            int kc = Math.min(k0, K - VL);
            FloatVector a0 = FloatVector.zero(SP), a1 = a0;
            int p = 0;
            for (; p + 1 < pixels; p += 2) {
                a0 = a0.add(FloatVector.fromArray(SP, dOut, p * K + kc));
                a1 = a1.add(FloatVector.fromArray(SP, dOut, (p + 1) * K + kc));
            }
            if (p < pixels) {
                a0 = a0.add(FloatVector.fromArray(SP, dOut, p * K + kc));
            }
            float[] sums = lanes();
            a0.add(a1).intoArray(sums, 0);
            addLanes(dBias, sums, 0, 0, 1, K, kc, Math.min(VL, kc + VL - k0));
        }
    }

    /**
     * Eight kernel rows j0..j0+7 (one K-chunk at kc) accumulated over every inside pixel of the shard:
     * dKernel[j, kc..] += sum over pixels of in[window + offset(j)] * dOut[pixel, kc..]. Eight
     * accumulators, independent FMA chains, share each dOut load and each step of the pixel cursor.
     * {@code total} is the number of inside pixels up to the last vector pixel, the same for every
     * block, so the caller counts them once.
     */
    private static void paramsBlock8(float[] dKernel, float[] dOut, float[] in, Window2D g, int K, int kc,
                                     int freshLanes, int j0, int rows, int oyA, int oyB, int oxA, int oxB, int total) {
        int run = g.kW() * g.channels(), inRowStep = g.inW() * g.channels();
        // Row j = (r, s, c) reads the input at window start + r * W * C + (s * C + c). Rows past the end repeat the last.
        int o0 = offsetOfRow(j0, rows, run, inRowStep), o1 = offsetOfRow(j0 + 1, rows, run, inRowStep),
                o2 = offsetOfRow(j0 + 2, rows, run, inRowStep), o3 = offsetOfRow(j0 + 3, rows, run, inRowStep),
                o4 = offsetOfRow(j0 + 4, rows, run, inRowStep), o5 = offsetOfRow(j0 + 5, rows, run, inRowStep),
                o6 = offsetOfRow(j0 + 6, rows, run, inRowStep), o7 = offsetOfRow(j0 + 7, rows, run, inRowStep);
        int OH = g.outH(), OW = g.outW();
        // One flat loop over those pixels (nested loops carrying vector accumulators defeat C2's
        // box elimination on JDK 17); a cursor (b, oy, ox) with the offsets of its window in `in`
        // and of its row chunk in dOut advances pixel by pixel.
        int step = g.strideW() * g.channels();
        int b = 0, oy = oyA, ox = oxA;
        int win = windowAt(b, oy, oxA, g), d = ((b * OH + oy) * OW + ox) * K + kc;
        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int t = 0; t < total; t++) {
            FloatVector v = FloatVector.fromArray(SP, dOut, d);
            a0 = FloatVector.broadcast(SP, in[win + o0]).fma(v, a0);
            a1 = FloatVector.broadcast(SP, in[win + o1]).fma(v, a1);
            a2 = FloatVector.broadcast(SP, in[win + o2]).fma(v, a2);
            a3 = FloatVector.broadcast(SP, in[win + o3]).fma(v, a3);
            a4 = FloatVector.broadcast(SP, in[win + o4]).fma(v, a4);
            a5 = FloatVector.broadcast(SP, in[win + o5]).fma(v, a5);
            a6 = FloatVector.broadcast(SP, in[win + o6]).fma(v, a6);
            a7 = FloatVector.broadcast(SP, in[win + o7]).fma(v, a7);
            if (++ox == oxB) {
                ox = oxA;
                if (++oy == oyB) {
                    oy = oyA;
                    b++;
                }
                win = windowAt(b, oy, oxA, g);
                d = ((b * OH + oy) * OW + ox) * K + kc;
            } else {
                win += step;
                d += K;
            }
        }
        // The sums leave through a scratch array and scalar adds: passing them to a helper
        // that C2 did not inline (this method is large) boxed them, 5 KB per conv2 call (measured).
        float[] sums = lanes();
        a0.intoArray(sums, 0);
        a1.intoArray(sums, VL);
        a2.intoArray(sums, 2 * VL);
        a3.intoArray(sums, 3 * VL);
        a4.intoArray(sums, 4 * VL);
        a5.intoArray(sums, 5 * VL);
        a6.intoArray(sums, 6 * VL);
        a7.intoArray(sums, 7 * VL);
        addLanes(dKernel, sums, 0, j0, Math.min(8, rows - j0), K, kc, freshLanes);
    }

    /**
     * As {@link #paramsBlock8} for six kernel rows j0..j0+5 of one window row and two K-chunks at
     * ka and kb (the chunks of [k0, k0 + 2 VL), back-aligned; kb equals ka when K ends within the
     * first), adding rows j0 + skip .. j0 + 5 only. The six rows' inputs are consecutive floats, read
     * at constant offsets from one cursor: C2 folds the offsets into the loads and merges their
     * bounds checks (with six offsets of their own, conv2 took 63-74 us per shard of 16 against 50-51).
     */
    private static void paramsBlock6x2(float[] dKernel, float[] dOut, float[] in, Window2D g, int K, int k0, int ka, int kb,
                                       int j0, int skip, int oyA, int oyB, int oxA, int oxB, int total) {
        int run = g.kW() * g.channels();
        int o = j0 / run * g.inW() * g.channels() + j0 % run;
        int OH = g.outH(), OW = g.outW();
        int step = g.strideW() * g.channels();
        int b = 0, oy = oyA, ox = oxA;
        int x = windowAt(b, oy, oxA, g) + o, d = ((b * OH + oy) * OW + ox) * K;
        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, c4 = a0, c5 = a0;
        for (int t = 0; t < total; t++) {
            FloatVector va = FloatVector.fromArray(SP, dOut, d + ka), vb = FloatVector.fromArray(SP, dOut, d + kb);
            FloatVector y = FloatVector.broadcast(SP, in[x]);
            a0 = y.fma(va, a0);
            c0 = y.fma(vb, c0);
            y = FloatVector.broadcast(SP, in[x + 1]);
            a1 = y.fma(va, a1);
            c1 = y.fma(vb, c1);
            y = FloatVector.broadcast(SP, in[x + 2]);
            a2 = y.fma(va, a2);
            c2 = y.fma(vb, c2);
            y = FloatVector.broadcast(SP, in[x + 3]);
            a3 = y.fma(va, a3);
            c3 = y.fma(vb, c3);
            y = FloatVector.broadcast(SP, in[x + 4]);
            a4 = y.fma(va, a4);
            c4 = y.fma(vb, c4);
            y = FloatVector.broadcast(SP, in[x + 5]);
            a5 = y.fma(va, a5);
            c5 = y.fma(vb, c5);
            if (++ox == oxB) {
                ox = oxA;
                if (++oy == oyB) {
                    oy = oyA;
                    b++;
                }
                x = windowAt(b, oy, oxA, g) + o;
                d = ((b * OH + oy) * OW + ox) * K;
            } else {
                x += step;
                d += K;
            }
        }
        // Out through scratch, as in paramsBlock8: chunk a's rows, then chunk b's.
        float[] sums = lanes();
        a0.intoArray(sums, 0);
        a1.intoArray(sums, VL);
        a2.intoArray(sums, 2 * VL);
        a3.intoArray(sums, 3 * VL);
        a4.intoArray(sums, 4 * VL);
        a5.intoArray(sums, 5 * VL);
        addLanes(dKernel, sums, skip, j0, 6, K, ka, Math.min(VL, ka + VL - k0));
        c0.intoArray(sums, 0);
        c1.intoArray(sums, VL);
        c2.intoArray(sums, 2 * VL);
        c3.intoArray(sums, 3 * VL);
        c4.intoArray(sums, 4 * VL);
        c5.intoArray(sums, 5 * VL);
        addLanes(dKernel, sums, skip, j0, 6, K, kb, Math.max(0, Math.min(VL, kb - k0)));
    }

    /** Kernel rows per {@link #paramsRun} block: nine accumulators, a window row of the seed model's conv2 in two blocks. */
    private static final int RUN_BLOCK = 9;
    private static final VectorShuffle<Float> LANE0 = broadcastLane(0), LANE1 = broadcastLane(1), LANE2 = broadcastLane(2), LANE3 = broadcastLane(3),
            LANE4 = broadcastLane(4), LANE5 = broadcastLane(5), LANE6 = broadcastLane(6), LANE7 = broadcastLane(7),
            LANE8 = broadcastLane(8);

    /** A permutation that copies lane i into every lane (lane 0 when the vector is shorter). */
    private static VectorShuffle<Float> broadcastLane(int i) {
        int[] index = new int[VL];
        java.util.Arrays.fill(index, i < VL ? i : 0);
        return VectorShuffle.fromArray(SP, index, 0);
    }

    /** The last inside pixel whose window rows can be read as whole vectors by {@link #paramsRun}, or -1. */
    private static int lastRunPixel(float[] in, int n, Window2D g, int oyA, int oyB, int oxA, int oxB) {
        int reach = (g.kH() - 1) * g.inW() * g.channels() + g.kW() * g.channels() - RUN_BLOCK + VL;
        for (int b = n - 1; b >= 0; b--) {
            for (int oy = oyB - 1; oy >= oyA; oy--) {
                for (int ox = oxB - 1; ox >= oxA; ox--) {
                    if (windowAt(b, oy, ox, g) + reach <= in.length) {
                        return (b * g.outH() + oy) * g.outW() + ox;
                    }
                }
            }
        }
        return -1;
    }

    /**
     * As {@link #paramsBlock8} for RUN_BLOCK kernel rows j0.. that lie in one window row (S*C is a
     * multiple of RUN_BLOCK): their inputs are consecutive floats, loaded as one vector per pixel
     * and broadcast lane by lane with a permutation, instead of one bounds-checked scalar load each.
     */
    private static void paramsRun(float[] dKernel, float[] dOut, float[] in, Window2D g, int K, int kc,
                                  int freshLanes, int j0, int oyA, int oyB, int oxA, int oxB, int total) {
        int run = g.kW() * g.channels(), inRowStep = g.inW() * g.channels();
        int o = j0 / run * inRowStep + j0 % run;
        int OH = g.outH(), OW = g.outW();
        int step = g.strideW() * g.channels();
        int b = 0, oy = oyA, ox = oxA;
        int win = windowAt(b, oy, oxA, g) + o, d = ((b * OH + oy) * OW + ox) * K + kc;
        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0;
        for (int t = 0; t < total; t++) {
            FloatVector v = FloatVector.fromArray(SP, dOut, d);
            FloatVector x = FloatVector.fromArray(SP, in, win);
            a0 = x.rearrange(LANE0).fma(v, a0);
            a1 = x.rearrange(LANE1).fma(v, a1);
            a2 = x.rearrange(LANE2).fma(v, a2);
            a3 = x.rearrange(LANE3).fma(v, a3);
            a4 = x.rearrange(LANE4).fma(v, a4);
            a5 = x.rearrange(LANE5).fma(v, a5);
            a6 = x.rearrange(LANE6).fma(v, a6);
            a7 = x.rearrange(LANE7).fma(v, a7);
            a8 = x.rearrange(LANE8).fma(v, a8);
            if (++ox == oxB) {
                ox = oxA;
                if (++oy == oyB) {
                    oy = oyA;
                    b++;
                }
                win = windowAt(b, oy, oxA, g) + o;
                d = ((b * OH + oy) * OW + ox) * K + kc;
            } else {
                win += step;
                d += K;
            }
        }
        float[] sums = lanes();
        a0.intoArray(sums, 0);
        a1.intoArray(sums, VL);
        a2.intoArray(sums, 2 * VL);
        a3.intoArray(sums, 3 * VL);
        a4.intoArray(sums, 4 * VL);
        a5.intoArray(sums, 5 * VL);
        a6.intoArray(sums, 6 * VL);
        a7.intoArray(sums, 7 * VL);
        a8.intoArray(sums, 8 * VL);
        addLanes(dKernel, sums, 0, j0, RUN_BLOCK, K, kc, freshLanes);
    }

    /** Offset of kernel row j = (r, s, c) from a window's start in the input; rows past the end repeat the last. */
    private static int offsetOfRow(int j, int rows, int run, int inRowStep) {
        int row = Math.min(j, rows - 1);
        return row / run * inRowStep + row % run;
    }

    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[RUN_BLOCK * VL]);

    /** This thread's scratch for up to nine vectors' lanes. */
    private static float[] lanes() {
        return LANES.get();
    }

    /**
     * Rows j0 + first .. j0 + count - 1 of target (K-chunk at kc) add vectors first .. count - 1
     * stored in sums (VL floats each): with K &lt; VL lanes 0..K-1 belong to the row; otherwise the last {@code freshLanes}
     * lanes (the others overlap the previous, back-aligned chunk).
     */
    private static void addLanes(float[] target, float[] sums, int first, int j0, int count, int K, int kc, int freshLanes) {
        int firstLane = K < VL ? 0 : VL - freshLanes, end = K < VL ? K : VL;
        for (int q = first; q < count; q++) {
            int row = (j0 + q) * K + kc;
            for (int l = firstLane; l < end; l++) {
                target[row + l] += sums[q * VL + l];
            }
        }
    }

    /** One pixel's contribution to dKernel, window clipped by padding: scalar axpy runs over K. */
    private static void paramsPixelScalar(float[] dKernel, float[] dOut, float[] in, int b, int oy, int ox, Window2D g, int K) {
        int H = g.inH(), W = g.inW(), C = g.channels(), S = g.kW();
        int iyTop = oy * g.strideH() - g.padTop(), ixLeft = ox * g.strideW() - g.padLeft();
        int r0 = Math.max(0, -iyTop), r1 = Math.min(g.kH(), H - iyTop);
        int s0 = Math.max(0, -ixLeft), s1 = Math.min(S, W - ixLeft);
        int outPixel = ((b * g.outH() + oy) * g.outW() + ox) * K;
        for (int r = r0; r < r1; r++) {
            int inRun = ((b * H + iyTop + r) * W + ixLeft + s0) * C;
            int kernelRun = (r * S + s0) * C * K;
            for (int j = 0; j < (s1 - s0) * C; j++) {
                float a = in[inRun + j];
                int kernelRow = kernelRun + j * K;
                for (int k = 0; k < K; k++) {
                    dKernel[kernelRow + k] += a * dOut[outPixel + k];
                }
            }
        }
    }

    // ---- Dense ----
    //
    // Forward and parameter gradient put O along the lanes (one kernel or dOut row is one vector,
    // reused by several rows), with twelve accumulators (six rows x two O-chunks; a last four rows or
    // fewer in eight) so that the FMA chains do not wait on each other. With O < VL a row of O floats is loaded as one vector that
    // spills into the next row: rows are stored in increasing order so the next row overwrites the
    // spill, loads that would leave an array read a padded per-thread copy, stores that would leave
    // the shard go through scratch, and added rows go through scratch in scalars. The input
    // gradient puts the batch along the lanes instead: dOut transposed into per-thread scratch
    // (O, VL), then dIn[., i] = sum over o of kernel[i, o] * dOutT[o, .] by broadcast and FMA, with no
    // horizontal sums, and the sums transposed back at the end. (One reduceLanes per dIn value,
    // 16 x 576 of them, took 48 us at 576 -> 120 against 17.5 us.)

    /** Per-thread dense scratch, grown once: a padded or transposed copy, and a few vectors of sums. */
    private static final class DenseScratch {
        float[] copy = new float[0];
        float[] sums = new float[0];
    }

    private static final ThreadLocal<DenseScratch> DENSE = ThreadLocal.withInitial(DenseScratch::new);
    private static DenseScratch denseScratch(int copyLength, int sumsLength) {
        DenseScratch d = DENSE.get();
        if (d.copy.length < copyLength) {
            d.copy = new float[copyLength];
        }
        if (d.sums.length < sumsLength) {
            d.sums = new float[sumsLength];
        }
        return d;
    }

    @Override
    public void denseForward(float[] out, float[] in, float[] kernel, float[] bias, int n, int inSize, int outSize) {
        int I = inSize, O = outSize;
        if (O < VL) {
            forwardNarrow(out, in, kernel, bias, n, I, O);
            return;
        }
        // Six-row blocks, except for a last four rows or fewer.
        int wide = n % 6 > 4 ? n : n - n % 6;
        forwardWide(out, in, kernel, bias, wide, I, O);
        if (wide < n) {
            forwardWide4(out, in, kernel, bias, wide, n, I, O);
        }
    }

    /**
     * O &gt;= VL: six batch rows x two O-chunks of accumulators over one flat loop on I. Rows past n
     * repeat the last row and a back-aligned chunk overlaps the previous one: both store equal values.
     * (With AVX-512, four rows x two chunks, eight FMA chains, took 14.8 us at 576 -> 120 against
     * 11.8 us for eight rows x two, n = 16. With AVX2 eight rows spill its sixteen registers: six
     * took 34-41 us against 44-48, the 120 -> 84 layer 6.1-6.4 against 7.5. Not re-measured with AVX-512.)
     */
    private static void forwardWide(float[] out, float[] in, float[] kernel, float[] bias, int n, int I, int O) {
        for (int b0 = 0; b0 < n; b0 += 6) {
            int r0 = b0, r1 = Math.min(b0 + 1, n - 1), r2 = Math.min(b0 + 2, n - 1), r3 = Math.min(b0 + 3, n - 1), r4 = Math.min(b0 + 4, n - 1), r5 = Math.min(b0 + 5, n - 1);
            int x0 = r0 * I, x1 = r1 * I, x2 = r2 * I, x3 = r3 * I, x4 = r4 * I, x5 = r5 * I;
            for (int k0 = 0; k0 < O; k0 += 2 * VL) {
                int ka = Math.min(k0, O - VL), kb = Math.min(k0 + VL, O - VL);
                FloatVector ia = bias == null ? FloatVector.zero(SP) : FloatVector.fromArray(SP, bias, ka);
                FloatVector ib = bias == null ? FloatVector.zero(SP) : FloatVector.fromArray(SP, bias, kb);
                FloatVector a0 = ia, a1 = ia, a2 = ia, a3 = ia, a4 = ia, a5 = ia;
                FloatVector c0 = ib, c1 = ib, c2 = ib, c3 = ib, c4 = ib, c5 = ib;
                for (int i = 0; i < I; i++) {
                    FloatVector va = FloatVector.fromArray(SP, kernel, i * O + ka);
                    FloatVector vb = FloatVector.fromArray(SP, kernel, i * O + kb);
                    FloatVector y = FloatVector.broadcast(SP, in[x0 + i]);
                    a0 = y.fma(va, a0);
                    c0 = y.fma(vb, c0);
                    y = FloatVector.broadcast(SP, in[x1 + i]);
                    a1 = y.fma(va, a1);
                    c1 = y.fma(vb, c1);
                    y = FloatVector.broadcast(SP, in[x2 + i]);
                    a2 = y.fma(va, a2);
                    c2 = y.fma(vb, c2);
                    y = FloatVector.broadcast(SP, in[x3 + i]);
                    a3 = y.fma(va, a3);
                    c3 = y.fma(vb, c3);
                    y = FloatVector.broadcast(SP, in[x4 + i]);
                    a4 = y.fma(va, a4);
                    c4 = y.fma(vb, c4);
                    y = FloatVector.broadcast(SP, in[x5 + i]);
                    a5 = y.fma(va, a5);
                    c5 = y.fma(vb, c5);
                }
                a0.intoArray(out, r0 * O + ka);
                c0.intoArray(out, r0 * O + kb);
                a1.intoArray(out, r1 * O + ka);
                c1.intoArray(out, r1 * O + kb);
                a2.intoArray(out, r2 * O + ka);
                c2.intoArray(out, r2 * O + kb);
                a3.intoArray(out, r3 * O + ka);
                c3.intoArray(out, r3 * O + kb);
                a4.intoArray(out, r4 * O + ka);
                c4.intoArray(out, r4 * O + kb);
                a5.intoArray(out, r5 * O + ka);
                c5.intoArray(out, r5 * O + kb);
            }
        }
    }

    /**
     * Rows [from, n) of the O &gt;= VL forward, four batch rows x two O-chunks of accumulators: for the
     * last n % 6 &lt;= 4 rows, which six-row blocks would compute partly twice over.
     */
    private static void forwardWide4(float[] out, float[] in, float[] kernel, float[] bias, int from, int n, int I, int O) {
        for (int b0 = from; b0 < n; b0 += 4) {
            int x0 = b0 * I, x1 = Math.min(b0 + 1, n - 1) * I, x2 = Math.min(b0 + 2, n - 1) * I, x3 = Math.min(b0 + 3, n - 1) * I;
            for (int k0 = 0; k0 < O; k0 += 2 * VL) {
                int ka = Math.max(0, Math.min(k0, O - 2 * VL)), kb = Math.min(ka + VL, O - VL);
                FloatVector ia = bias == null ? FloatVector.zero(SP) : FloatVector.fromArray(SP, bias, ka);
                FloatVector ib = bias == null ? FloatVector.zero(SP) : FloatVector.fromArray(SP, bias, kb);
                FloatVector a0 = ia, a1 = ia, a2 = ia, a3 = ia, c0 = ib, c1 = ib, c2 = ib, c3 = ib;
                for (int i = 0; i < I; i++) {
                    FloatVector va = FloatVector.fromArray(SP, kernel, i * O + ka);
                    FloatVector vb = FloatVector.fromArray(SP, kernel, i * O + kb);
                    FloatVector y0 = FloatVector.broadcast(SP, in[x0 + i]);
                    FloatVector y1 = FloatVector.broadcast(SP, in[x1 + i]);
                    FloatVector y2 = FloatVector.broadcast(SP, in[x2 + i]);
                    FloatVector y3 = FloatVector.broadcast(SP, in[x3 + i]);
                    a0 = y0.fma(va, a0);
                    c0 = y0.fma(vb, c0);
                    a1 = y1.fma(va, a1);
                    c1 = y1.fma(vb, c1);
                    a2 = y2.fma(va, a2);
                    c2 = y2.fma(vb, c2);
                    a3 = y3.fma(va, a3);
                    c3 = y3.fma(vb, c3);
                }
                // A repeated last row and the overlap of a back-aligned chunk store bit-equal values.
                int r3 = Math.min(b0 + 3, n - 1) * O, r2 = Math.min(b0 + 2, n - 1) * O, r1 = Math.min(b0 + 1, n - 1) * O, r0 = b0 * O;
                a3.intoArray(out, r3 + ka);
                c3.intoArray(out, r3 + kb);
                a2.intoArray(out, r2 + ka);
                c2.intoArray(out, r2 + kb);
                a1.intoArray(out, r1 + ka);
                c1.intoArray(out, r1 + kb);
                a0.intoArray(out, r0 + ka);
                c0.intoArray(out, r0 + kb);
            }
        }
    }

    /**
     * O &lt; VL: eight batch rows of accumulators, each a vector over one row's O outputs that spills
     * into the next row. The kernel and bias are read from a copy [kernel | bias | VL spare].
     */
    private static void forwardNarrow(float[] out, float[] in, float[] kernel, float[] bias, int n, int I, int O) {
        DenseScratch d = denseScratch(I * O + O + VL, 8 * VL);
        float[] w = d.copy, s = d.sums;
        System.arraycopy(kernel, 0, w, 0, I * O);
        int biasAt = I * O;
        if (bias != null) {
            System.arraycopy(bias, 0, w, biasAt, O);
        } else {
            java.util.Arrays.fill(w, biasAt, biasAt + O, 0f);
        }
        // Rows up to this one store a whole vector inside the shard's n * O outputs; later ones go through s.
        int lastVectorRow = Math.floorDiv(n * O - VL, O);
        for (int b0 = 0; b0 < n; b0 += 8) {
            int r0 = b0, r1 = Math.min(b0 + 1, n - 1), r2 = Math.min(b0 + 2, n - 1), r3 = Math.min(b0 + 3, n - 1);
            int r4 = Math.min(b0 + 4, n - 1), r5 = Math.min(b0 + 5, n - 1), r6 = Math.min(b0 + 6, n - 1), r7 = Math.min(b0 + 7, n - 1);
            int x0 = r0 * I, x1 = r1 * I, x2 = r2 * I, x3 = r3 * I, x4 = r4 * I, x5 = r5 * I, x6 = r6 * I, x7 = r7 * I;
            FloatVector a0 = FloatVector.fromArray(SP, w, biasAt), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int i = 0; i < I; i++) {
                FloatVector v = FloatVector.fromArray(SP, w, i * O);
                a0 = FloatVector.broadcast(SP, in[x0 + i]).fma(v, a0);
                a1 = FloatVector.broadcast(SP, in[x1 + i]).fma(v, a1);
                a2 = FloatVector.broadcast(SP, in[x2 + i]).fma(v, a2);
                a3 = FloatVector.broadcast(SP, in[x3 + i]).fma(v, a3);
                a4 = FloatVector.broadcast(SP, in[x4 + i]).fma(v, a4);
                a5 = FloatVector.broadcast(SP, in[x5 + i]).fma(v, a5);
                a6 = FloatVector.broadcast(SP, in[x6 + i]).fma(v, a6);
                a7 = FloatVector.broadcast(SP, in[x7 + i]).fma(v, a7);
            }
            // Increasing row order: each store's spill is overwritten by the next row (repeats store equal values).
            a0.intoArray(s, 0);
            a1.intoArray(s, VL);
            a2.intoArray(s, 2 * VL);
            a3.intoArray(s, 3 * VL);
            a4.intoArray(s, 4 * VL);
            a5.intoArray(s, 5 * VL);
            a6.intoArray(s, 6 * VL);
            a7.intoArray(s, 7 * VL);
            int count = Math.min(8, n - b0);
            for (int k = 0; k < count; k++) {
                int r = b0 + k;
                if (r <= lastVectorRow) {
                    FloatVector.fromArray(SP, s, k * VL).intoArray(out, r * O);
                } else {
                    System.arraycopy(s, k * VL, out, r * O, O);
                }
            }
        }
    }

    @Override
    public void denseBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, int inSize, int outSize) {
        int I = inSize, O = outSize;
        // Whole blocks of VL batch rows take the lanes path; so do the last rows when there are more than
        // VL / 4 of them (or O < VL); otherwise they take the dot products, whose cost is per row.
        int rest = n % VL, lanesRows = n - rest;
        if (rest > 0 && (O < VL || 4 * rest > VL)) {
            lanesRows = n;
        }
        if (lanesRows > 0) {
            DenseScratch d = denseScratch(O * VL, (I + 8) * VL);
            for (int b0 = 0; b0 < lanesRows; b0 += VL) {
                backwardInputLanes(dIn, dOut, kernel, b0, Math.min(VL, n - b0), I, O, d.copy, d.sums);
            }
        }
        if (lanesRows < n) {
            backwardInputDots(dIn, dOut, kernel, lanesRows, n, I, O);
        }
    }

    /**
     * dIn rows [b0, b0 + m), m &lt;= VL, with the batch along the lanes: t (O, VL) holds dOut transposed
     * (zeros past m), eight inputs i of accumulators sum kernel[i, o] * t[o, .] over o in order into
     * s (I rounded up to 8, VL), which is transposed into dIn at the end. (Reading each block's sums
     * back right after its vector stores cost 8 us more at 576 -> 120: the loads wait on the stores.)
     */
    private static void backwardInputLanes(float[] dIn, float[] dOut, float[] kernel, int b0, int m, int I, int O,
                                           float[] t, float[] s) {
        for (int l = 0; l < m; l++) {
            int row = (b0 + l) * O;
            for (int o = 0; o < O; o++) {
                t[o * VL + l] = dOut[row + o];
            }
        }
        for (int l = m; l < VL; l++) {
            for (int o = 0; o < O; o++) {
                t[o * VL + l] = 0f;
            }
        }
        for (int i0 = 0; i0 < I; i0 += 8) {
            // Inputs past I repeat the last one; only the first count are stored.
            int w0 = i0 * O, w1 = Math.min(i0 + 1, I - 1) * O, w2 = Math.min(i0 + 2, I - 1) * O, w3 = Math.min(i0 + 3, I - 1) * O;
            int w4 = Math.min(i0 + 4, I - 1) * O, w5 = Math.min(i0 + 5, I - 1) * O, w6 = Math.min(i0 + 6, I - 1) * O, w7 = Math.min(i0 + 7, I - 1) * O;
            FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int o = 0; o < O; o++) {
                FloatVector v = FloatVector.fromArray(SP, t, o * VL);
                a0 = FloatVector.broadcast(SP, kernel[w0 + o]).fma(v, a0);
                a1 = FloatVector.broadcast(SP, kernel[w1 + o]).fma(v, a1);
                a2 = FloatVector.broadcast(SP, kernel[w2 + o]).fma(v, a2);
                a3 = FloatVector.broadcast(SP, kernel[w3 + o]).fma(v, a3);
                a4 = FloatVector.broadcast(SP, kernel[w4 + o]).fma(v, a4);
                a5 = FloatVector.broadcast(SP, kernel[w5 + o]).fma(v, a5);
                a6 = FloatVector.broadcast(SP, kernel[w6 + o]).fma(v, a6);
                a7 = FloatVector.broadcast(SP, kernel[w7 + o]).fma(v, a7);
            }
            int q = i0 * VL;
            a0.intoArray(s, q);
            a1.intoArray(s, q + VL);
            a2.intoArray(s, q + 2 * VL);
            a3.intoArray(s, q + 3 * VL);
            a4.intoArray(s, q + 4 * VL);
            a5.intoArray(s, q + 5 * VL);
            a6.intoArray(s, q + 6 * VL);
            a7.intoArray(s, q + 7 * VL);
        }
        for (int l = 0; l < m; l++) {
            int at = (b0 + l) * I;
            for (int i = 0; i < I; i++) {
                dIn[at + i] = s[i * VL + l];
            }
        }
    }

    /**
     * dIn rows [from, n), O &gt;= VL, as dot products dIn[b, i] = dOut row b . kernel row i: O along the
     * lanes, four batch rows x two kernel rows of accumulators, one horizontal sum each. The
     * back-aligned last chunk counts only its fresh lanes.
     */
    private static void backwardInputDots(float[] dIn, float[] dOut, float[] kernel, int from, int n, int I, int O) {
        int full = O - O % VL;
        FloatVector tail = FloatVector.fromArray(SP, STEP, O % VL);
        for (int b0 = from; b0 < n; b0 += 4) {
            int d0 = b0 * O, d1 = Math.min(b0 + 1, n - 1) * O, d2 = Math.min(b0 + 2, n - 1) * O, d3 = Math.min(b0 + 3, n - 1) * O;
            for (int i0 = 0; i0 < I; i0 += 2) {
                int w0 = i0 * O, w1 = Math.min(i0 + 1, I - 1) * O;
                FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
                for (int o = 0; o < full; o += VL) {
                    FloatVector va = FloatVector.fromArray(SP, kernel, w0 + o);
                    FloatVector vb = FloatVector.fromArray(SP, kernel, w1 + o);
                    FloatVector y0 = FloatVector.fromArray(SP, dOut, d0 + o);
                    FloatVector y1 = FloatVector.fromArray(SP, dOut, d1 + o);
                    FloatVector y2 = FloatVector.fromArray(SP, dOut, d2 + o);
                    FloatVector y3 = FloatVector.fromArray(SP, dOut, d3 + o);
                    a0 = y0.fma(va, a0);
                    c0 = y0.fma(vb, c0);
                    a1 = y1.fma(va, a1);
                    c1 = y1.fma(vb, c1);
                    a2 = y2.fma(va, a2);
                    c2 = y2.fma(vb, c2);
                    a3 = y3.fma(va, a3);
                    c3 = y3.fma(vb, c3);
                }
                if (full < O) {
                    int o = O - VL;
                    FloatVector va = FloatVector.fromArray(SP, kernel, w0 + o).mul(tail);
                    FloatVector vb = FloatVector.fromArray(SP, kernel, w1 + o).mul(tail);
                    a0 = FloatVector.fromArray(SP, dOut, d0 + o).fma(va, a0);
                    c0 = FloatVector.fromArray(SP, dOut, d0 + o).fma(vb, c0);
                    a1 = FloatVector.fromArray(SP, dOut, d1 + o).fma(va, a1);
                    c1 = FloatVector.fromArray(SP, dOut, d1 + o).fma(vb, c1);
                    a2 = FloatVector.fromArray(SP, dOut, d2 + o).fma(va, a2);
                    c2 = FloatVector.fromArray(SP, dOut, d2 + o).fma(vb, c2);
                    a3 = FloatVector.fromArray(SP, dOut, d3 + o).fma(va, a3);
                    c3 = FloatVector.fromArray(SP, dOut, d3 + o).fma(vb, c3);
                }
                // Repeated rows and columns store bit-equal values again.
                int i1 = Math.min(i0 + 1, I - 1);
                int r3 = Math.min(b0 + 3, n - 1) * I, r2 = Math.min(b0 + 2, n - 1) * I, r1 = Math.min(b0 + 1, n - 1) * I, r0 = b0 * I;
                dIn[r3 + i1] = c3.reduceLanes(VectorOperators.ADD);
                dIn[r3 + i0] = a3.reduceLanes(VectorOperators.ADD);
                dIn[r2 + i1] = c2.reduceLanes(VectorOperators.ADD);
                dIn[r2 + i0] = a2.reduceLanes(VectorOperators.ADD);
                dIn[r1 + i1] = c1.reduceLanes(VectorOperators.ADD);
                dIn[r1 + i0] = a1.reduceLanes(VectorOperators.ADD);
                dIn[r0 + i1] = c0.reduceLanes(VectorOperators.ADD);
                dIn[r0 + i0] = a0.reduceLanes(VectorOperators.ADD);
            }
        }
    }

    @Override
    public void denseBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, int inSize, int outSize) {
        int I = inSize, O = outSize;
        if (O >= VL && I < 6) {   // fewer inputs than one block of paramsRows6: too small to matter
            super.denseBackwardParams(dKernel, dBias, dOut, in, n, inSize, outSize);
            return;
        }
        if (dBias != null) {
            java.util.Arrays.fill(dBias, 0, O, 0f);
            for (int b = 0; b < n; b++) {
                int row = b * O;
                for (int o = 0; o < O; o++) {
                    dBias[o] += dOut[row + o];
                }
            }
        }
        if (O < VL) {
            java.util.Arrays.fill(dKernel, 0, I * O, 0f);
            paramsNarrow(dKernel, dOut, in, n, I, O);
        } else {
            paramsRows6(dKernel, dOut, in, n, I, O);
        }
    }

    /**
     * The O &gt;= VL kernel gradient: dKernel[i, :] = sum over b of in[b, i] * dOut[b, :], six kernel
     * rows x two O-chunks of accumulators, stored once: the target is never read (reading it, when
     * gradients were added, cost the zeroing of 1.3 MB per step and a 276 KB read per shard at the
     * seed model's 576 -> 120). A last block of rows past I is moved back (I &gt;= 6) and chunks past O
     * repeat the last chunk: they store equal values.
     * Only a last chunk that starts before its block (O - k0 &lt; VL) overlaps columns already stored:
     * it keeps those lanes' stored values by a blend. Twelve FMA chains of n steps: with AVX-512,
     * four rows x two chunks summed from zero took 25 us at 576 -> 120 against 17.6 us for eight rows
     * x two (eight chains were latency-bound); with AVX2's sixteen registers eight rows spill, and six
     * took 47 us against 56-77. (Six rows replaced eight on AVX-512 too, not measured there.)
     */
    private static void paramsRows6(float[] dKernel, float[] dOut, float[] in, int n, int I, int O) {
        for (int r0 = 0; r0 < I; r0 += 6) {
            // A last block past I is moved back to end at row I - 1: it stores equal values again.
            int i0 = Math.min(r0, I - 6), w = i0 * O;
            for (int k0 = 0; k0 < O; k0 += 2 * VL) {
                int ka = Math.min(k0, O - VL), kb = Math.min(k0 + VL, O - VL);
                // Zeros loaded from STEP for each block: a zero vector kept in a register across the
                // blocks was spilled to the stack and reloaded in every iteration (AVX2).
                FloatVector a0 = FloatVector.fromArray(SP, STEP, 0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
                FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, c4 = a0, c5 = a0;
                // Cursors rather than b * O and b * I, and the six inputs at constant offsets from x:
                // C2 then folds the offsets into the loads and merges their bounds checks.
                int x = i0, d = 0;
                for (int b = 0; b < n; b++) {
                    FloatVector va = FloatVector.fromArray(SP, dOut, d + ka);
                    FloatVector vb = FloatVector.fromArray(SP, dOut, d + kb);
                    FloatVector y = FloatVector.broadcast(SP, in[x]);
                    a0 = y.fma(va, a0);
                    c0 = y.fma(vb, c0);
                    y = FloatVector.broadcast(SP, in[x + 1]);
                    a1 = y.fma(va, a1);
                    c1 = y.fma(vb, c1);
                    y = FloatVector.broadcast(SP, in[x + 2]);
                    a2 = y.fma(va, a2);
                    c2 = y.fma(vb, c2);
                    y = FloatVector.broadcast(SP, in[x + 3]);
                    a3 = y.fma(va, a3);
                    c3 = y.fma(vb, c3);
                    y = FloatVector.broadcast(SP, in[x + 4]);
                    a4 = y.fma(va, a4);
                    c4 = y.fma(vb, c4);
                    y = FloatVector.broadcast(SP, in[x + 5]);
                    a5 = y.fma(va, a5);
                    c5 = y.fma(vb, c5);
                    x += I;
                    d += O;
                }
                if (ka >= k0) {
                    a0.intoArray(dKernel, w + ka);
                    c0.intoArray(dKernel, w + kb);
                    a1.intoArray(dKernel, w + O + ka);
                    c1.intoArray(dKernel, w + O + kb);
                    a2.intoArray(dKernel, w + 2 * O + ka);
                    c2.intoArray(dKernel, w + 2 * O + kb);
                    a3.intoArray(dKernel, w + 3 * O + ka);
                    c3.intoArray(dKernel, w + 3 * O + kb);
                    a4.intoArray(dKernel, w + 4 * O + ka);
                    c4.intoArray(dKernel, w + 4 * O + kb);
                    a5.intoArray(dKernel, w + 5 * O + ka);
                    c5.intoArray(dKernel, w + 5 * O + kb);
                } else {
                    // ka == kb == O - VL: only the last O - k0 lanes are this block's columns.
                    VectorMask<Float> own = FloatVector.fromArray(SP, STEP, O - k0).compare(VectorOperators.GT, 0f);
                    FloatVector.fromArray(SP, dKernel, w + ka).blend(a0, own).intoArray(dKernel, w + ka);
                    FloatVector.fromArray(SP, dKernel, w + O + ka).blend(a1, own).intoArray(dKernel, w + O + ka);
                    FloatVector.fromArray(SP, dKernel, w + 2 * O + ka).blend(a2, own).intoArray(dKernel, w + 2 * O + ka);
                    FloatVector.fromArray(SP, dKernel, w + 3 * O + ka).blend(a3, own).intoArray(dKernel, w + 3 * O + ka);
                    FloatVector.fromArray(SP, dKernel, w + 4 * O + ka).blend(a4, own).intoArray(dKernel, w + 4 * O + ka);
                    FloatVector.fromArray(SP, dKernel, w + 5 * O + ka).blend(a5, own).intoArray(dKernel, w + 5 * O + ka);
                }
            }
        }
    }

    /**
     * O &lt; VL: eight kernel rows of accumulators, each a vector over one row's O columns (spilling
     * into the next), summed over the batch from a copy [dOut | VL zeros], then added to dKernel
     * in scalars from scratch. (Adding rows with a vector blend that kept the spilled lanes was as
     * fast at n = 16, 0.95 us at 84 -> 10, but in short standalone runs at n = 1 and 5 it took 10-12 us
     * and allocated 57-77 KB per call, probably before C2 had compiled it; the scalar add avoids the
     * question.)
     */
    private static void paramsNarrow(float[] dKernel, float[] dOut, float[] in, int n, int I, int O) {
        DenseScratch d = denseScratch(n * O + VL, 8 * VL);
        float[] p = d.copy, s = d.sums;
        System.arraycopy(dOut, 0, p, 0, n * O);
        java.util.Arrays.fill(p, n * O, n * O + VL, 0f);
        for (int i0 = 0; i0 < I; i0 += 8) {
            int i1 = Math.min(i0 + 1, I - 1), i2 = Math.min(i0 + 2, I - 1), i3 = Math.min(i0 + 3, I - 1);
            int i4 = Math.min(i0 + 4, I - 1), i5 = Math.min(i0 + 5, I - 1), i6 = Math.min(i0 + 6, I - 1), i7 = Math.min(i0 + 7, I - 1);
            FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int b = 0; b < n; b++) {
                FloatVector v = FloatVector.fromArray(SP, p, b * O);
                int x = b * I;
                a0 = FloatVector.broadcast(SP, in[x + i0]).fma(v, a0);
                a1 = FloatVector.broadcast(SP, in[x + i1]).fma(v, a1);
                a2 = FloatVector.broadcast(SP, in[x + i2]).fma(v, a2);
                a3 = FloatVector.broadcast(SP, in[x + i3]).fma(v, a3);
                a4 = FloatVector.broadcast(SP, in[x + i4]).fma(v, a4);
                a5 = FloatVector.broadcast(SP, in[x + i5]).fma(v, a5);
                a6 = FloatVector.broadcast(SP, in[x + i6]).fma(v, a6);
                a7 = FloatVector.broadcast(SP, in[x + i7]).fma(v, a7);
            }
            a0.intoArray(s, 0);
            a1.intoArray(s, VL);
            a2.intoArray(s, 2 * VL);
            a3.intoArray(s, 3 * VL);
            a4.intoArray(s, 4 * VL);
            a5.intoArray(s, 5 * VL);
            a6.intoArray(s, 6 * VL);
            a7.intoArray(s, 7 * VL);
            int count = Math.min(8, I - i0);
            for (int k = 0; k < count; k++) {
                int at = (i0 + k) * O;
                for (int o = 0; o < O; o++) {
                    dKernel[at + o] += s[k * VL + o];
                }
            }
        }
    }

    // ---- Pooling: rows first ----
    //
    // The channel count is often below VL (6 after conv1), so channels cannot fill the lanes.
    // Instead the vertical part of a window runs on whole input rows (W * C contiguous floats,
    // vector adds) into a per-thread scratch row, grown once. The horizontal part of a window
    // two columns wide that tiles the row (stride 2, no left padding: the usual 2x2 pooling) is
    // done per cell with vectors of VL channels starting at the cell, which spill past its C
    // channels: cells are written in increasing order, so the next cell overwrites the spill,
    // and a cell whose spill would leave the output (or whose load would leave dOut) is done in
    // scalars. Other windows are done per cell in scalars. The scratch row has VL floats of
    // slack for the spilled loads and stores.

    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    private static float[] row(int length) {
        float[] a = ROW.get();
        if (a.length < length + VL) {
            a = new float[length + VL];
            ROW.set(a);
        }
        return a;
    }

    /** Whether pooling windows are pairs of columns that tile the row, the case done with vectors. */
    private static boolean pairTiled(Window2D g) {
        return g.kW() == 2 && g.strideW() == 2 && g.padLeft() == 0;
    }

    @Override
    public void avgPoolForward(float[] out, float[] in, int n, Window2D g) {
        if (VectorPairPooling.applies(g)) {
            VectorPairPooling.forward(out, in, n, g);
            return;
        }
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW(), rowLen = W * C;
        float[] sum = row(rowLen);
        boolean pairs = pairTiled(g);
        // The last vector of a cell starts here; its store must end within the n images' outputs.
        int lastChunk = (C - 1) / VL * VL;
        int end = n * OH * OW * C;
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(oy * g.strideH() - g.padTop(), 0);
                int y1 = Math.min(oy * g.strideH() - g.padTop() + g.kH(), H);
                int first = (b * H + y0) * rowLen;
                System.arraycopy(in, first, sum, 0, rowLen);
                for (int y = y0 + 1; y < y1; y++) {
                    addRow(sum, in, (b * H + y) * rowLen, rowLen);
                }
                int outRow = (b * OH + oy) * OW * C;
                for (int ox = 0; ox < OW; ox++) {
                    int x0 = Math.max(ox * g.strideW() - g.padLeft(), 0);
                    int x1 = Math.min(ox * g.strideW() - g.padLeft() + g.kW(), W);
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int at = outRow + ox * C;
                    if (pairs && x1 - x0 == 2 && at + lastChunk + VL <= end) {
                        for (int j = 0; j <= lastChunk; j += VL) {
                            FloatVector.fromArray(SP, sum, x0 * C + j).add(FloatVector.fromArray(SP, sum, x0 * C + C + j))
                                    .mul(inv).intoArray(out, at + j);
                        }
                        continue;
                    }
                    for (int c = 0; c < C; c++) {
                        float acc = sum[x0 * C + c];
                        for (int x = x0 + 1; x < x1; x++) {
                            acc += sum[x * C + c];
                        }
                        out[at + c] = acc * inv;
                    }
                }
            }
        }
    }

    @Override
    public void avgPoolBackward(float[] dIn, float[] dOut, int n, Window2D g) {
        if (VectorPairPooling.applies(g)) {
            VectorPairPooling.backward(dIn, dOut, n, g);
            return;
        }
        if (pairTiled(g) && g.kH() <= g.strideH()) {
            disjointPairBackward(dIn, dOut, n, g);
            return;
        }
        // Each output row's gradient, spread over the input columns its windows cover, is one
        // scratch row; it is then added to every input row those windows cover. Tiling windows
        // do not overlap, so their cells are stored into the scratch row rather than added.
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW(), rowLen = W * C;
        float[] spread = row(rowLen);
        boolean pairs = pairTiled(g);
        int lastChunk = (C - 1) / VL * VL;
        // Columns no window covers get no gradient.
        int covered = pairs ? Math.min(2 * OW, W) * C : 0;
        java.util.Arrays.fill(dIn, 0, n * H * rowLen, 0f);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(oy * g.strideH() - g.padTop(), 0);
                int y1 = Math.min(oy * g.strideH() - g.padTop() + g.kH(), H);
                int outRow = (b * OH + oy) * OW * C;
                if (pairs) {
                    for (int ox = 0; ox < OW; ox++) {
                        int x0 = 2 * ox;
                        int x1 = Math.min(x0 + 2, W);
                        float inv = 1f / ((y1 - y0) * (x1 - x0));
                        int at = outRow + ox * C;
                        if (x1 - x0 == 2 && at + lastChunk + VL <= dOut.length) {
                            // Column by column, chunks in order: the stores' addresses increase.
                            for (int x = x0; x < x1; x++) {
                                for (int j = 0; j <= lastChunk; j += VL) {
                                    FloatVector.fromArray(SP, dOut, at + j).mul(inv).intoArray(spread, x * C + j);
                                }
                            }
                            continue;
                        }
                        for (int c = 0; c < C; c++) {
                            float v = dOut[at + c] * inv;
                            for (int x = x0; x < x1; x++) {
                                spread[x * C + c] = v;
                            }
                        }
                    }
                    java.util.Arrays.fill(spread, covered, rowLen, 0f);
                } else {
                    java.util.Arrays.fill(spread, 0, rowLen, 0f);
                    for (int ox = 0; ox < OW; ox++) {
                        int x0 = Math.max(ox * g.strideW() - g.padLeft(), 0);
                        int x1 = Math.min(ox * g.strideW() - g.padLeft() + g.kW(), W);
                        float inv = 1f / ((y1 - y0) * (x1 - x0));
                        for (int c = 0; c < C; c++) {
                            float v = dOut[outRow + ox * C + c] * inv;
                            for (int x = x0; x < x1; x++) {
                                spread[x * C + c] += v;
                            }
                        }
                    }
                }
                for (int y = y0; y < y1; y++) {
                    addRow(dIn, (b * H + y) * rowLen, spread, rowLen);
                }
            }
        }
    }

    /**
     * Windows that never overlap, pairs of columns by at most stride rows: every input cell takes
     * its one window's share, stored straight into dIn (no zero fill, no adding), and cells no
     * window covers take 0. Pixels are written in increasing address order, so the lanes a last
     * chunk spills into the next pixel (C not a multiple of VL) are overwritten by that pixel
     * afterwards; a store that would leave the shard's part of dIn is done in scalars.
     */
    private static void disjointPairBackward(float[] dIn, float[] dOut, int n, Window2D g) {
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW(), rowLen = W * C;
        int lastChunk = (C - 1) / VL * VL;
        int covered = Math.min(2 * OW, W) * C;   // columns some window covers, times C
        int end = n * H * rowLen;                // nothing past the shard's gradient is written
        for (int b = 0; b < n; b++) {
            int nextRow = 0;                       // rows below it are written
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(oy * g.strideH() - g.padTop(), 0);
                int y1 = Math.min(oy * g.strideH() - g.padTop() + g.kH(), H);
                java.util.Arrays.fill(dIn, (b * H + nextRow) * rowLen, (b * H + y0) * rowLen, 0f);
                // Only the last window of a row may be one column wide.
                float pairInv = 1f / ((y1 - y0) * 2), singleInv = 1f / (y1 - y0);
                for (int y = y0; y < y1; y++) {
                    int row = (b * H + y) * rowLen;
                    for (int ox = 0; ox < OW; ox++) {
                        int x0 = 2 * ox, x1 = Math.min(x0 + 2, W);
                        float inv = x1 - x0 == 2 ? pairInv : singleInv;
                        int at = ((b * OH + oy) * OW + ox) * C;
                        for (int x = x0; x < x1; x++) {
                            int to = row + x * C;
                            if (at + lastChunk + VL <= dOut.length && to + lastChunk + VL <= end) {
                                for (int j = 0; j <= lastChunk; j += VL) {
                                    FloatVector.fromArray(SP, dOut, at + j).mul(inv).intoArray(dIn, to + j);
                                }
                            } else {
                                for (int c = 0; c < C; c++) {
                                    dIn[to + c] = dOut[at + c] * inv;
                                }
                            }
                        }
                    }
                    java.util.Arrays.fill(dIn, row + covered, row + rowLen, 0f);
                }
                nextRow = Math.max(nextRow, y1);
            }
            java.util.Arrays.fill(dIn, (b * H + nextRow) * rowLen, (b + 1) * H * rowLen, 0f);
        }
    }

    /** sum[0, len) += in[at, at + len): vectors, then a scalar tail. */
    private static void addRow(float[] sum, float[] in, int at, int len) {
        int i = 0;
        for (; i <= len - VL; i += VL) {
            FloatVector.fromArray(SP, sum, i).add(FloatVector.fromArray(SP, in, at + i)).intoArray(sum, i);
        }
        for (; i < len; i++) {
            sum[i] += in[at + i];
        }
    }

    /** target[at, at + len) += rowValues[0, len): vectors, then a scalar tail. */
    private static void addRow(float[] target, int at, float[] rowValues, int len) {
        int i = 0;
        for (; i <= len - VL; i += VL) {
            FloatVector.fromArray(SP, target, at + i).add(FloatVector.fromArray(SP, rowValues, i)).intoArray(target, at + i);
        }
        for (; i < len; i++) {
            target[at + i] += rowValues[i];
        }
    }

    // ---- Optimizer ----

    @Override
    public void adamUpdate(float[] param, float[] m, float[] v, float[] grad, int from, int to,
                           float stepSize, float beta1, float beta2, float epsilon) {
        // The reference's operations in the reference's order, lane by lane (no fused multiply-add,
        // and a float square root is correctly rounded either way): bit-identical results.
        FloatVector b1 = FloatVector.broadcast(SP, beta1), c1 = FloatVector.broadcast(SP, 1f - beta1);
        FloatVector b2 = FloatVector.broadcast(SP, beta2), c2 = FloatVector.broadcast(SP, 1f - beta2);
        FloatVector step = FloatVector.broadcast(SP, stepSize), eps = FloatVector.broadcast(SP, epsilon);
        int i = from;
        for (; i <= to - VL; i += VL) {
            FloatVector g = FloatVector.fromArray(SP, grad, i);
            FloatVector mi = b1.mul(FloatVector.fromArray(SP, m, i)).add(c1.mul(g));
            FloatVector vi = b2.mul(FloatVector.fromArray(SP, v, i)).add(c2.mul(g).mul(g));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector.fromArray(SP, param, i).sub(step.mul(mi).div(vi.sqrt().add(eps))).intoArray(param, i);
        }
        super.adamUpdate(param, m, v, grad, i, to, stepSize, beta1, beta2, epsilon);
    }

    // ---- Activations ----

    @Override
    public void reluBackward(float[] dy, float[] y, int len) {
        // HotSpot does not vectorise the select dy = y > 0 ? dy : 0; a compare and blend does it.
        FloatVector zero = FloatVector.zero(SP);
        int i = 0;
        for (; i <= len - VL; i += VL) {
            VectorMask<Float> positive = FloatVector.fromArray(SP, y, i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(SP, dy, i), positive).intoArray(dy, i);
        }
        for (; i < len; i++) {
            dy[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }
}
