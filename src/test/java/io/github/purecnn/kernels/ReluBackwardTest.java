package io.github.purecnn.kernels;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ReLU's backward pass, computed on the bits, equals {@code y > 0 ? dy : 0f} bit for bit on every kind of float. */
class ReluBackwardTest {
    private static final float[] VALUES = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN, Float.intBitsToFloat(0xffc00001), Float.intBitsToFloat(0x7f800001), 3.5e-39f, -2.25f};

    @Test
    void keepsTheGradientExactlyWhereTheOutputIsPositive() {
        int n = VALUES.length;
        float[] y = new float[n * n];
        float[] dy = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                y[i * n + j] = VALUES[i];
                dy[i * n + j] = VALUES[j];
            }
        }
        float[] expected = new float[n * n];
        for (int i = 0; i < n * n; i++) {
            expected[i] = y[i] > 0f ? dy[i] : 0f;
        }
        Activations.reluBackward(dy, y, 0, n * n);
        for (int i = 0; i < n * n; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(dy[i]),
                    "y = " + y[i] + ", dy = " + VALUES[i % n]);
        }
    }
}
