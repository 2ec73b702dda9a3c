package io.github.purecnn.losses;

import io.github.purecnn.kernels.Activations;
import io.github.purecnn.runtime.Truth;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Softmax cross-entropy on three classes, by hand. Logits z = (0, ln 2, ln 5) give
 * exp(z) = (1, 2, 5), sum 8, so softmax(z) = (1/8, 2/8, 5/8) = (0.125, 0.25, 0.625).
 * With label 1: loss = -ln(0.25) = ln 4 = 1.3862944; gradient w.r.t. z = p - onehot
 * = (0.125, -0.75, 0.625); w.r.t. the probabilities, of -ln(p_l / sum p) as Keras 3 rescales the
 * row: 1 / sum - [j = l] / p_l = (1, 1 - 4, 1).
 */
class LossHandComputedTest {
    private static final float[] LOGITS = {0f, (float) Math.log(2), (float) Math.log(5)};
    private static final float[] PROBABILITIES = {0.125f, 0.25f, 0.625f};
    private static final Truth LABEL = Truth.ofLabels(new int[] {1}, 3);
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
        assertEquals(LN4, Loss.sparseCategoricalCrossentropy(true).sum(LOGITS, LABEL, 1), TOLERANCE);
        assertEquals(LN4, Loss.categoricalCrossentropy(true).sum(LOGITS, LABEL, 1), TOLERANCE);
        assertEquals(LN4, Loss.sparseCategoricalCrossentropy().sum(PROBABILITIES, LABEL, 1), TOLERANCE);
        assertEquals(LN4, Loss.categoricalCrossentropy().sum(PROBABILITIES, LABEL, 1), TOLERANCE);
        // Keras rescales probability rows: doubling the row changes nothing for categorical CE.
        float[] doubled = {0.25f, 0.5f, 1.25f};
        assertEquals(LN4, Loss.categoricalCrossentropy().sum(doubled, LABEL, 1), TOLERANCE);
    }

    /** With scale 0.5 (a batch of two), every gradient is halved. */
    @Test
    void gradients() {
        float[] dz = new float[3];
        Loss.sparseCategoricalCrossentropy(true).backward(dz, LOGITS, LABEL, 1, 0.5f);
        assertArrayEquals(new float[] {0.0625f, -0.375f, 0.3125f}, dz, (float) TOLERANCE);
        Loss.categoricalCrossentropy(true).backward(dz, LOGITS, LABEL, 1, 0.5f);
        assertArrayEquals(new float[] {0.0625f, -0.375f, 0.3125f}, dz, (float) TOLERANCE);
        Loss.sparseCategoricalCrossentropy().backwardFused(dz, PROBABILITIES, LABEL, 1, 0.5f);
        assertArrayEquals(new float[] {0.0625f, -0.375f, 0.3125f}, dz, (float) TOLERANCE);

        float[] dp = {9, 9, 9};
        Loss.sparseCategoricalCrossentropy().backward(dp, PROBABILITIES, LABEL, 1, 0.5f);
        assertArrayEquals(new float[] {0.5f, -1.5f, 0.5f}, dp, (float) TOLERANCE);
        // Categorical CE on probabilities: d/dp_j of -ln(p_l / sum p) = 1/sum - [j = l] / p_l
        // = (1, 1 - 4, 1) with sum 1, halved.
        Loss.categoricalCrossentropy().backward(dp, PROBABILITIES, LABEL, 1, 0.5f);
        assertArrayEquals(new float[] {0.5f, -1.5f, 0.5f}, dp, (float) TOLERANCE);
    }

    /**
     * Keras clips probabilities to [1e-7, 1 - 1e-7]: a zero probability at the label costs
     * -ln(1e-7) = 16.118 instead of infinity, and beyond the bounds the gradient is zero.
     */
    @Test
    void clippedProbabilities() {
        float[] certainOfAnother = {1f, 0f, 0f};
        assertEquals(-Math.log(1e-7f), Loss.sparseCategoricalCrossentropy().sum(certainOfAnother, LABEL, 1), 1e-5);
        float[] dp = new float[3];
        Loss.sparseCategoricalCrossentropy().backward(dp, certainOfAnother, LABEL, 1, 1f);
        assertArrayEquals(new float[3], dp);
    }

    /** MSE per sample is the mean over classes: ((0.125)^2 + (0.75)^2 + (0.625)^2) / 3 = 0.3229167. */
    @Test
    void meanSquaredErrorAgainstOneHot() {
        assertEquals((0.015625 + 0.5625 + 0.390625) / 3, Loss.meanSquaredError().sum(PROBABILITIES, LABEL, 1), 1e-7);
        float[] dp = new float[3];
        // 2 / classes * (p - t) = 2/3 * (0.125, -0.75, 0.625)
        Loss.meanSquaredError().backward(dp, PROBABILITIES, LABEL, 1, 1f);
        assertArrayEquals(new float[] {0.25f / 3, -0.5f, 1.25f / 3}, dp, (float) TOLERANCE);
    }

    @Test
    void kerasNames() {
        Loss sparse = Loss.fromKerasName("sparse_categorical_crossentropy", true);
        assertEquals("sparse_categorical_crossentropy", sparse.kerasName());
        assertTrue(sparse.fromLogits());
        assertEquals("mean_squared_error", Loss.fromKerasName("mse", false).kerasName());
        assertEquals("mean_absolute_error", Loss.fromKerasName("mae", false).kerasName());
        assertEquals("huber", Loss.fromKerasName("huber_loss", false).kerasName());
        assertTrue(Loss.fromKerasName("binary_crossentropy", true).fromLogits());
        assertThrows(IllegalArgumentException.class, () -> Loss.fromKerasName("hinge", false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Loss.fromKerasName("mean_squared_error", true));
        assertTrue(e.getMessage().contains("mean_squared_error takes no logits"), e.getMessage());
    }

    /**
     * Regression targets t = (1, -2) against p = (1.5, 0.5): e = (0.5, 2.5).
     * MAE = (0.5 + 2.5) / 2 = 1.5; MSE = (0.25 + 6.25) / 2 = 3.25; Huber (delta 1):
     * (0.5 * 0.25 + (2.5 - 0.5)) / 2 = 1.0625, and with delta 3 both are quadratic: 3.25 / 2 = 1.625.
     * Gradients, scale 1: MAE sign(e) / 2 = (0.5, 0.5); Huber (e clipped to delta) / 2 = (0.25, 0.5).
     */
    @Test
    void regressionLosses() {
        Truth t = Truth.ofValues(new float[] {1f, -2f}, 1, 2);
        float[] p = {1.5f, 0.5f};
        assertEquals(1.5, Loss.meanAbsoluteError().sum(p, t, 1), 1e-12);
        assertEquals(3.25, Loss.meanSquaredError().sum(p, t, 1), 1e-12);
        assertEquals(1.0625, Loss.huber().sum(p, t, 1), 1e-12);
        assertEquals(1.625, Loss.huber(3).sum(p, t, 1), 1e-12);
        float[] d = new float[2];
        Loss.meanAbsoluteError().backward(d, p, t, 1, 1f);
        assertArrayEquals(new float[] {0.5f, 0.5f}, d);
        Loss.huber().backward(d, p, t, 1, 1f);
        assertArrayEquals(new float[] {0.25f, 0.5f}, d);
        Loss.meanSquaredError().backward(d, p, t, 1, 1f);
        assertArrayEquals(new float[] {0.5f, 2.5f}, d);   // 2 / 2 * e
    }

    /**
     * Binary cross-entropy, t = (1, 0), p = (0.8, 0.4): per value -ln(0.8) and -ln(1 - 0.4), mean
     * (0.2231435 + 0.5108256) / 2 = 0.3669846. On logits z = ln(4), ln(2/3) (sigmoids 0.8 and 0.4)
     * the same; the gradient w.r.t. z is (p - t) / 2 = (-0.1, 0.2).
     */
    @Test
    void binaryCrossentropy() {
        Truth t = Truth.ofValues(new float[] {1f, 0f}, 1, 2);
        double expected = (-Math.log(0.8) - Math.log(0.6)) / 2;
        assertEquals(expected, Loss.binaryCrossentropy().sum(new float[] {0.8f, 0.4f}, t, 1), 1e-7);
        float[] z = {(float) Math.log(4), (float) Math.log(2.0 / 3)};
        assertEquals(expected, Loss.binaryCrossentropy(true).sum(z, t, 1), 1e-7);
        float[] d = new float[2];
        Loss.binaryCrossentropy(true).backward(d, z, t, 1, 1f);
        assertArrayEquals(new float[] {-0.1f, 0.2f}, d, 1e-7f);
        Loss.binaryCrossentropy().backwardFused(d, new float[] {0.8f, 0.4f}, t, 1, 1f);
        assertArrayEquals(new float[] {-0.1f, 0.2f}, d, 1e-7f);
    }

    /**
     * Keras's sum_over_batch_size with sample weights: each sample's loss times its weight, the
     * sum divided by the number of samples (here by the caller), not by the weights' sum; an
     * output of several rows averages them. Two samples of 2 rows x 1 value, MAE: sample 0 errors
     * (1, 3), mean 2, weight 0.5; sample 1 errors (0, 2), mean 1, weight 3: sum 1 + 3 = 4.
     */
    @Test
    void weightsScaleEachSampleAndRowsAreAveraged() {
        Truth t = Truth.ofValues(new float[] {0, 0, 0, 0}, 2, 1).weighted(new float[] {0.5f, 3f});
        float[] p = {1, -3, 0, 2};
        assertEquals(4.0, Loss.meanAbsoluteError().sum(p, t, 2), 1e-12);
        float[] d = new float[4];
        Loss.meanAbsoluteError().backward(d, p, t, 2, 1f);
        // weight / rows * sign: (0.25, -0.25, 0, 1.5)
        assertArrayEquals(new float[] {0.25f, -0.25f, 0f, 1.5f}, d);
    }
}
