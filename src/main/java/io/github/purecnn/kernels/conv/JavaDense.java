package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;

import java.util.Arrays;

import static io.github.purecnn.kernels.conv.FmaRows.GROUP;
import static io.github.purecnn.kernels.conv.FmaRows.ROW_LENGTH;

/**
 * The plain-Java dense layer (the convolution geometry {@link Window2D#dense}: n images of C inputs,
 * K units), in the canonical order of {@link ReferenceConv}: an output adds its inputs c in order,
 * an input gradient its units k, a kernel gradient its images b. The vectorised axis (see
 * {@link FmaRows}) runs over units or inputs, whichever the pass keeps independent; images are
 * too few (16 to a shard) to fill vectors.
 * <ul>
 *   <li>Forward, wide layers (units on the rows): each image's output row over the units adds six
 *       kernel rows per pass, copied into scratch rows once for all images. Narrow layers (a few
 *       units, such as a last layer of 10): scalar sums in registers, four images by four units.</li>
 *   <li>Input gradient: each image's row over the inputs adds six rows of the transposed kernel
 *       (packed as (K, C)) per pass.</li>
 *   <li>Kernel gradient, wide layers: kernel row c over the units adds the images' output-gradient
 *       rows, six per pass, then is copied into place. Narrow layers: row k of the transposed
 *       gradient over the inputs adds the images' input rows, then is written transposed.</li>
 * </ul>
 *
 * <p>Legend: n images; C inputs; K units.
 */
public final class JavaDense implements ConvPlan {
    private final Window2D g;
    private final int C;
    private final int K;
    private final boolean wide;

    /**
     * @param wide units on the vectorised axis in the forward pass and the kernel gradient (for
     *             layers of many units), or inputs (for layers of a few)
     */
    public JavaDense(Window2D g, int units, boolean wide) {
        if (g.inH() != 1 || g.inW() != 1 || g.kH() != 1 || g.kW() != 1) {
            throw new IllegalArgumentException("a dense plan needs the geometry of Window2D.dense, not " + g.describe());
        }
        this.g = g;
        this.C = g.channels();
        this.K = units;
        this.wide = wide;
    }

    @Override
    public String name() {
        return name(wide);
    }

    /** The name of the plan with units (wide) or inputs on the vectorised axis. */
    public static String name(boolean wide) {
        return wide ? "java dense, units on the rows" : "java dense, inputs on the rows";
    }

    @Override
    public Window2D geometry() {
        return g;
    }

    @Override
    public int filters() {
        return K;
    }

    @Override
    public int scratchRows(int n) {
        return GROUP + n + 1;
    }

    @Override
    public int scratchRowLength(int n) {
        return ROW_LENGTH;
    }

    @Override
    public int packedSize() {
        return C * K;
    }

    /** packed (K, C) writes: the kernel transposed, 16 inputs at a time so that writes fill cache lines; kernel (C, K) reads. */
    @Override
    public void pack(float[] packed, float[] kernel) {
        for (int c0 = 0; c0 < C; c0 += 16) {
            int c1 = Math.min(c0 + 16, C);
            for (int k = 0; k < K; k++) {
                for (int c = c0; c < c1; c++) {
                    packed[k * C + c] = kernel[c * K + k];
                }
            }
        }
    }

    // ---- forward ----

