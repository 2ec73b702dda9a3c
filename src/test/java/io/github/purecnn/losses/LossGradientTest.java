package io.github.purecnn.losses;

import io.github.purecnn.kernels.Activations;
import io.github.purecnn.runtime.Truth;
import io.github.purecnn.testing.LayerHarness;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.testing.FiniteDifferences;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every loss's {@code backward} (and the fused softmax and sigmoid paths) against central
 * differences of {@code scale * sum}, on class labels, soft targets of several rows per sample
 * and weighted samples. Error: |analytic - numeric| / max(|analytic|, |numeric|, 1).
 */
class LossGradientTest {
    private static final Logger LOG = LoggerFactory.getLogger(LossGradientTest.class);

    /**
     * Step on the predictions when the loss alone is differentiated: {@code sum} works in double
     * from float inputs, so rounding is negligible and a small step keeps the truncation error
     * of -log(p), h^2 / 6 * 2 / p^3, below 1e-5 for the p >= 0.05 used here.
     */
    private static final double LOSS_STEP = 1e-3;

    /**
     * Step on the logits when a float32 softmax (or Dense) runs inside the objective: rounding
     * of about 6e-8 per probability is divided by 2h, so h = 1e-2 as in the layer checks.
     */
    private static final double FLOAT_FORWARD_STEP = 1e-2;

    /** About ten times the larger of the estimated truncation and rounding errors above. */
    private static final double TOLERANCE = 1e-3;

    private static final int N = 3;
    private static final int CLASSES = 4;
    private static final Truth LABELS = Truth.ofLabels(new int[] {2, 0, 3}, CLASSES);
    /** The model passes 1 / batch size; any value other than 1 shows a dropped factor. */
    private static final float SCALE = 0.37f;

    private final SplittableRandom rng = new SplittableRandom(11);

