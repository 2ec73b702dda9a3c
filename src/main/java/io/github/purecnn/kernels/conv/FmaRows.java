package io.github.purecnn.kernels.conv;

/**
 * The loops of the plain-Java plans that HotSpot's auto-vectoriser turns into vector
 * instructions: {@code y[j] = fma(w5, x5[j], ... fma(w0, x0[j], y[j]))} for {@code j < len}, the
 * terms of each output added in their order, each output (lane) on its own, so vectorising never
 * reorders a sum. What C2's superword pass on JDK 17 needs, measured on this machine (AVX-512):
 * <ul>
 *   <li>Every array in the loop indexed by the same expression: here {@code j}, which is why the
 *       plans copy the streams a loop adds side by side into scratch rows of their own.</li>
 *   <li>At most six terms per loop: with seven or eight, C2 leaves the loop scalar when it compiles
 *       it on its own (over 512 floats, eight terms 11 GFLOP/s, six 64-80).</li>
 *   <li>Long trips: C2 sizes the vectors by the loop's profiled trip count (16 floats from about 192
 *       iterations, 8 from about 96, 4 below); rows are {@link #ROW} floats long.</li>
 *   <li>Arrays that start at the same offset within a cache line (see {@link #ROW_LENGTH}).</li>
 * </ul>
 */
final class FmaRows {
    /** Floats of a scratch row that the loops use: the longest trip of a vectorised loop. */
    static final int ROW = 512;
    /**
     * Floats in a scratch row as allocated: {@link #ROW} plus 12, so that with HotSpot's 16-byte
     * array header a row takes a whole number of 64-byte cache lines. Rows allocated one after
     * another then start at the same offset within a line, and C2's pre-loop, which aligns one
     * array of a loop (the stored one), aligns them all; otherwise most 64-byte loads straddle two
     * lines. The six-term loop over 512 floats: 71-81 GFLOP/s with rows of 512, 105-111 with 524.
     */
    static final int ROW_LENGTH = ROW + 12;
    /** Terms one loop adds. */
    static final int GROUP = 6;

    private FmaRows() {
    }

    /**
     * The chunk length that splits {@code total} values into the fewest chunks of at most {@link #ROW},
     * all of about the same length (a multiple of 16, the last one shorter): no short last chunk,
     * whose loop would run mostly in C2's scalar pre- and post-loops.
     */
    static int chunk(int total) {
        int chunks = (total + ROW - 1) / ROW;
        int even = (total + chunks - 1) / chunks;
        return Math.min(ROW, (even + 15) / 16 * 16);
    }

    /**
     * y[j] for j &lt; len: adds the terms {@code w[wAt + i * wStride] * x[first + i][j]}, i = 0 .. count - 1
     * in that order, one fused multiply-add each; count from 1 to {@link #GROUP}.
     */
    static void add(float[] y, float[][] x, int first, int count, float[] w, int wAt, int wStride, int len) {
        switch (count) {
            case 1 -> add1(y, x[first], w[wAt], len);
            case 2 -> add2(y, x[first], x[first + 1], w[wAt], w[wAt + wStride], len);
            case 3 -> add3(y, x[first], x[first + 1], x[first + 2], w[wAt], w[wAt + wStride], w[wAt + 2 * wStride], len);
            case 4 -> add4(y, x[first], x[first + 1], x[first + 2], x[first + 3],
                    w[wAt], w[wAt + wStride], w[wAt + 2 * wStride], w[wAt + 3 * wStride], len);
            case 5 -> add5(y, x[first], x[first + 1], x[first + 2], x[first + 3], x[first + 4],
                    w[wAt], w[wAt + wStride], w[wAt + 2 * wStride], w[wAt + 3 * wStride], w[wAt + 4 * wStride], len);
            case 6 -> add6(y, x[first], x[first + 1], x[first + 2], x[first + 3], x[first + 4], x[first + 5],
                    w[wAt], w[wAt + wStride], w[wAt + 2 * wStride], w[wAt + 3 * wStride], w[wAt + 4 * wStride],
                    w[wAt + 5 * wStride], len);
            default -> throw new IllegalArgumentException("terms per loop: 1 to " + GROUP + ", not " + count);
        }
    }

    private static void add1(float[] y, float[] x0, float w0, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = Math.fma(w0, x0[j], y[j]);
        }
    }

    private static void add2(float[] y, float[] x0, float[] x1, float w0, float w1, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = Math.fma(w1, x1[j], Math.fma(w0, x0[j], y[j]));
        }
    }

    private static void add3(float[] y, float[] x0, float[] x1, float[] x2, float w0, float w1, float w2, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = Math.fma(w2, x2[j], Math.fma(w1, x1[j], Math.fma(w0, x0[j], y[j])));
        }
    }

    private static void add4(float[] y, float[] x0, float[] x1, float[] x2, float[] x3,
                             float w0, float w1, float w2, float w3, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = Math.fma(w3, x3[j], Math.fma(w2, x2[j], Math.fma(w1, x1[j], Math.fma(w0, x0[j], y[j]))));
        }
    }

    private static void add5(float[] y, float[] x0, float[] x1, float[] x2, float[] x3, float[] x4,
                             float w0, float w1, float w2, float w3, float w4, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = Math.fma(w4, x4[j], Math.fma(w3, x3[j], Math.fma(w2, x2[j], Math.fma(w1, x1[j],
                    Math.fma(w0, x0[j], y[j])))));
        }
    }

    private static void add6(float[] y, float[] x0, float[] x1, float[] x2, float[] x3, float[] x4, float[] x5,
                             float w0, float w1, float w2, float w3, float w4, float w5, int len) {
        for (int j = 0; j < len; j++) {
            y[j] = Math.fma(w5, x5[j], Math.fma(w4, x4[j], Math.fma(w3, x3[j], Math.fma(w2, x2[j],
                    Math.fma(w1, x1[j], Math.fma(w0, x0[j], y[j]))))));
        }
    }
}
