package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Targets;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Targets that do not fit the model are refused before any step, with both shapes named; sample
 * and class weights follow Keras's semantics; "accuracy" resolves as Keras resolves it.
 */
class TargetsAndWeightsTest {

    private static Tensor features(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (2 * r.nextDouble() - 1);
        }
        return new Tensor(Shape.of(n, 4), x);
    }

    /** Dense(3, softmax) on 4 features, SGD. */
    private static Sequential classifier(Loss loss, Metric... metrics) {
        Sequential m = new Sequential(2, Shape.of(4), new Dense(8).activation(Activation.TANH),
                new Dense(3).activation(Activation.SOFTMAX));
        m.compile(new SGD(0.1), loss, metrics);
        return m;
    }

    private static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = (i * 7) % 3;
        }
        return y;
    }

    private static void assertRefused(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }

    private static float[][] weights(Sequential m) {
        List<Parameter> ps = m.parameters();
        float[][] w = new float[ps.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = ps.get(i).value().clone();
        }
        return w;
    }

    @Test
    void aRegressionTargetOfTheWrongShapeIsRefusedNamingBothShapes() {
        Sequential m = new Sequential(1, Shape.of(4), new Dense(1));
        m.compile(new SGD(), Loss.meanSquaredError());
        float[][] before = weights(m);
        Tensor y = new Tensor(Shape.of(10, 3), new float[30]);
        assertRefused(() -> m.fit(features(10, 1), y, new FitOptions().verbose(0)),
                "training data has targets of shape (3,)", "outputs (1,)", "expected targets of shape (1,)");
        assertRefused(() -> m.evaluate(features(10, 1), y), "evaluation data has targets of shape (3,)");
        assertRefused(() -> m.fit(features(10, 1), new Tensor(Shape.of(9), new float[9]), new FitOptions().verbose(0)),
                "x has 10 samples but y has 9");
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], m.parameters().get(i).value(), "untouched");
        }
    }

    @Test
    void targetsThatDoNotFitTheLossOrMetricsAreRefused() {
        Tensor x = features(6, 2);
        Dataset oneHot = Dataset.of(x, Targets.oneHot(labels(6), 3));
        assertRefused(() -> classifier(Loss.sparseCategoricalCrossentropy()).fit(oneHot, new FitOptions().verbose(0)),
                "sparse_categorical_crossentropy needs class labels", "(3,)", "categorical_crossentropy");
        assertRefused(() -> classifier(Loss.categoricalCrossentropy(), Metric.SPARSE_CATEGORICAL_ACCURACY)
                .fit(oneHot, new FitOptions().verbose(0)), "sparse_categorical_accuracy needs class labels");
        // float class indices: one per sample, shape (1,), integers from 0 to 2
        Dataset halves = Dataset.of(x, Targets.values(new Tensor(Shape.of(6), new float[] {0, 1, 2, 1.5f, 0, 1})));
        assertRefused(() -> classifier(Loss.sparseCategoricalCrossentropy()).fit(halves, new FitOptions().verbose(0)),
                "sample 3 has the class index 1.5", "from 0 to 2");
        Dataset outOfRange = Dataset.of(x, labels(6), 5);
        int[] y = labels(6);
        y[4] = 4;
        Dataset four = Dataset.of(x, y, 5);
        assertRefused(() -> classifier(Loss.sparseCategoricalCrossentropy()).fit(four, new FitOptions().verbose(0)),
                "label 4 at index 4", "3 outputs");
        classifier(Loss.sparseCategoricalCrossentropy()).fit(outOfRange, new FitOptions().verbose(0));   // labels 0..2 of 5: fine
        // class labels for an image-shaped output: one label per sample cannot fill a class per pixel
        Sequential pixels = new Sequential(1, Shape.of(4, 4, 1), new Conv2D(3, 1).activation(Activation.SOFTMAX));
        pixels.compile(new SGD(), Loss.sparseCategoricalCrossentropy());
        Dataset images = Dataset.of(new Tensor(Shape.of(2, 4, 4, 1), new float[32]), new int[] {0, 1}, 3);
        assertRefused(() -> pixels.fit(images, new FitOptions().verbose(0)), "one class label per sample",
                "(4, 4, 3)", "(4, 4, 1)");
    }

    /** Per-pixel classes as float indices of shape (4, 4, 1) against a (4, 4, 3) softmax output train. */
    @Test
    void classIndicesPerPixelTrainASegmentationOutput() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 32;
        float[] x = new float[n * 16];
        float[] y = new float[n * 16];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
            y[i] = x[i] < 0.33 ? 0 : x[i] < 0.66 ? 1 : 2;     // the class of a pixel is its brightness band
        }
        Sequential m = new Sequential(1, Shape.of(4, 4, 1), new Conv2D(8, 1).activation(Activation.RELU),
                new Conv2D(3, 1).activation(Activation.SOFTMAX));
        m.compile(new io.github.purecnn.optimizers.Adam(0.05), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        Dataset data = Dataset.of(new Tensor(Shape.of(n, 4, 4, 1), x), Targets.values(new Tensor(Shape.of(n, 4, 4, 1), y)));
        History h = m.fit(data, new FitOptions().epochs(30).batchSize(16).verbose(0));
        assertTrue(h.last().accuracy() > 0.9, "per-pixel accuracy " + h.last().accuracy());
    }

    @Test
    void badWeightsAreRefusedNamingTheArgument() {
        Dataset data = Dataset.of(features(6, 3), labels(6), 3);
        Sequential m = classifier(Loss.sparseCategoricalCrossentropy());
        assertRefused(() -> m.fit(data, new FitOptions().verbose(0).sampleWeight(new float[5])),
                "6 samples", "sample_weight has 5 weights");
        assertRefused(() -> m.fit(data, new FitOptions().verbose(0).sampleWeight(new float[] {1, 1, -1, 1, 1, 1})),
                "sample_weight[2] is -1.0");
        assertRefused(() -> m.evaluate(data, new float[] {1, 1, 1, Float.NaN, 1, 1}), "sample_weight[3] is NaN");
        assertRefused(() -> new FitOptions().sampleWeight(new float[6]).classWeight(Map.of(0, 2.0)),
                "sample_weight and class_weight");
        assertRefused(() -> new FitOptions().classWeight(Map.of(1, -2.0)), "class 1", "-2.0");
        Sequential pixels = new Sequential(1, Shape.of(2, 2, 1), new Conv2D(1, 1));
        pixels.compile(new SGD(), Loss.meanSquaredError());
        Dataset images = Dataset.of(new Tensor(Shape.of(2, 2, 2, 1), new float[8]),
                Targets.values(new Tensor(Shape.of(2, 2, 2, 1), new float[8])));
        assertRefused(() -> pixels.fit(images, new FitOptions().verbose(0).classWeight(Map.of(0, 1.0))),
                "class_weight needs one class per sample", "(2, 2, 1)");
    }

    /**
     * Keras divides the weighted losses' sum by the batch size, not by the weights' sum: every
     * weight 2 doubles every gradient, which with SGD is the same as doubling the learning rate
     * (0.2f is exactly twice 0.1f, so bit for bit). Were the sum divided by the weights' sum, the
     * weights would change nothing.
     */
    @Test
    void sampleWeightsScaleTheLossAsKerasDoes() {
        Dataset data = Dataset.of(features(40, 4), labels(40), 3);
        float[] twos = new float[40];
        java.util.Arrays.fill(twos, 2f);
        Sequential weighted = classifier(Loss.sparseCategoricalCrossentropy());
        History hw = weighted.fit(data, new FitOptions().epochs(2).batchSize(16).verbose(0).sampleWeight(twos));
        Sequential faster = new Sequential(2, Shape.of(4), new Dense(8).activation(Activation.TANH),
                new Dense(3).activation(Activation.SOFTMAX));
        faster.compile(new SGD(0.2), Loss.sparseCategoricalCrossentropy());
        History hf = faster.fit(data, new FitOptions().epochs(2).batchSize(16).verbose(0));
        float[][] a = weights(weighted);
        float[][] b = weights(faster);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(b[i], a[i], "parameter " + i);
        }
        assertEquals(2 * hf.get("loss")[0], hw.get("loss")[0], 1e-12, "the weighted loss is twice the loss");
    }

    /**
     * class_weight {1: 0}: samples of class 1 have weight 0 and so no influence: changing their
     * inputs changes no weight (their zero-weighted gradients are exactly 0).
     */
    @Test
    void aZeroClassWeightRemovesTheClassFromTraining() {
        Tensor x = features(48, 6);
        int[] y = labels(48);
        float[] scrambled = x.data().clone();
        for (int i = 0; i < y.length; i++) {
            if (y[i] == 1) {
                for (int j = 0; j < 4; j++) {
                    scrambled[4 * i + j] = 5f - scrambled[4 * i + j];
                }
            }
        }
        FitOptions options = new FitOptions().epochs(2).batchSize(16).verbose(0).classWeight(Map.of(1, 0.0, 2, 3.0));
        Sequential a = classifier(Loss.sparseCategoricalCrossentropy());
        a.fit(Dataset.of(x, y, 3), options);
        Sequential b = classifier(Loss.sparseCategoricalCrossentropy());
        b.fit(Dataset.of(new Tensor(x.shape(), scrambled), y, 3), options);
        float[][] wa = weights(a);
        float[][] wb = weights(b);
        for (int i = 0; i < wa.length; i++) {
            assertArrayEquals(wa[i], wb[i], "parameter " + i);
        }
        Sequential unweighted = classifier(Loss.sparseCategoricalCrossentropy());
        unweighted.fit(Dataset.of(x, y, 3), new FitOptions().epochs(2).batchSize(16).verbose(0));
        assertTrue(weights(unweighted)[0][0] != wa[0][0], "the class weights changed the training");
    }

    /**
     * Keras resolves "accuracy" from the shapes: sparse categorical for class labels, categorical
     * for one-hot targets, binary for one output; each equals the explicit metric.
     */
    @Test
    void accuracyResolvesFromTheTargets() {
        Tensor x = features(30, 7);
        Dataset labelled = Dataset.of(x, labels(30), 3);
        Dataset oneHot = Dataset.of(x, Targets.oneHot(labels(30), 3));
        Sequential sparse = classifier(Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY, Metric.SPARSE_CATEGORICAL_ACCURACY);
        Evaluation e = sparse.evaluate(labelled);
        assertEquals(e.get("sparse_categorical_accuracy"), e.get("accuracy"));
        Sequential categorical = classifier(Loss.categoricalCrossentropy(), Metric.ACCURACY, Metric.CATEGORICAL_ACCURACY);
        categorical.setWeights(sparse.getWeights());
        Evaluation c = categorical.evaluate(oneHot);
        assertEquals(c.get("categorical_accuracy"), c.get("accuracy"));
        assertEquals(e.get("accuracy"), c.get("accuracy"), "the same predictions, the same classes");
        assertEquals(e.loss(), c.loss(), 1e-6, "categorical CE on one-hot targets is sparse CE on labels");

        // one sigmoid output against 0/1 labels: binary accuracy, the prediction thresholded at 0.5
        Sequential binary = new Sequential(3, Shape.of(4), new Dense(1).activation(Activation.SIGMOID));
        binary.compile(new SGD(0.5), Loss.binaryCrossentropy(), Metric.ACCURACY, Metric.BINARY_ACCURACY);
        int[] y = new int[30];
        for (int i = 0; i < 30; i++) {
            y[i] = x.data()[4 * i] + x.data()[4 * i + 1] > 0 ? 1 : 0;
        }
        History h = binary.fit(Dataset.of(x, y, 2), new FitOptions().epochs(30).batchSize(10).verbose(0));
        assertEquals(h.last().get("binary_accuracy"), h.last().accuracy());
        assertTrue(h.last().accuracy() > 0.9, "a linearly separable problem: " + h.last().accuracy());
    }
}
