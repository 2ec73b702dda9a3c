package io.github.purecnn.losses;

import io.github.purecnn.kernels.Activations;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Softmax cross-entropy on three classes, by hand. Logits z = (0, ln 2, ln 5) give
 * exp(z) = (1, 2, 5), sum 8, so softmax(z) = (1/8, 2/8, 5/8) = (0.125, 0.25, 0.625).
 * With label 1: loss = -ln(0.25) = ln 4 = 1.3862944; gradient w.r.t. z = p - onehot
 * = (0.125, -0.75, 0.625); w.r.t. the probabilities, -1/p at the label = (0, -4, 0).
 */
class LossHandComputedTest {
    private static final float[] LOGITS = {0f, (float) Math.log(2), (float) Math.log(5)};
    private static final float[] PROBABILITIES = {0.125f, 0.25f, 0.625f};
    private static final int[] LABEL = {1};
    private static final double LN4 = Math.log(4);
    /** Float32 rounding of ln 2 and ln 5 (relative 6e-8) and of the softmax: a few 1e-8 here. */
    private static final double TOLERANCE = 1e-6;

    @Test
    void softmaxOfTheLogits() {
        float[] p = LOGITS.clone();
        Activations.softmaxForward(p, 1, 3);
        assertArrayEquals(PROBABILITIES, p, (float) TOLERANCE);
    }

    @Test
    void lossValueFromLogitsAndFromProbabilities() {
        assertEquals(LN4, Loss.sparseCategoricalCrossentropy(true).sum(LOGITS, LABEL, 1, 3), TOLERANCE);
        assertEquals(LN4, Loss.categoricalCrossentropy(true).sum(LOGITS, LABEL, 1, 3), TOLERANCE);
        assertEquals(LN4, Loss.sparseCategoricalCrossentropy().sum(PROBABILITIES, LABEL, 1, 3), TOLERANCE);
        assertEquals(LN4, Loss.categoricalCrossentropy().sum(PROBABILITIES, LABEL, 1, 3), TOLERANCE);
        // Keras rescales probability rows: doubling the row changes nothing for categorical CE.
        float[] doubled = {0.25f, 0.5f, 1.25f};
        assertEquals(LN4, Loss.categoricalCrossentropy().sum(doubled, LABEL, 1, 3), TOLERANCE);
    }

    /** With scale 0.5 (a batch of two), every gradient is halved. */
    @Test
    void gradients() {
        float[] dz = new float[3];
        Loss.sparseCategoricalCrossentropy(true).backward(dz, LOGITS, LABEL, 1, 3, 0.5f);
        assertArrayEquals(new float[] {0.0625f, -0.375f, 0.3125f}, dz, (float) TOLERANCE);
        Loss.categoricalCrossentropy(true).backward(dz, LOGITS, LABEL, 1, 3, 0.5f);
        assertArrayEquals(new float[] {0.0625f, -0.375f, 0.3125f}, dz, (float) TOLERANCE);
        Loss.sparseCategoricalCrossentropy().backwardThroughSoftmax(dz, PROBABILITIES, LABEL, 1, 3, 0.5f);
        assertArrayEquals(new float[] {0.0625f, -0.375f, 0.3125f}, dz, (float) TOLERANCE);

        float[] dp = {9, 9, 9};
        Loss.sparseCategoricalCrossentropy().backward(dp, PROBABILITIES, LABEL, 1, 3, 0.5f);
        assertArrayEquals(new float[] {0f, -2f, 0f}, dp, (float) TOLERANCE);
        // Categorical CE on probabilities: d/dp_j of -ln(p_l / sum p) = 1/sum - [j = l] / p_l
        // = (1, 1 - 4, 1) with sum 1, halved.
        Loss.categoricalCrossentropy().backward(dp, PROBABILITIES, LABEL, 1, 3, 0.5f);
        assertArrayEquals(new float[] {0.5f, -1.5f, 0.5f}, dp, (float) TOLERANCE);
    }

    /**
     * Keras clips probabilities to [1e-7, 1 - 1e-7]: a zero probability at the label costs
     * -ln(1e-7) = 16.118 instead of infinity, and beyond the bounds the gradient is zero.
     */
    @Test
    void clippedProbabilities() {
        float[] certainOfAnother = {1f, 0f, 0f};
        assertEquals(-Math.log(1e-7f), Loss.sparseCategoricalCrossentropy().sum(certainOfAnother, LABEL, 1, 3), 1e-5);
        float[] dp = new float[3];
        Loss.sparseCategoricalCrossentropy().backward(dp, certainOfAnother, LABEL, 1, 3, 1f);
        assertArrayEquals(new float[3], dp);
    }

    /** MSE per sample is the mean over classes: ((0.125)^2 + (0.75)^2 + (0.625)^2) / 3 = 0.3229167. */
    @Test
    void meanSquaredErrorAgainstOneHot() {
        assertEquals((0.015625 + 0.5625 + 0.390625) / 3, Loss.meanSquaredError().sum(PROBABILITIES, LABEL, 1, 3), 1e-7);
        float[] dp = new float[3];
        // 2 / classes * (p - t) = 2/3 * (0.125, -0.75, 0.625)
        Loss.meanSquaredError().backward(dp, PROBABILITIES, LABEL, 1, 3, 1f);
        assertArrayEquals(new float[] {0.25f / 3, -0.5f, 1.25f / 3}, dp, (float) TOLERANCE);
    }

    @Test
    void kerasNames() {
        Loss sparse = Loss.fromKerasName("sparse_categorical_crossentropy", true);
        assertEquals("sparse_categorical_crossentropy", sparse.kerasName());
        assertTrue(sparse.fromLogits());
        assertEquals("mean_squared_error", Loss.fromKerasName("mse", false).kerasName());
        assertThrows(IllegalArgumentException.class, () -> Loss.fromKerasName("hinge", false));
        assertThrows(IllegalArgumentException.class, () -> Loss.fromKerasName("mean_squared_error", true));
    }
}
