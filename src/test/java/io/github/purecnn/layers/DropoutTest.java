package io.github.purecnn.layers;

import io.github.purecnn.testing.LayerHarness;
import io.github.purecnn.kernels.ReferenceKernels;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inverted dropout: the identity at inference; in training, zeros and survivors scaled by 1 / (1 - rate). */
class DropoutTest {
    private static final int N = 4;
    private static final int FEATURES = 2500;
    private static final double RATE = 0.3;

    private static LayerHarness shard() {
        Dropout d = LayerGradientTest.build(new Dropout(RATE), FEATURES);
        return new LayerHarness(d, new ReferenceKernels(), N);
    }

    private static float[] ones() {
        float[] x = new float[N * FEATURES];
        java.util.Arrays.fill(x, 1f);
        return x;
    }

    @Test
    void inferenceIsTheIdentity() {
        float[] in = GradientCheck.uniform(new java.util.SplittableRandom(1), N * FEATURES, -1, 1);
        float[] out = new float[in.length];
        shard().forward(out, in, N, false, 99L);
        assertArrayEquals(in, out);
    }

    /**
     * Of 10000 values about 30% are dropped: the count of kept ones has standard deviation
     * sqrt(10000 * 0.3 * 0.7) = 46, so +-200 is over four of them.
     */
    @Test
    void trainingDropsAboutRateAndScalesTheRest() {
        float[] out = new float[N * FEATURES];
        shard().forward(out, ones(), N, true, 99L);
        int kept = 0;
        float keep = (float) (1 / (1 - RATE));
        for (float v : out) {
            assertTrue(v == 0f || v == keep, "each value is dropped or scaled by 1 / (1 - rate), found " + v);
            kept += v == 0f ? 0 : 1;
        }
        assertEquals((1 - RATE) * N * FEATURES, kept, 200);
    }

    @Test
    void theMaskFollowsTheNoiseSeed() {
        float[] a = new float[N * FEATURES];
        float[] b = new float[N * FEATURES];
        float[] c = new float[N * FEATURES];
        shard().forward(a, ones(), N, true, 5L);
        shard().forward(b, ones(), N, true, 5L);
        shard().forward(c, ones(), N, true, 6L);
        assertArrayEquals(a, b, "same seed, same mask, whatever the shard object");
        assertFalse(java.util.Arrays.equals(a, c), "another seed, another mask");
    }

    /**
     * The scales drop exactly the values whose draw is below the rate, as the layer's documented
     * rule reads ({@code uniform < rate}), at rates where {@code rate * 2^24} is and is not an
     * integer and at both ends of [0, 1): the integer threshold the loop compares with changes no bit.
     */
    @Test
    void scalesDropExactlyTheDrawsBelowTheRate() {
        // rates at a draw's exact value keep it; the next float up drops it
        long stream0 = Noise.stream(0);
        float[] one = new float[64];
        for (int i = 0; i < one.length; i++) {
            float u = Noise.uniform(stream0, i);
            if (u > 0f) {
                Dropout.drawScales(one, one.length, u, true, 0);
                assertEquals(1f / (1f - u), one[i], "a draw equal to the rate " + u + " is kept");
            }
            Dropout.drawScales(one, one.length, Math.nextUp(u), true, 0);
            assertEquals(0f, one[i], "a draw just below the rate " + Math.nextUp(u) + " is dropped");
        }
        float[] rates = {0.5f, 0.3f, 0x1.0p-24f, 0x1.8p-24f, 1e-9f, Math.nextDown(1f), 0.25f + 0x1.0p-24f};
        int count = 4096;
        float[] scale = new float[count];
        for (float rate : rates) {
            for (long seed = 0; seed < 4; seed++) {
                Dropout.drawScales(scale, count, rate, true, seed);
                long stream = Noise.stream(seed);
                float keep = 1f / (1f - rate);
                for (int i = 0; i < count; i++) {
                    float expected = Noise.uniform(stream, i) < rate ? 0f : keep;
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(scale[i]),
                            "rate " + rate + ", seed " + seed + ", draw " + i);
                }
            }
        }
    }
}
