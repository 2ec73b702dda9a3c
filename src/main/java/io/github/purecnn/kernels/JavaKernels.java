package io.github.purecnn.kernels;

import java.util.Arrays;

/**
 * The portable default: plain Java loops shaped for HotSpot's auto-vectoriser, which (JDK 17)
 * vectorises a loop only when every array in it is indexed by the same expression, one array is
 * stored, and the body is small (up to four products per element; measured on the seed shapes,
 * six or nine products per pass ran 2.5-3.5 times slower than three). It never vectorises a
 * float sum (the order is fixed), so dot products become sums of vectors: y[p] += a * x[p] when
 * the output is long, partial sums per position (added up once at the end) when it is short.
 * Stride-1 convolutions therefore run per image over planar im2col columns and wide output planes
 * held in separate per-thread arrays (see "planar im2col" below); dense layers copy the rows they
 * use, or the transposed kernel, into scratch rows. Strided convolutions keep per-pixel loops;
 * average pooling sums whole input rows first. Operations whose reference form is already
 * efficient are inherited.
 *
 * <p>Dimension legend as in {@link Kernels}: N images, H/W input size, C input channels, K filters,
 * R/S window, OH/OW output size, I/O dense sizes; plus, for the planar layout, Hp/Wp the padded
 * input plane and L the positions of a wide output plane.
 */
public class JavaKernels extends ReferenceKernels {

    @Override
    public String name() {
        return "java";
    }

    // ---- Conv2D ----

    @Override
    public void conv2dForward(float[] out, float[] in, float[] kernel, float[] bias, int n, Window2D g, int filters) {
        if (g.strideH() == 1 && g.strideW() == 1) {
            planarForward(out, in, kernel, bias, n, g, filters);
        } else {
            pixelForward(out, in, kernel, bias, n, g, filters);
        }
    }

