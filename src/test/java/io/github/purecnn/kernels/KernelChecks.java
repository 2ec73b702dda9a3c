package io.github.purecnn.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Inputs and comparisons shared by the tests that hold optimised kernels against {@link ReferenceKernels}. */
final class KernelChecks {
    /**
     * Allowed |optimised - reference| as a fraction of the sum of |terms| of that output. The
     * implementations add the same products in different orders; reordering a float sum of m
     * terms changes it by at most (m - 1) * 2^-24 * sum|terms| and typically by about
     * sqrt(m) * 2^-24 * sum|terms|, which is below 2e-6 for the m &lt;= 600 terms here. 1e-5 leaves
     * margin for that, while an indexing mistake shows as an error of the order of sum|terms|.
     */
    static final double TOLERANCE = 1e-5;
    /** Written into output slack; must still be there afterwards. */
    static final float SENTINEL = -12345.5f;
    static final int SLACK = 40;

    private KernelChecks() {
    }

    /** len values in [-1, 1) followed by slack further random values (inputs may be longer than needed). */
    static float[] random(SplittableRandom rnd, int len, int slack) {
        float[] a = new float[len + slack];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }

    static float[] abs(float[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.abs(a[i]);
        }
        return r;
    }

    /** A copy of a followed by SLACK sentinels. */
    static float[] withSlack(float[] a) {
        float[] r = Arrays.copyOf(a, a.length + SLACK);
        Arrays.fill(r, a.length, r.length, SENTINEL);
        return r;
    }

    static void assertClose(String what, float[] expected, float[] scale, float[] actual, int len) {
        for (int i = 0; i < len; i++) {
            double allowed = TOLERANCE * scale[i] + 1e-30;
            double err = Math.abs((double) actual[i] - expected[i]);
            if (!(err <= allowed)) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (allowed error " + allowed + ")");
            }
        }
        for (int i = len; i < actual.length; i++) {
            assertEquals(SENTINEL, actual[i], what + ": element " + i + " past the output was touched");
        }
        assertTrue(actual.length == len + SLACK, what + ": output array must carry its slack");
    }
}
