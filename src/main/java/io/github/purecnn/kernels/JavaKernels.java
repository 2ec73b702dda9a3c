package io.github.purecnn.kernels;

import java.util.Arrays;

/**
 * The portable default: plain Java loops shaped for HotSpot's auto-vectoriser, which (JDK 17)
 * vectorises a loop only when it is long and every array in it is indexed by the same expression.
 * Stride-1 convolutions therefore run per image over planar im2col columns and wide output planes
 * held in separate per-thread arrays (see "planar im2col" below); dense layers copy the kernel
 * row they use into a scratch row. Dot products, which HotSpot never vectorises, run as several
 * independent scalar chains. Strided convolutions keep per-pixel loops; pooling copies then adds
 * whole channel runs. Operations whose reference form is already efficient are inherited.
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
    //   output plane k is a sum of axpys y_k[p] += w * col_j[p], three columns per pass.
    // The planes live in per-thread scratch, grown once: allocation-free in steady state.

    /** Per-thread planes of one image; see {@link #planes}. */
    private static final class Planes {
        float[] x = new float[0];          // (C, Hp, Wp) padded input, or its gradient
        float[][] cols = new float[0][];   // [C * R * S] (L) im2col columns, or their gradients
        float[][] y = new float[0][];      // [K] (L) wide output planes, or the output gradient's
    }

    private static final ThreadLocal<Planes> PLANES = ThreadLocal.withInitial(Planes::new);

    /** This thread's planes, grown to the geometry's sizes when needed. */
    private static Planes planes(Window2D g, int K) {
        Planes pl = PLANES.get();
        int area = paddedH(g) * paddedW(g), L = wideLength(g), cols = g.channels() * g.kH() * g.kW();
        if (pl.x.length < g.channels() * area) {
            pl.x = new float[g.channels() * area];
        }
        pl.cols = grow(pl.cols, cols, L);
        pl.y = grow(pl.y, K, L);
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
        Planes pl = planes(g, K);
        for (int b = 0; b < n; b++) {
            toPaddedPlanes(pl.x, in, b, g);
            toColumns(pl.cols, pl.x, g);
            for (int k = 0; k < K; k++) {
                float[] y = pl.y[k];
                Arrays.fill(y, 0, L, bias == null ? 0f : bias[k]);
                // Column j = (c, t) meets kernel row (t, c): (t * C + c) * K + k.
                int j = 0;
                for (; j + 3 <= cols; j += 3) {
                    float w0 = kernel[kernelRow(j, taps, C) * K + k], w1 = kernel[kernelRow(j + 1, taps, C) * K + k],
                            w2 = kernel[kernelRow(j + 2, taps, C) * K + k];
                    float[] x0 = pl.cols[j], x1 = pl.cols[j + 1], x2 = pl.cols[j + 2];
                    for (int p = 0; p < L; p++) {
                        y[p] += w0 * x0[p] + w1 * x1[p] + w2 * x2[p];
                    }
                }
                for (; j < cols; j++) {
                    float w0 = kernel[kernelRow(j, taps, C) * K + k];
                    float[] x0 = pl.cols[j];
                    for (int p = 0; p < L; p++) {
                        y[p] += w0 * x0[p];
                    }
                }
            }
            for (int k = 0; k < K; k++) {
                float[] y = pl.y[k];
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
        // four planes per pass), then col2im adds each back at its shift (offsets differ: scalar,
        // a sixteenth of the work). Scratch columns of d are zero, so they send nothing back.
        int H = g.inH(), W = g.inW(), C = g.channels(), S = g.kW(), taps = g.kH() * S;
        int Wp = paddedW(g), area = paddedH(g) * Wp, L = wideLength(g);
        Planes pl = planes(g, K);
        float[] dx = pl.x;
        for (int b = 0; b < n; b++) {
            toWidePlanes(pl.y, dOut, b, g, K);
            Arrays.fill(dx, 0, C * area, 0f);
            for (int j = 0; j < C * taps; j++) {
                float[] dc = pl.cols[j];
                int w = kernelRow(j, taps, C) * K;
                Arrays.fill(dc, 0, L, 0f);
                int k = 0;
                for (; k + 4 <= K; k += 4) {
                    float w0 = kernel[w + k], w1 = kernel[w + k + 1], w2 = kernel[w + k + 2], w3 = kernel[w + k + 3];
                    float[] d0 = pl.y[k], d1 = pl.y[k + 1], d2 = pl.y[k + 2], d3 = pl.y[k + 3];
                    for (int p = 0; p < L; p++) {
                        dc[p] += w0 * d0[p] + w1 * d1[p] + w2 * d2[p] + w3 * d3[p];
                    }
                }
                for (; k < K; k++) {
                    float w0 = kernel[w + k];
                    float[] d0 = pl.y[k];
                    for (int p = 0; p < L; p++) {
                        dc[p] += w0 * d0[p];
                    }
                }
                int t = j % taps, to = j / taps * area + t / S * Wp + t % S;
                for (int p = 0; p < L; p++) {
                    dx[to + p] += dc[p];
                }
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
        // (zero scratch columns). HotSpot does not vectorise float sums (their order is fixed), so
        // these run as scalar chains, several at once.
        int C = g.channels(), taps = g.kH() * g.kW(), L = wideLength(g);
        Planes pl = planes(g, K);
        if (dBias != null) {
            int pixels = n * g.outPixels();
            for (int q = 0; q < pixels; q++) {
                for (int k = 0; k < K; k++) {
                    dBias[k] += dOut[q * K + k];
                }
            }
        }
        for (int b = 0; b < n; b++) {
            toPaddedPlanes(pl.x, in, b, g);
            toColumns(pl.cols, pl.x, g);
            toWidePlanes(pl.y, dOut, b, g, K);
            // Two columns x four planes: eight independent chains (a chain's add latency, not the
            // number of adds, bounds a scalar dot product), six loads per eight products.
            for (int j = 0; j < C * taps; j += 2) {
                int j1 = Math.min(j + 1, C * taps - 1);
                float[] x = pl.cols[j], x1 = pl.cols[j1];
                int row = kernelRow(j, taps, C) * K, row1 = kernelRow(j1, taps, C) * K;
                boolean pair = j1 != j;
                int k = 0;
                for (; k + 4 <= K; k += 4) {
                    float[] d0 = pl.y[k], d1 = pl.y[k + 1], d2 = pl.y[k + 2], d3 = pl.y[k + 3];
                    float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, u0 = 0f, u1 = 0f, u2 = 0f, u3 = 0f;
                    for (int p = 0; p < L; p++) {
                        float a = x[p], e = x1[p], f0 = d0[p], f1 = d1[p], f2 = d2[p], f3 = d3[p];
                        s0 += a * f0;
                        s1 += a * f1;
                        s2 += a * f2;
                        s3 += a * f3;
                        u0 += e * f0;
                        u1 += e * f1;
                        u2 += e * f2;
                        u3 += e * f3;
                    }
                    dKernel[row + k] += s0;
                    dKernel[row + k + 1] += s1;
                    dKernel[row + k + 2] += s2;
                    dKernel[row + k + 3] += s3;
                    if (pair) {
                        dKernel[row1 + k] += u0;
                        dKernel[row1 + k + 1] += u1;
                        dKernel[row1 + k + 2] += u2;
                        dKernel[row1 + k + 3] += u3;
                    }
                }
                for (; k < K; k++) {
                    float[] d0 = pl.y[k];
                    float s0 = 0f, u0 = 0f;
                    for (int p = 0; p < L; p++) {
                        s0 += x[p] * d0[p];
                        u0 += x1[p] * d0[p];
                    }
                    dKernel[row + k] += s0;
                    if (pair) {
                        dKernel[row1 + k] += u0;
                    }
                }
            }
        }
    }

    // ---- Dense ----
    //
    // The same two HotSpot rules as for the convolutions: long loops, one index for every array.
    // A kernel row (at offset i * O in the kernel) is first copied into a scratch row at offset 0,
    // and the shard's rows of out or dOut live in scratch rows too, so the loops over O are plain
    // y[o] += a * x[o] and vectorise. Per-thread scratch, grown once.

    /** Per-thread dense scratch: two kernel rows and up to N rows of O. */
    private static final class Rows {
        float[] w = new float[0];
        float[] w2 = new float[0];
        float[][] rows = new float[0][];
    }

    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    private static Rows rows(int n, int length) {
        Rows r = ROWS.get();
        if (r.w.length < length) {
            r.w = new float[length];
            r.w2 = new float[length];
        }
        r.rows = grow(r.rows, n, length);
        return r;
    }

    @Override
    public void denseForward(float[] out, float[] in, float[] kernel, float[] bias, int n, int inSize, int outSize) {
        int I = inSize, O = outSize;
        Rows r = rows(n, O);
        float[] w = r.w;
        for (int b = 0; b < n; b++) {
            if (bias == null) {
                Arrays.fill(r.rows[b], 0, O, 0f);
            } else {
                System.arraycopy(bias, 0, r.rows[b], 0, O);
            }
        }
        // Row b of out is a sum of kernel rows weighted by in[b, i]; each kernel row is copied once
        // and used by all n rows.
        for (int i = 0; i < I; i++) {
            System.arraycopy(kernel, i * O, w, 0, O);
            for (int b = 0; b < n; b++) {
                float a = in[b * I + i];
                float[] y = r.rows[b];
                for (int o = 0; o < O; o++) {
                    y[o] += a * w[o];
                }
            }
        }
        for (int b = 0; b < n; b++) {
            System.arraycopy(r.rows[b], 0, out, b * O, O);
        }
    }

    @Override
    public void denseBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, int inSize, int outSize) {
        // dIn[b, i] = dOut row b . kernel row i (float sums do not auto-vectorise): two kernel rows
        // x four batch rows give eight independent scalar chains, six loads per eight products.
        int I = inSize, O = outSize;
        Rows r = rows(n, O);
        for (int b = 0; b < n; b++) {
            System.arraycopy(dOut, b * O, r.rows[b], 0, O);
        }
        float[] w = r.w;
        float[] v = r.w2;
        for (int i = 0; i < I; i += 2) {
            int i1 = Math.min(i + 1, I - 1);                 // an odd last row is computed twice, stored once
            System.arraycopy(kernel, i * O, w, 0, O);
            System.arraycopy(kernel, i1 * O, v, 0, O);
            for (int b = 0; b < n; b += 4) {
                int b1 = Math.min(b + 1, n - 1), b2 = Math.min(b + 2, n - 1), b3 = Math.min(b + 3, n - 1);
                float[] y0 = r.rows[b], y1 = r.rows[b1], y2 = r.rows[b2], y3 = r.rows[b3];
                float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, u0 = 0f, u1 = 0f, u2 = 0f, u3 = 0f;
                for (int o = 0; o < O; o++) {
                    float a = w[o], e = v[o], f0 = y0[o], f1 = y1[o], f2 = y2[o], f3 = y3[o];
                    s0 += a * f0;
                    s1 += a * f1;
                    s2 += a * f2;
                    s3 += a * f3;
                    u0 += e * f0;
                    u1 += e * f1;
                    u2 += e * f2;
                    u3 += e * f3;
                }
                // Repeated rows (past n, or past I) store the same value again.
                dIn[b3 * I + i1] = u3;
                dIn[b3 * I + i] = s3;
                dIn[b2 * I + i1] = u2;
                dIn[b2 * I + i] = s2;
                dIn[b1 * I + i1] = u1;
                dIn[b1 * I + i] = s1;
                dIn[b * I + i1] = u0;
                dIn[b * I + i] = s0;
            }
        }
    }

    @Override
    public void denseBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, int inSize, int outSize) {
        int I = inSize, O = outSize;
        Rows r = rows(n, O);
        float[] w = r.w;
        for (int b = 0; b < n; b++) {
            System.arraycopy(dOut, b * O, r.rows[b], 0, O);
        }
        if (dBias != null) {
            for (int b = 0; b < n; b++) {
                float[] d = r.rows[b];
                for (int o = 0; o < O; o++) {
                    dBias[o] += d[o];
                }
            }
        }
        // dKernel row i += sum over b of in[b, i] * dOut row b, accumulated in the scratch row w.
        for (int i = 0; i < I; i++) {
            System.arraycopy(dKernel, i * O, w, 0, O);
            for (int b = 0; b < n; b++) {
                float a = in[b * I + i];
                float[] d = r.rows[b];
                for (int o = 0; o < O; o++) {
                    w[o] += a * d[o];
                }
            }
            System.arraycopy(w, 0, dKernel, i * O, O);
        }
    }

    // ---- Pooling ----

    @Override
    public void avgPoolForward(float[] out, float[] in, int n, Window2D g) {
        // Per output pixel: the first window cell's channels are copied, the others added, then the
        // whole pixel scaled; every loop runs over the C contiguous channels of one cell. The sums
        // are taken in the reference's order (the first cell added to 0 is exact): bit-identical.
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(oy * g.strideH() - g.padTop(), 0);
                int y1 = Math.min(oy * g.strideH() - g.padTop() + g.kH(), H);
                for (int ox = 0; ox < OW; ox++) {
                    int x0 = Math.max(ox * g.strideW() - g.padLeft(), 0);
                    int x1 = Math.min(ox * g.strideW() - g.padLeft() + g.kW(), W);
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    int outPixel = ((b * OH + oy) * OW + ox) * C;
                    int first = ((b * H + y0) * W + x0) * C;
                    System.arraycopy(in, first, out, outPixel, C);
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++) {
                            int cell = ((b * H + iy) * W + ix) * C;
                            for (int c = 0; c < C; c++) {
                                out[outPixel + c] += in[cell + c];
                            }
                        }
                    }
                    for (int c = 0; c < C; c++) {
                        out[outPixel + c] *= inv;
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