    /** Strided windows: per output pixel, axpy runs over K. */
    private static void pixelForward(float[] out, float[] in, float[] kernel, float[] bias, int n, Window2D g, int filters) {
        int H = g.inH(), W = g.inW(), C = g.channels(), S = g.kW(), K = filters;
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int iyTop = oy * g.strideH() - g.padTop();
                int r0 = Math.max(0, -iyTop), r1 = Math.min(g.kH(), H - iyTop);
                for (int ox = 0; ox < g.outW(); ox++) {
                    int ixLeft = ox * g.strideW() - g.padLeft();
                    int s0 = Math.max(0, -ixLeft), s1 = Math.min(S, W - ixLeft);
                    int runLength = (s1 - s0) * C;            // contiguous (s, c) cells of one window row
                    int outPixel = ((b * g.outH() + oy) * g.outW() + ox) * K;
                    if (bias == null) {
                        Arrays.fill(out, outPixel, outPixel + K, 0f);
                    } else {
                        System.arraycopy(bias, 0, out, outPixel, K);
                    }
                    for (int r = r0; r < r1; r++) {
                        int inRun = ((b * H + iyTop + r) * W + ixLeft + s0) * C;
                        int kernelRun = (r * S + s0) * C * K;
                        for (int j = 0; j < runLength; j++) {
                            float a = in[inRun + j];
                            int kernelRow = kernelRun + j * K;
                            for (int k = 0; k < K; k++) {
                                out[outPixel + k] += a * kernel[kernelRow + k];
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, Window2D g, int filters) {
        if (g.strideH() == 1 && g.strideW() == 1) {
            planarBackwardInput(dIn, dOut, kernel, n, g, filters);
        } else {
            pixelBackwardInput(dIn, dOut, kernel, n, g, filters);
        }
    }

    /** Strided windows: per output pixel and input cell, a dot product over K. */
    private static void pixelBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, Window2D g, int filters) {
        int H = g.inH(), W = g.inW(), C = g.channels(), S = g.kW(), K = filters;
        Arrays.fill(dIn, 0, n * g.inSize(), 0f);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int iyTop = oy * g.strideH() - g.padTop();
                int r0 = Math.max(0, -iyTop), r1 = Math.min(g.kH(), H - iyTop);
                for (int ox = 0; ox < g.outW(); ox++) {
                    int ixLeft = ox * g.strideW() - g.padLeft();
                    int s0 = Math.max(0, -ixLeft), s1 = Math.min(S, W - ixLeft);
                    int runLength = (s1 - s0) * C;
                    int outPixel = ((b * g.outH() + oy) * g.outW() + ox) * K;
                    for (int r = r0; r < r1; r++) {
                        int inRun = ((b * H + iyTop + r) * W + ixLeft + s0) * C;
                        int kernelRun = (r * S + s0) * C * K;
                        for (int j = 0; j < runLength; j++) {
                            int kernelRow = kernelRun + j * K;
                            float sum = 0f;
                            for (int k = 0; k < K; k++) {
                                sum += dOut[outPixel + k] * kernel[kernelRow + k];
                            }
                            dIn[inRun + j] += sum;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void conv2dBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Window2D g, int filters) {
        ParamGradients.clear(dKernel, g.kH() * g.kW() * g.channels() * filters, dBias, filters);
        if (g.strideH() == 1 && g.strideW() == 1) {
            planarBackwardParams(dKernel, dBias, dOut, in, n, g, filters);
        } else {
            pixelBackwardParams(dKernel, dBias, dOut, in, n, g, filters);
        }
    }

    /** Strided windows: per output pixel, axpy runs over K. */
    private static void pixelBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Window2D g, int filters) {
        int H = g.inH(), W = g.inW(), C = g.channels(), S = g.kW(), K = filters;
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int iyTop = oy * g.strideH() - g.padTop();
                int r0 = Math.max(0, -iyTop), r1 = Math.min(g.kH(), H - iyTop);
                for (int ox = 0; ox < g.outW(); ox++) {
                    int ixLeft = ox * g.strideW() - g.padLeft();
                    int s0 = Math.max(0, -ixLeft), s1 = Math.min(S, W - ixLeft);
                    int runLength = (s1 - s0) * C;
                    int outPixel = ((b * g.outH() + oy) * g.outW() + ox) * K;
                    if (dBias != null) {
                        for (int k = 0; k < K; k++) {
                            dBias[k] += dOut[outPixel + k];
                        }
                    }
                    for (int r = r0; r < r1; r++) {
                        int inRun = ((b * H + iyTop + r) * W + ixLeft + s0) * C;
                        int kernelRun = (r * S + s0) * C * K;
                        for (int j = 0; j < runLength; j++) {
                            float a = in[inRun + j];
                            int kernelRow = kernelRun + j * K;
                            for (int k = 0; k < K; k++) {
                                dKernel[kernelRow + k] += a * dOut[outPixel + k];
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- Conv2D with stride 1: planar im2col ----
    //
    // HotSpot (JDK 17) auto-vectorises a loop only when it is long (its vector main loop needs
    // several vectors' worth of iterations, so loops over K = 6 or 16 run scalar) and when every
    // array in it is indexed by the same expression: y[p] += w * x[p] runs 4x faster than
    // y[p] += w * x[p + off] (measured: 0.16 against 0.6 ns per element). So with stride 1 the
    // convolution runs over per-image planes held in separate arrays, all indexed from 0:
    // - each input channel is a padded plane Hp x Wp (Hp = OH + R - 1, Wp = OW + S - 1, zeros where
    //   'same' pads);
    // - an output position p = oy * Wp + ox of a "wide" plane of L = (OH - 1) * Wp + OW positions
    //   (columns ox >= OW are scratch) reads window tap t = (r, s) at input position p + r * Wp + s;
    // - so column j = (c, t) of the implicit im2col matrix is one System.arraycopy of L floats, and
    //   output plane k is a sum of axpys y_k[p] += w * col_j[p], three columns per pass;
    // - the kernel gradient, a dot product of a column with a dOut plane, keeps partial sums per
    //   position (see planarBackwardParams).
    // The planes live in per-thread scratch, grown once: allocation-free in steady state.

    /** Per-thread planes of up to IMAGES images; see {@link #planes}. */
    private static final class Planes {
        float[] x = new float[0];                   // (C, Hp, Wp) padded input, or its gradient
        float[][][] cols = new float[IMAGES][0][];  // [IMAGES][C * R * S + 1] (L) im2col columns or their gradients, then ones
        float[][][] y = new float[IMAGES][0][];     // [IMAGES][K] (L) wide output planes, or the output gradient's
        float[][] acc = new float[0][];             // [(C * R * S + 1) * K] (L) partial sums of the kernel and bias gradients
        float[] span = new float[0];                // (L) floats of x copied out to add a column gradient to
    }

    /** Images per pass of the kernel gradient's loop. */
    private static final int IMAGES = 4;

    private static final ThreadLocal<Planes> PLANES = ThreadLocal.withInitial(Planes::new);

    /** This thread's planes for the given number of images, grown to the geometry's sizes when needed. */
    private static Planes planes(Window2D g, int K, int images) {
        Planes pl = PLANES.get();
        int area = paddedH(g) * paddedW(g), L = wideLength(g), cols = g.channels() * g.kH() * g.kW();
        if (pl.x.length < g.channels() * area) {
            pl.x = new float[g.channels() * area];
        }
        if (pl.span.length < L) {
            pl.span = new float[L];
        }
        for (int q = 0; q < images; q++) {
            pl.cols[q] = grow(pl.cols[q], cols + 1, L);
            pl.y[q] = grow(pl.y[q], K, L);
        }
        return pl;
    }

    private static float[][] grow(float[][] a, int count, int length) {
        if (a.length < count || a[0].length < length) {
            a = new float[Math.max(count, a.length)][Math.max(length, a.length == 0 ? 0 : a[0].length)];
        }
        return a;
    }

    /** Padded plane height and width for stride 1. */
    static int paddedH(Window2D g) {
        return g.outH() + g.kH() - 1;
    }

    static int paddedW(Window2D g) {
        return g.outW() + g.kW() - 1;
    }

    /** Positions of a wide output plane. */
    private static int wideLength(Window2D g) {
        return (g.outH() - 1) * paddedW(g) + g.outW();
    }

    /** Image b of in (H, W, C) into the padded planes x (C, Hp, Wp) writes. */
    private static void toPaddedPlanes(float[] x, float[] in, int b, Window2D g) {
        int H = g.inH(), W = g.inW(), C = g.channels(), Hp = paddedH(g), Wp = paddedW(g), area = Hp * Wp;
        if (Hp != H || Wp != W) {
            Arrays.fill(x, 0, C * area, 0f);
        }
        int cells = Math.min(W, Wp - g.padLeft());
        for (int y = 0; y < H && y + g.padTop() < Hp; y++) {
            int row = (y + g.padTop()) * Wp + g.padLeft();
            int inRow = (b * H + y) * W * C;
            for (int c = 0; c < C; c++) {
                int to = c * area + row;
                for (int xx = 0; xx < cells; xx++) {
                    x[to + xx] = in[inRow + xx * C + c];
                }
            }
        }
    }

    /** The im2col columns of the padded planes x: cols[c * R * S + t] (L) writes. */
    private static void toColumns(float[][] cols, float[] x, Window2D g) {
        int S = g.kW(), taps = g.kH() * S, Wp = paddedW(g), area = paddedH(g) * Wp, L = wideLength(g);
        for (int c = 0; c < g.channels(); c++) {
            for (int t = 0; t < taps; t++) {
                System.arraycopy(x, c * area + t / S * Wp + t % S, cols[c * taps + t], 0, L);
            }
        }
    }

    /** Image b of dOut (OH, OW, K) into the wide planes d[k] (L) writes, scratch columns zero. */
    private static void toWidePlanes(float[][] d, float[] dOut, int b, Window2D g, int K) {
        int OH = g.outH(), OW = g.outW(), Wp = paddedW(g), L = wideLength(g);
        for (int k = 0; k < K; k++) {
            float[] dk = d[k];
            Arrays.fill(dk, 0, L, 0f);
            for (int oy = 0; oy < OH; oy++) {
                int outRow = (b * OH + oy) * OW * K + k;
                int to = oy * Wp;
                for (int ox = 0; ox < OW; ox++) {
                    dk[to + ox] = dOut[outRow + ox * K];
                }
            }
        }
    }

    private static void planarForward(float[] out, float[] in, float[] kernel, float[] bias, int n, Window2D g, int K) {
        int OH = g.outH(), OW = g.outW(), Wp = paddedW(g), L = wideLength(g);
        int taps = g.kH() * g.kW(), C = g.channels(), cols = C * taps;
        Planes pl = planes(g, K, 1);
        float[][] cols0 = pl.cols[0], y0 = pl.y[0];
        for (int b = 0; b < n; b++) {
            toPaddedPlanes(pl.x, in, b, g);
            toColumns(cols0, pl.x, g);
            for (int k = 0; k < K; k++) {
                float[] y = y0[k];
                Arrays.fill(y, 0, L, bias == null ? 0f : bias[k]);
                // Column j = (c, t) meets kernel row (t, c): (t * C + c) * K + k.
                int j = 0;
                for (; j + 3 <= cols; j += 3) {
                    float w0 = kernel[kernelRow(j, taps, C) * K + k], w1 = kernel[kernelRow(j + 1, taps, C) * K + k],
                            w2 = kernel[kernelRow(j + 2, taps, C) * K + k];
                    float[] x0 = cols0[j], x1 = cols0[j + 1], x2 = cols0[j + 2];
                    for (int p = 0; p < L; p++) {
                        y[p] += w0 * x0[p] + w1 * x1[p] + w2 * x2[p];
                    }
                }
                for (; j < cols; j++) {
                    float w0 = kernel[kernelRow(j, taps, C) * K + k];
                    float[] x0 = cols0[j];
                    for (int p = 0; p < L; p++) {
                        y[p] += w0 * x0[p];
                    }
                }
            }
            for (int k = 0; k < K; k++) {
                float[] y = y0[k];
                for (int oy = 0; oy < OH; oy++) {
                    int outRow = (b * OH + oy) * OW * K + k;
                    int from = oy * Wp;
                    for (int ox = 0; ox < OW; ox++) {
                        out[outRow + ox * K] = y[from + ox];
                    }
                }
            }
        }
    }

    /** The kernel row (t, c) of im2col column j = c * taps + t. */
    private static int kernelRow(int j, int taps, int C) {
        return j % taps * C + j / taps;
    }

    private static void planarBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, Window2D g, int K) {
        // The transpose of the forward: column gradients dcol_j = sum_k w(j, k) * d_k (vectorised,
        // four planes per pass), then col2im adds each back at its shift: the L floats there are
        // copied out into span, added to (one index, so it vectorises) and copied back, which
        // beats the scalar dx[to + p] += dcol[p]. Scratch columns of d are zero, so they send
        // nothing back.
        int H = g.inH(), W = g.inW(), C = g.channels(), S = g.kW(), taps = g.kH() * S;
        int Wp = paddedW(g), area = paddedH(g) * Wp, L = wideLength(g);
        Planes pl = planes(g, K, 1);
        float[] dx = pl.x, span = pl.span;
        float[][] cols0 = pl.cols[0], y0 = pl.y[0];
        for (int b = 0; b < n; b++) {
            toWidePlanes(y0, dOut, b, g, K);
            Arrays.fill(dx, 0, C * area, 0f);
            for (int j = 0; j < C * taps; j++) {
                float[] dc = cols0[j];
                int w = kernelRow(j, taps, C) * K;
                Arrays.fill(dc, 0, L, 0f);
                int k = 0;
                for (; k + 4 <= K; k += 4) {
                    float w0 = kernel[w + k], w1 = kernel[w + k + 1], w2 = kernel[w + k + 2], w3 = kernel[w + k + 3];
                    float[] d0 = y0[k], d1 = y0[k + 1], d2 = y0[k + 2], d3 = y0[k + 3];
                    for (int p = 0; p < L; p++) {
                        dc[p] += w0 * d0[p] + w1 * d1[p] + w2 * d2[p] + w3 * d3[p];
                    }
                }
                for (; k < K; k++) {
                    float w0 = kernel[w + k];
                    float[] d0 = y0[k];
                    for (int p = 0; p < L; p++) {
                        dc[p] += w0 * d0[p];
                    }
                }
                int t = j % taps, to = j / taps * area + t / S * Wp + t % S;
                System.arraycopy(dx, to, span, 0, L);
                for (int p = 0; p < L; p++) {
                    span[p] += dc[p];
                }
                System.arraycopy(span, 0, dx, to, L);
            }
            for (int y = 0; y < H; y++) {
                int from = (y + g.padTop()) * Wp + g.padLeft();
                int inRow = (b * H + y) * W * C;
                for (int c = 0; c < C; c++) {
                    int plane = c * area + from;
                    for (int xx = 0; xx < W; xx++) {
                        dIn[inRow + xx * C + c] = dx[plane + xx];
                    }
                }
            }
        }
    }

    private static void planarBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Window2D g, int K) {
        // dKernel[(t, c), k] is the dot product of column j = (c, t) with the wide dOut plane k
        // (zero scratch columns), summed over the images. HotSpot does not vectorise float sums
        // (their order is fixed) but does vectorise acc[p] += x[p] * d[p]: so each (j, k) pair
        // keeps a wide plane of partial sums, one per position, to which a pass adds the products
        // of IMAGES images (four products per load and store of acc, the most per pass that
        // vectorised in the forward, see the class comment; two ran slower); its L partial sums
        // are added up at the end. A pass past the last image uses zero planes, which add exactly
        // 0. The bias gradient is the kernel gradient of an input that is 1 everywhere: one more
        // column, of ones, after the im2col columns.
        int C = g.channels(), taps = g.kH() * g.kW(), cols = C * taps, L = wideLength(g);
        int used = dBias == null ? cols : cols + 1;
        Planes pl = planes(g, K, IMAGES);
        float[][] acc = pl.acc = grow(pl.acc, used * K, L);
        fill(acc, used * K, L);
        for (int q = 0; q < IMAGES; q++) {
            Arrays.fill(pl.cols[q][cols], 0, L, 1f);
        }
        for (int b = 0; b < n; b += IMAGES) {
            for (int q = 0; q < IMAGES; q++) {
                if (b + q < n) {
                    toPaddedPlanes(pl.x, in, b + q, g);
                    toColumns(pl.cols[q], pl.x, g);
                    toWidePlanes(pl.y[q], dOut, b + q, g, K);
                } else {
                    fill(pl.cols[q], cols, L);
                    fill(pl.y[q], K, L);
                }
            }
            float[][] x0 = pl.cols[0], x1 = pl.cols[1], x2 = pl.cols[2], x3 = pl.cols[3];
            float[][] d0 = pl.y[0], d1 = pl.y[1], d2 = pl.y[2], d3 = pl.y[3];
            for (int j = 0; j < used; j++) {
                float[] a0 = x0[j], a1 = x1[j], a2 = x2[j], a3 = x3[j];
                for (int k = 0; k < K; k++) {
                    float[] a = acc[j * K + k], e0 = d0[k], e1 = d1[k], e2 = d2[k], e3 = d3[k];
                    for (int p = 0; p < L; p++) {
                        a[p] += a0[p] * e0[p] + a1[p] * e1[p] + a2[p] * e2[p] + a3[p] * e3[p];
                    }
                }
            }
        }
        for (int j = 0; j < cols; j++) {
            int row = kernelRow(j, taps, C) * K;
            for (int k = 0; k < K; k++) {
                dKernel[row + k] += sum(acc[j * K + k], L);
            }
        }
        if (dBias != null) {
            for (int k = 0; k < K; k++) {
                dBias[k] += sum(acc[cols * K + k], L);
            }
        }
    }

    /** Zeros into planes[0, count) (length). */
    private static void fill(float[][] planes, int count, int length) {
        for (int i = 0; i < count; i++) {
            Arrays.fill(planes[i], 0, length, 0f);
        }
    }

    /** The sum of a[0, len) in four independent chains (a chain's add latency bounds a scalar sum). */
    private static float sum(float[] a, int len) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int p = 0;
        for (; p + 4 <= len; p += 4) {
            s0 += a[p];
            s1 += a[p + 1];
            s2 += a[p + 2];
            s3 += a[p + 3];
        }
        for (; p < len; p++) {
            s0 += a[p];
        }
        return (s0 + s1) + (s2 + s3);
    }

    // ---- Dense ----
    //
    // The same HotSpot rules as for the convolutions: every array of a loop indexed by the same
    // expression, and one array stored per loop (a loop that stores into two runs scalar). Rows
    // of the kernel, of out or dOut, and of the transposed kernel are copied into per-thread
    // scratch rows starting at 0, so the loops are plain y[o] += a0 * x0[o] + ... + a3 * x3[o]
    // and vectorise; four rows per pass share one load and store of y. A block of four that runs
    // past the rows uses zero rows with zero weights, which add exactly 0. Scratch grown once.

    /** Per-thread dense scratch. */
    private static final class Rows {
        float[][] w = new float[BLOCK][0];   // [BLOCK] (length) rows of the kernel
        float[][] rows = new float[0][];     // [N rounded up to BLOCK] (O) rows of out or dOut, zero past n
        float[][] kt = new float[0][];       // [O rounded up to BLOCK] (I) the kernel transposed, zero past O
        float[] y = new float[0];            // (length) one row being accumulated
    }

    /** Rows per pass of the dense loops. */
    private static final int BLOCK = 4;

    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    /** This thread's dense scratch, its rows w and y grown to length when needed. */
    private static Rows rows(int length) {
        Rows r = ROWS.get();
        if (r.y.length < length) {
            r.y = new float[length];
            for (int q = 0; q < BLOCK; q++) {
                r.w[q] = new float[length];
            }
        }
        return r;
    }

    private static int roundUp(int count) {
        return (count + BLOCK - 1) / BLOCK * BLOCK;
    }

    @Override
    public void denseForward(float[] out, float[] in, float[] kernel, float[] bias, int n, int inSize, int outSize) {
        // Row b of out is a sum of kernel rows weighted by in[b, i]; each block of kernel rows is
        // copied once and used by all n rows.
        int I = inSize, O = outSize;
        Rows r = rows(O);
        r.rows = grow(r.rows, n, O);
        float[] w0 = r.w[0], w1 = r.w[1], w2 = r.w[2], w3 = r.w[3];
        for (int b = 0; b < n; b++) {
            if (bias == null) {
                Arrays.fill(r.rows[b], 0, O, 0f);
            } else {
                System.arraycopy(bias, 0, r.rows[b], 0, O);
            }
        }
        for (int i = 0; i < I; i += BLOCK) {
            for (int q = 0; q < BLOCK; q++) {
                if (i + q < I) {
                    System.arraycopy(kernel, (i + q) * O, r.w[q], 0, O);
                } else {
                    Arrays.fill(r.w[q], 0, O, 0f);
                }
            }
            for (int b = 0; b < n; b++) {
                int inRow = b * I + i;
                float a0 = in[inRow], a1 = weight(in, inRow + 1, i + 1 < I), a2 = weight(in, inRow + 2, i + 2 < I),
                        a3 = weight(in, inRow + 3, i + 3 < I);
                float[] y = r.rows[b];
                for (int o = 0; o < O; o++) {
                    y[o] += a0 * w0[o] + a1 * w1[o] + a2 * w2[o] + a3 * w3[o];
                }
            }
        }
        for (int b = 0; b < n; b++) {
            System.arraycopy(r.rows[b], 0, out, b * O, O);
        }
    }

    /** m[at] if inside, else the zero weight of a padding row. */
    private static float weight(float[] m, int at, boolean inside) {
        return inside ? m[at] : 0f;
    }

    @Override
    public void denseBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, int inSize, int outSize) {
        // Row b of dIn is a sum of transposed-kernel rows (of I) weighted by dOut[b, o]: the
        // kernel is transposed once per call so that these run over the long axis I.
        int I = inSize, O = outSize;
        Rows r = rows(I);
        float[][] kt = r.kt = grow(r.kt, roundUp(O), I);
        float[] y = r.y;
        for (int i = 0; i < I; i++) {
            int kernelRow = i * O;
            for (int o = 0; o < O; o++) {
                kt[o][i] = kernel[kernelRow + o];
            }
        }
        for (int o = O; o < roundUp(O); o++) {
            Arrays.fill(kt[o], 0, I, 0f);
        }
        for (int b = 0; b < n; b++) {
            Arrays.fill(y, 0, I, 0f);
            for (int o = 0; o < O; o += BLOCK) {
                int outRow = b * O + o;
                float a0 = dOut[outRow], a1 = weight(dOut, outRow + 1, o + 1 < O), a2 = weight(dOut, outRow + 2, o + 2 < O),
                        a3 = weight(dOut, outRow + 3, o + 3 < O);
                float[] x0 = kt[o], x1 = kt[o + 1], x2 = kt[o + 2], x3 = kt[o + 3];
                for (int i = 0; i < I; i++) {
                    y[i] += a0 * x0[i] + a1 * x1[i] + a2 * x2[i] + a3 * x3[i];
                }
            }
            System.arraycopy(y, 0, dIn, b * I, I);
        }
    }

    @Override
    public void denseBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, int inSize, int outSize) {
        int I = inSize, O = outSize;
        Rows r = rows(O);
        float[][] d = r.rows = grow(r.rows, roundUp(n), O);
        float[] y = r.y;
        for (int b = 0; b < roundUp(n); b++) {
            if (b < n) {
                System.arraycopy(dOut, b * O, d[b], 0, O);
            } else {
                Arrays.fill(d[b], 0, O, 0f);
            }
        }
        if (dBias != null) {
            Arrays.fill(dBias, 0, O, 0f);
            for (int b = 0; b < n; b++) {
                for (int o = 0; o < O; o++) {
                    dBias[o] += d[b][o];
                }
            }
        }
        // dKernel row i = sum over b of in[b, i] * dOut row b, accumulated in the scratch row y.
        for (int i = 0; i < I; i++) {
            Arrays.fill(y, 0, O, 0f);
            for (int b = 0; b < n; b += BLOCK) {
                float a0 = in[b * I + i], a1 = weight(in, (b + 1) * I + i, b + 1 < n), a2 = weight(in, (b + 2) * I + i, b + 2 < n),
                        a3 = weight(in, (b + 3) * I + i, b + 3 < n);
                float[] d0 = d[b], d1 = d[b + 1], d2 = d[b + 2], d3 = d[b + 3];
                for (int o = 0; o < O; o++) {
                    y[o] += a0 * d0[o] + a1 * d1[o] + a2 * d2[o] + a3 * d3[o];
                }
            }
            System.arraycopy(y, 0, dKernel, i * O, O);
        }
    }

    // ---- Activations ----

    @Override
    public void reluBackward(float[] dy, float[] y, int len) {
        // The reference's select dy = y > 0 ? dy : 0 does not vectorise, and on feature maps its
        // branch mispredicts (about 1.3 ns per element on conv1's output, 4 on random signs).
        // Multiplying by pass = 1 where y > 0 and 0 elsewhere does: any y > 0, even the smallest
        // subnormal 2^-149, times 2^127 twice is at least 2^105, clamped to 1; y <= 0 gives 0.
        // The same values as the reference for every y that is not NaN and every finite dy, but a
        // cleared negative dy is -0 (equal to 0 in every later sum), and a NaN y, or an infinite
        // or NaN dy where y <= 0, gives NaN where the reference gives 0.
        for (int i = 0; i < len; i++) {
            float pass = Math.min(Math.max(y[i] * 0x1p127f * 0x1p127f, 0f), 1f);
            dy[i] *= pass;
        }
    }

    // ---- Pooling ----
    //
    // The forward sums rows first: an output row's window rows are added up over whole input
    // rows (W * C floats) in a per-thread scratch row, each window row copied into a second
    // scratch row so that the add has one index for both arrays and vectorises; then each output
    // pixel adds its window's columns from that row. (Per pixel and window cell, loops over the
    // C = 6 channels of the seed model's first pool cost more in loop overhead than in adds.)

    /** Per-thread pooling scratch rows. */
    private static final class PoolRows {
        float[] sum = new float[0];   // (W * C) the window rows of one output row, summed
        float[] row = new float[0];   // (W * C) one input row
    }

    private static final ThreadLocal<PoolRows> POOL_ROWS = ThreadLocal.withInitial(PoolRows::new);

    private static PoolRows poolRows(int length) {
        PoolRows r = POOL_ROWS.get();
        if (r.sum.length < length) {
            r.sum = new float[length];
            r.row = new float[length];
        }
        return r;
    }

    @Override
    public void avgPoolForward(float[] out, float[] in, int n, Window2D g) {
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW(), rowLength = W * C;
        PoolRows r = poolRows(rowLength);
        float[] sum = r.sum, row = r.row;
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(oy * g.strideH() - g.padTop(), 0);
                int y1 = Math.min(oy * g.strideH() - g.padTop() + g.kH(), H);
                System.arraycopy(in, (b * H + y0) * rowLength, sum, 0, rowLength);
                for (int iy = y0 + 1; iy < y1; iy++) {
                    System.arraycopy(in, (b * H + iy) * rowLength, row, 0, rowLength);
                    for (int i = 0; i < rowLength; i++) {
                        sum[i] += row[i];
                    }
                }
                for (int ox = 0; ox < OW; ox++) {
                    int x0 = Math.max(ox * g.strideW() - g.padLeft(), 0);
                    int x1 = Math.min(ox * g.strideW() - g.padLeft() + g.kW(), W);
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int outPixel = ((b * OH + oy) * OW + ox) * C;
                    for (int c = 0; c < C; c++) {
                        float s = sum[x0 * C + c];
                        for (int ix = x0 + 1; ix < x1; ix++) {
                            s += sum[ix * C + c];
                        }
                        out[outPixel + c] = s * inv;
                    }
                }
            }
        }
    }

    @Override
    public void avgPoolBackward(float[] dIn, float[] dOut, int n, Window2D g) {
        // Scatter form as the reference, with each pixel's scaled gradient computed once per cell row
        // of C channels; the zero fill covers cells no window reaches (and overlapping windows add).
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW();
        Arrays.fill(dIn, 0, n * H * W * C, 0f);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(oy * g.strideH() - g.padTop(), 0);
                int y1 = Math.min(oy * g.strideH() - g.padTop() + g.kH(), H);
                for (int ox = 0; ox < OW; ox++) {
                    int x0 = Math.max(ox * g.strideW() - g.padLeft(), 0);
                    int x1 = Math.min(ox * g.strideW() - g.padLeft() + g.kW(), W);
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int outPixel = ((b * OH + oy) * OW + ox) * C;
                    for (int iy = y0; iy < y1; iy++) {
                        int cellRow = ((b * H + iy) * W) * C;
                        for (int ix = x0; ix < x1; ix++) {
                            int cell = cellRow + ix * C;
                            for (int c = 0; c < C; c++) {
                                dIn[cell + c] += dOut[outPixel + c] * inv;
                            }
                        }
                    }
                }
            }
        }
    }
}