    @Override
    public void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch) {
        if (wide) {
            product(out, in, kernel, C, K, n, scratch.rows());
        } else {
            for (int b0 = 0; b0 < n; b0 += 4) {
                for (int k0 = 0; k0 < K; k0 += 4) {
                    forwardBlock(out, in, kernel, n, b0, k0);
                }
            }
        }
        finish(out, bias, relu, n);
    }

    /**
     * out (n, width) writes a (n, terms) times m (terms, width), each output adding its terms in
     * order: rows[GROUP + b] is image b's row over a chunk of the width, rows[0 .. GROUP) six rows of
     * m in turn. The forward pass of wide layers (in times the kernel) and every input gradient
     * (dOut times the transposed kernel).
     */
    private static void product(float[] out, float[] a, float[] m, int terms, int width, int n, float[][] rows) {
        for (int j0 = 0, step = FmaRows.chunk(width); j0 < width; j0 += step) {
            int len = Math.min(step, width - j0);
            for (int b = 0; b < n; b++) {
                Arrays.fill(rows[GROUP + b], 0, len, 0f);
            }
            for (int t0 = 0; t0 < terms; t0 += GROUP) {
                int count = Math.min(GROUP, terms - t0);
                for (int i = 0; i < count; i++) {
                    System.arraycopy(m, (t0 + i) * width + j0, rows[i], 0, len);
                }
                for (int b = 0; b < n; b++) {
                    FmaRows.add(rows[GROUP + b], rows, 0, count, a, b * terms + t0, 1, len);
                }
            }
            for (int b = 0; b < n; b++) {
                System.arraycopy(rows[GROUP + b], 0, out, b * width + j0, len);
            }
        }
    }

    /** out (n, K) writes the sums of images b0 .. b0 + 3 and units k0 .. k0 + 3 (those that exist; the last repeats past the end). */
    private void forwardBlock(float[] out, float[] in, float[] kernel, int n, int b0, int k0) {
        int ia = b0 * C, ib = Math.min(b0 + 1, n - 1) * C, ic = Math.min(b0 + 2, n - 1) * C, id = Math.min(b0 + 3, n - 1) * C;
        int k1 = Math.min(k0 + 1, K - 1), k2 = Math.min(k0 + 2, K - 1), k3 = Math.min(k0 + 3, K - 1);
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, b0s = 0f, b1 = 0f, b2 = 0f, b3 = 0f;
        float c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f, d0 = 0f, d1 = 0f, d2 = 0f, d3 = 0f;
        for (int c = 0, w = 0; c < C; c++, w += K) {
            float xa = in[ia + c], xb = in[ib + c], xc = in[ic + c], xd = in[id + c];
            float w0 = kernel[w + k0], w1 = kernel[w + k1], w2 = kernel[w + k2], w3 = kernel[w + k3];
            a0 = Math.fma(xa, w0, a0);
            a1 = Math.fma(xa, w1, a1);
            a2 = Math.fma(xa, w2, a2);
            a3 = Math.fma(xa, w3, a3);
            b0s = Math.fma(xb, w0, b0s);
            b1 = Math.fma(xb, w1, b1);
            b2 = Math.fma(xb, w2, b2);
            b3 = Math.fma(xb, w3, b3);
            c0 = Math.fma(xc, w0, c0);
            c1 = Math.fma(xc, w1, c1);
            c2 = Math.fma(xc, w2, c2);
            c3 = Math.fma(xc, w3, c3);
            d0 = Math.fma(xd, w0, d0);
            d1 = Math.fma(xd, w1, d1);
            d2 = Math.fma(xd, w2, d2);
            d3 = Math.fma(xd, w3, d3);
        }
        store(out, b0, n, k0, a0, a1, a2, a3);
        store(out, b0 + 1, n, k0, b0s, b1, b2, b3);
        store(out, b0 + 2, n, k0, c0, c1, c2, c3);
        store(out, b0 + 3, n, k0, d0, d1, d2, d3);
    }

    /** out[b, k0 .. k0 + 3] = the four sums, those of units that exist, if image b exists. */
    private void store(float[] out, int b, int n, int k0, float s0, float s1, float s2, float s3) {
        if (b < n) {
            RegisterGradient.store4(out, b * K + k0, K - k0, s0, s1, s2, s3);
        }
    }

    /** out (n, K) in place: plus bias, then max(., 0). */
    private void finish(float[] out, float[] bias, boolean relu, int n) {
        for (int b = 0; b < n; b++) {
            int o = b * K;
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

    // ---- input gradient ----

    /** dIn (n, C) = dOut (n, K) times the transposed kernel, packed (K, C). */
    @Override
    public void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch) {
        product(dIn, dOut, packed, K, C, n, scratch.rows());
    }

    // ---- kernel gradient ----

    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch) {
        float[][] rows = scratch.rows();
        if (wide) {
            outerSums(dKernel, dOut, K, in, C, false, n, rows);
        } else {
            outerSums(dKernel, in, C, dOut, K, true, n, rows);
        }
        if (dBias != null) {
            for (int k = 0; k < K; k++) {
                float acc = 0f;
                for (int b = 0; b < n; b++) {
                    acc += dOut[b * K + k];
                }
                dBias[k] = acc;
            }
        }
    }

    /**
     * Writes {@code sum over b of w[b, i] * m[b, j]}, the images b in order, for i &lt; count and
     * j &lt; width, into dKernel (i, j), or (j, i) when transposed: rows[b] holds image b's row of m
     * (n, width) over a chunk of the width, rows[n] the sums of one i. Wide layers: i an input, m
     * the output gradient; narrow ones: i a unit, m the input, written transposed.
     */
    private static void outerSums(float[] dKernel, float[] m, int width, float[] w, int count, boolean transposed,
                                  int n, float[][] rows) {
        float[] acc = rows[n];
        for (int j0 = 0, step = FmaRows.chunk(width); j0 < width; j0 += step) {
            int len = Math.min(step, width - j0);
            for (int b = 0; b < n; b++) {
                System.arraycopy(m, b * width + j0, rows[b], 0, len);
            }
            for (int i = 0; i < count; i++) {
                Arrays.fill(acc, 0, len, 0f);
                for (int b0 = 0; b0 < n; b0 += GROUP) {
                    FmaRows.add(acc, rows, b0, Math.min(GROUP, n - b0), w, b0 * count + i, count, len);
                }
                if (transposed) {
                    for (int j = 0; j < len; j++) {
                        dKernel[(j0 + j) * count + i] = acc[j];
                    }
                } else {
                    System.arraycopy(acc, 0, dKernel, i * width + j0, len);
                }
            }
        }
    }
}