    private float[] uniform(int len, double lo, double hi) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
        return a;
    }

    /**
     * Probability rows from weights in [1, 4): every p is at least 1 / (1 + 3 * 4) > 0.07, far
     * from the clipping bounds 1e-7 and 1 - 1e-7 where the loss has kinks.
     */
    private float[] probabilities() {
        float[] p = uniform(N * CLASSES, 1, 4);
        for (int row = 0; row < N; row++) {
            double sum = 0;
            for (int j = 0; j < CLASSES; j++) {
                sum += p[row * CLASSES + j];
            }
            for (int j = 0; j < CLASSES; j++) {
                p[row * CLASSES + j] /= (float) sum;
            }
        }
        return p;
    }

    private static double check(String label, float[] analytic, float[] x, double step, DoubleSupplier objective) {
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            double numeric = FiniteDifferences.centralDifference(x, i, step, objective);
            double error = FiniteDifferences.error(analytic[i], numeric);
            int at = i;
            assertTrue(error <= TOLERANCE, () -> label + "[" + at + "]: analytic " + analytic[at] + ", numeric " + numeric);
            worst = Math.max(worst, error);
        }
        LOG.info("gradient check {}: worst error {}", label, worst);
        return worst;
    }

    private static void checkLoss(String label, Loss loss, float[] pred) {
        checkLoss(label, loss, pred, LABELS);
    }

    private static void checkLoss(String label, Loss loss, float[] pred, Truth truth) {
        float[] analytic = new float[pred.length];
        java.util.Arrays.fill(analytic, Float.NaN);
        loss.backward(analytic, pred, truth, N, SCALE);
        check(label, analytic, pred, LOSS_STEP, () -> SCALE * loss.sum(pred, truth, N));
    }

    /** Targets of N samples of 2 rows x 2 values in [0.1, 0.9), weighted 0.5, 2 and 1.25. */
    private Truth softTargets() {
        return Truth.ofValues(uniform(N * CLASSES, 0.1, 0.9), 2, 2).weighted(new float[] {0.5f, 2f, 1.25f});
    }

    @Test
    void sparseCategoricalCrossentropyOnProbabilities() {
        checkLoss("sparse CE on probabilities", Loss.sparseCategoricalCrossentropy(), probabilities());
    }

    @Test
    void sparseCategoricalCrossentropyOnLogits() {
        checkLoss("sparse CE from logits", Loss.sparseCategoricalCrossentropy(true), uniform(N * CLASSES, -3, 3));
    }

    /** Rows that do not sum to one: Keras rescales them first, and the gradient must include that. */
    @Test
    void categoricalCrossentropyOnUnnormalisedProbabilities() {
        checkLoss("categorical CE on probabilities", Loss.categoricalCrossentropy(), uniform(N * CLASSES, 0.1, 0.6));
    }

    @Test
    void categoricalCrossentropyOnLogits() {
        checkLoss("categorical CE from logits", Loss.categoricalCrossentropy(true), uniform(N * CLASSES, -3, 3));
    }

    @Test
    void meanSquaredError() {
        checkLoss("mean squared error", Loss.meanSquaredError(), uniform(N * CLASSES, -1, 2));
    }

    @Test
    void meanAbsoluteErrorAndHuberOnWeightedRows() {
        // predictions at least 0.05 from every target, where |e| has no kink within the step
        Truth t = softTargets();
        float[] p = t.values().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] += (i % 2 == 0 ? 1 : -1) * (float) (0.05 + 1.5 * rng.nextDouble());
        }
        checkLoss("mean absolute error, weighted rows", Loss.meanAbsoluteError(), p, t);
        checkLoss("huber, weighted rows", Loss.huber(), p, t);
        checkLoss("huber delta 0.3, weighted rows", Loss.huber(0.3), p, t);
        checkLoss("mean squared error, weighted rows", Loss.meanSquaredError(), p, t);
    }

    /** Soft targets, several rows per sample, weights: categorical CE reduces over each row. */
    @Test
    void crossEntropiesOnSoftWeightedRows() {
        Truth t = softTargets();
        checkLoss("categorical CE on probabilities, soft rows", Loss.categoricalCrossentropy(), uniform(N * CLASSES, 0.1, 0.6), t);
        checkLoss("categorical CE from logits, soft rows", Loss.categoricalCrossentropy(true), uniform(N * CLASSES, -3, 3), t);
        checkLoss("binary CE on probabilities", Loss.binaryCrossentropy(), uniform(N * CLASSES, 0.05, 0.95), t);
        checkLoss("binary CE from logits", Loss.binaryCrossentropy(true), uniform(N * CLASSES, -3, 3), t);
    }

    /**
     * backwardFused is the gradient of scale * loss(activation(z)) with respect to z, the
     * activation computed by the kernels in float32 as in a model: softmax for the cross-entropies
     * (labels and soft targets), sigmoid for binary cross-entropy.
     */
    @Test
    void fusedGradientsAreWithRespectToTheActivationsInput() {
        Truth soft = Truth.ofValues(probabilities(), 1, CLASSES).weighted(new float[] {1.5f, 0.25f, 1f});
        Object[][] cases = {
            {Loss.sparseCategoricalCrossentropy(), LABELS}, {Loss.categoricalCrossentropy(), LABELS},
            {Loss.categoricalCrossentropy(), soft}, {Loss.binaryCrossentropy(), soft},
        };
        for (Object[] c : cases) {
            Loss loss = (Loss) c[0];
            Truth truth = (Truth) c[1];
            Activation activation = loss.fusedActivation();
            float[] z = uniform(N * CLASSES, -2, 2);
            float[] p = z.clone();
            activate(activation, p);
            float[] analytic = new float[z.length];
            loss.backwardFused(analytic, p, truth, N, SCALE);
            float[] probs = new float[z.length];
            check(activation + " + " + loss.kerasName(), analytic, z, FLOAT_FORWARD_STEP, () -> {
                System.arraycopy(z, 0, probs, 0, z.length);
                activate(activation, probs);
                return SCALE * loss.sum(probs, truth, N);
            });
        }
    }

    private static void activate(Activation a, float[] x) {
        if (a == Activation.SOFTMAX) {
            Activations.softmaxForward(x, N, CLASSES);
        } else {
            Activations.sigmoidForward(x, 0, x.length);
        }
    }

    /**
     * The model's path for a softmax output: the loss gives the gradient w.r.t. the
     * pre-activation and Dense skips its own softmax backward (dOutIsPreActivation). Checked on
     * the Dense input and kernel against differences of the loss of Dense(softmax).
     */
    @Test
    void denseSoftmaxWithFusedLossMatchesCentralDifferences() {
        Kernels k = new ReferenceKernels();
        Loss loss = Loss.sparseCategoricalCrossentropy();
        Dense dense = new Dense(CLASSES).activation(Activation.SOFTMAX);
        int features = 5;
        dense.build(Shape.of(features), 0, "dense", new SplittableRandom(3));
        dense.parameters().get(1).set(uniform(CLASSES, -0.5, 0.5));
        float[] in = uniform(N * features, -1, 1);
        LayerHarness shard = new LayerHarness(dense, k, N, true);
        float[] p = new float[N * CLASSES];
        shard.forward(p, in, N, true, 0L);
        float[] dz = new float[p.length];
        loss.backwardFused(dz, p, LABELS, N, SCALE);
        float[] dIn = new float[in.length];
        shard.backward(dIn, dz, in, p, N);
        float[] dKernel = shard.grads()[0].clone();

        DoubleSupplier objective = () -> {
            shard.forward(p, in, N, true, 0L);
            return SCALE * loss.sum(p, LABELS, N);
        };
        check("Dense(softmax) + fused sparse CE, input", dIn, in, FLOAT_FORWARD_STEP, objective);
        check("Dense(softmax) + fused sparse CE, kernel", dKernel, dense.parameters().get(0).value(), FLOAT_FORWARD_STEP, objective);
    }

    @Test
    void onlyCrossEntropiesOnProbabilitiesFuse() {
        assertEquals(Activation.SOFTMAX, Loss.sparseCategoricalCrossentropy().fusedActivation());
        assertEquals(Activation.SOFTMAX, Loss.categoricalCrossentropy().fusedActivation());
        assertEquals(Activation.SIGMOID, Loss.binaryCrossentropy().fusedActivation());
        for (Loss loss : new Loss[] {Loss.sparseCategoricalCrossentropy(true), Loss.categoricalCrossentropy(true),
            Loss.binaryCrossentropy(true), Loss.meanSquaredError(), Loss.meanAbsoluteError(), Loss.huber()}) {
            assertNull(loss.fusedActivation(), loss.kerasName());
            assertThrows(IllegalStateException.class,
                    () -> loss.backwardFused(new float[CLASSES], new float[CLASSES], LABELS, 1, 1f));
        }
    }
}
