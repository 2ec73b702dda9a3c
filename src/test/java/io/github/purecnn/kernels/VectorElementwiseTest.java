package io.github.purecnn.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Vector API path's element-wise operations against {@link Activations}, bit for bit. */
class VectorElementwiseTest {
    private static final float[] SPECIAL = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f, 1f, -1f,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0xffc00001)};

    @Test
    void reluBackwardGivesTheBitsOfTheScalarLoop() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int count : new int[] {0, 1, 7, 16, 17, 33, 200}) {
            float[] y = new float[count + 5];
            float[] dy = new float[count + 5];
            for (int i = 0; i < y.length; i++) {
                y[i] = rnd.nextInt(3) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : (float) rnd.nextGaussian();
                dy[i] = rnd.nextInt(3) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : (float) rnd.nextGaussian();
            }
            float[] expected = dy.clone();
            Activations.reluBackward(expected, y, 0, count);
            float[] actual = dy.clone();
            VectorElementwise.reluBackward(actual, y, count);
            for (int i = 0; i < dy.length; i++) {
                assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                        "count " + count + ", element " + i + " (y " + y[i] + ", dy " + dy[i] + ")");
            }
        }
    }
}
