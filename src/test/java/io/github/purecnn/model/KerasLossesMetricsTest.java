package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Targets;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.ActivationLayer;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.github.purecnn.testing.Fixture;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Losses and metrics through {@code evaluate}, against Keras 3's formulas run by NumPy
 * ({@code fixtures/make_loss_fixtures.py}, {@code losses_metrics.txt}): class labels, soft and
 * one-hot targets, outputs of several rows, sample and class weights, Keras's reduction and its
 * weighted metric means. The models are a linear activation, so their outputs are their inputs:
 * the fixture's predictions go in as data and everything between (targets gathered per shard,
 * weights, sums over shards) is the training path's.
 */
class KerasLossesMetricsTest {
    private static final Fixture F = Fixture.load("losses_metrics.txt");
    /**
     * Both sides compute in double from the same float32 inputs; purecnn rounds a few
     * intermediate values to float32 as Keras does (the probabilities after rescaling and
     * clipping), NumPy here does not: relative 1e-6.
     */
    private static final double RELATIVE = 1e-6;

    /** A model whose output is its input, of the given shape, compiled with the loss and metrics. */
    private static Sequential identity(Shape shape, Loss loss, Metric... metrics) {
        Sequential m = new Sequential(0, shape, new ActivationLayer(Activation.LINEAR)).threads(2);
        m.compile(new SGD(), loss, metrics);
        return m;
    }

    private static Tensor tensor(String name) {
        return new Tensor(F.shape(name), F.floats(name));
    }

    private static void assertValue(String name, double actual) {
        double expected = F.doubles(name)[0];
        assertEquals(expected, actual, RELATIVE * Math.max(1, Math.abs(expected)), name);
    }

    private static Dataset labelled(String inputs) {
        return Dataset.of(tensor(inputs), F.ints("cls_labels"), 8);
    }

    @Test
    void sparseCrossEntropyWithLabelsAndWeights() {
        Dataset data = labelled("cls_probabilities");
        Sequential m = identity(Shape.of(8), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY,
                Metric.TOP_K_CATEGORICAL_ACCURACY);
        assertValue("loss_sparse_ce", m.evaluate(data).loss());
        Evaluation e = m.evaluate(data, F.floats("cls_weights"));
        assertValue("loss_sparse_ce_weighted", e.loss());
        assertValue("metric_sparse_categorical_accuracy_weighted", e.get("accuracy"));
        assertValue("metric_top_k_sparse_weighted", e.get("top_k_categorical_accuracy"));

        Sequential logits = identity(Shape.of(8), Loss.sparseCategoricalCrossentropy(true));
        assertValue("loss_sparse_ce_logits_weighted", logits.evaluate(labelled("cls_logits"), F.floats("cls_weights")).loss());
    }

    @Test
    void classWeightsBecomeSampleWeightsByClass() {
        Dataset data = labelled("cls_probabilities");
        Map<Integer, Double> classWeight = new HashMap<>();
        int[] keys = F.ints("cls_class_weight_keys");
        double[] values = F.doubles("cls_class_weight_values");
        for (int i = 0; i < keys.length; i++) {
            classWeight.put(keys[i], values[i]);
        }
        Sequential m = identity(Shape.of(8), Loss.sparseCategoricalCrossentropy());
        assertValue("loss_sparse_ce_class_weight", m.evaluate(data, ClassWeights.sampleWeights(data, classWeight)).loss());
        // the same through one-hot float targets: the class is the largest value
        Dataset oneHot = Dataset.of(tensor("cls_probabilities"), Targets.oneHot(F.ints("cls_labels"), 8));
        Sequential categorical = identity(Shape.of(8), Loss.categoricalCrossentropy());
        assertValue("loss_sparse_ce_class_weight",
                categorical.evaluate(oneHot, ClassWeights.sampleWeights(oneHot, classWeight)).loss());
    }

    @Test
    void categoricalCrossEntropyOnSoftAndOneHotTargets() {
        Targets soft = Targets.values(tensor("cls_soft"));
        Sequential m = identity(Shape.of(8), Loss.categoricalCrossentropy(), Metric.ACCURACY, Metric.TOP_K_CATEGORICAL_ACCURACY);
        Evaluation e = m.evaluate(Dataset.of(tensor("cls_unnormalised"), soft));
        assertValue("loss_categorical_ce_soft_unnormalised", e.loss());
        assertValue("metric_categorical_accuracy_soft", e.get("accuracy"));   // resolved to categorical accuracy
        assertValue("metric_top_k_soft", e.get("top_k_categorical_accuracy"));

        Sequential logits = identity(Shape.of(8), Loss.categoricalCrossentropy(true));
        assertValue("loss_categorical_ce_soft_logits_weighted",
                logits.evaluate(Dataset.of(tensor("cls_logits"), soft), F.floats("cls_weights")).loss());
        Dataset oneHot = Dataset.of(tensor("cls_probabilities"), Targets.oneHot(F.ints("cls_labels"), 8));
        assertValue("loss_categorical_ce_one_hot_weighted",
                identity(Shape.of(8), Loss.categoricalCrossentropy()).evaluate(oneHot, F.floats("cls_weights")).loss());
    }

    /** Outputs of shape (3, 2): three rows of two values per sample, each row reduced, the rows averaged. */
    @Test
    void regressionLossesAndMetricsOverRows() {
        Dataset data = Dataset.of(tensor("reg_pred"), Targets.values(tensor("reg_target")));
        float[] w = F.floats("reg_weights");
        Shape shape = Shape.of(3, 2);
        Evaluation mse = identity(shape, Loss.meanSquaredError(), Metric.MSE).evaluate(data);
        assertValue("loss_mse", mse.loss());
        assertValue("metric_mse", mse.get("mse"));
        assertValue("loss_mse_weighted", identity(shape, Loss.meanSquaredError()).evaluate(data, w).loss());
        Evaluation mae = identity(shape, Loss.meanAbsoluteError(), Metric.MAE).evaluate(data, w);
        assertValue("loss_mae_weighted", mae.loss());
        assertValue("metric_mae_weighted", mae.get("mae"));
        assertValue("loss_huber_weighted", identity(shape, Loss.huber()).evaluate(data, w).loss());
        assertValue("loss_huber_delta_half", identity(shape, Loss.huber(0.5)).evaluate(data).loss());
    }

    @Test
    void binaryCrossEntropyAndBinaryAccuracy() {
        Targets binary = Targets.values(tensor("reg_binary"));
        Shape shape = Shape.of(3, 2);
        Evaluation e = identity(shape, Loss.binaryCrossentropy(), Metric.BINARY_ACCURACY)
                .evaluate(Dataset.of(tensor("reg_probabilities"), binary), F.floats("reg_weights"));
        assertValue("loss_binary_ce_weighted", e.loss());
        assertValue("metric_binary_accuracy_weighted", e.get("binary_accuracy"));
        assertValue("loss_binary_ce_logits", identity(shape, Loss.binaryCrossentropy(true))
                .evaluate(Dataset.of(tensor("reg_pred"), binary)).loss());
    }
}
