package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model API: reproducibility, learning, and each misuse failing clearly without touching the weights. */
class SequentialTest {

    /** A small CNN with every kind of randomness: initial weights, shuffling, dropout. */
    private static Sequential smallCnn(long seed) {
        return new Sequential(seed, Shape.of(8, 8, 1),
                new Conv2D(4, 3).activation(Activation.RELU).padding(io.github.purecnn.layers.Padding.SAME),
                new MaxPooling2D(2),
                new Flatten(),
                new Dropout(0.25),
                new Dense(16).activation(Activation.TANH),
                new Dense(3).activation(Activation.SOFTMAX));
    }

    /** Images whose class is which third of the image is brightest: learnable, not trivial. */
    private static Dataset stripes(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
            for (int p = 0; p < 64; p++) {
                int col = p % 8;
                boolean lit = col / 3 == y[i] || (y[i] == 2 && col >= 6);
                x[i * 64 + p] = (float) (r.nextDouble() * 0.5 + (lit ? 0.5 : 0));
            }
        }
        return Dataset.of(new Tensor(Shape.of(n, 8, 8, 1), x), y, 3);
    }

    private static List<float[]> weights(Sequential m) {
        List<float[]> w = new ArrayList<>();
        m.getWeights().forEach(t -> w.add(t.data()));
        return w;
    }

    private static void assertSameWeights(List<float[]> a, List<float[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "weight " + i);
        }
    }

    private static History train(Sequential m, Dataset data, int threads) {
        m.threads(threads).compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        return m.fit(data, new FitOptions().epochs(3).batchSize(40).verbose(0));
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndHistoryWhateverTheThreadCount() {
        Dataset data = stripes(200, 1);
        Sequential one = smallCnn(42);
        Sequential two = smallCnn(42);
        Sequential three = smallCnn(42);
        assertSameWeights(weights(one), weights(two));
        History h1 = train(one, data, 1);
        History h2 = train(two, data, 2);
        History h3 = train(three, data, 3);
        assertSameWeights(weights(one), weights(two));
        assertSameWeights(weights(one), weights(three));
        assertArrayEquals(h1.get("loss"), h2.get("loss"));
        assertArrayEquals(h1.get("loss"), h3.get("loss"));
        assertArrayEquals(h1.get("accuracy"), h3.get("accuracy"));
    }

    @Test
    void anotherSeedGivesOtherWeights() {
        assertNotEquals(weights(smallCnn(1)).get(0)[0], weights(smallCnn(2)).get(0)[0]);
    }

    @Test
    void overfitsOneBatch() {
        Dataset batch = stripes(16, 3);
        Sequential m = new Sequential(5, Shape.of(8, 8, 1),
                new Conv2D(4, 3).activation(Activation.RELU),
                new Flatten(),
                new Dense(32).activation(Activation.RELU),
                new Dense(3).activation(Activation.SOFTMAX));
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        History h = m.fit(batch, new FitOptions().epochs(150).batchSize(16).verbose(0));
        assertTrue(h.last().loss() < 0.01, "loss after 150 steps on one batch: " + h.last().loss());
        assertEquals(1.0, m.evaluate(batch).accuracy());
    }

    @Test
    void learnsAndValidates() {
        Sequential m = smallCnn(7);
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        History h = m.fit(stripes(600, 9), new FitOptions().epochs(4).batchSize(32).validationSplit(0.25).verbose(0));
        assertEquals(4, h.epochs().size());
        assertTrue(h.last().validationAccuracy() > 0.9, "validation accuracy " + h.last().validationAccuracy());
        assertTrue(h.get("loss")[3] < h.get("loss")[0], "loss went down: " + java.util.Arrays.toString(h.get("loss")));
        Evaluation e = m.evaluate(stripes(300, 11));
        assertTrue(e.accuracy() > 0.9, "test accuracy " + e.accuracy());
    }

    /** A leading Flatten only reshapes the input: nothing computes its gradient, and the model still learns. */
    @Test
    void aModelStartingWithFlattenLearns() {
        Sequential mlp = new Sequential(4, Shape.of(8, 8, 1),
                new Flatten(),
                new Dense(16).activation(Activation.RELU),
                new Dense(3).activation(Activation.SOFTMAX));
        mlp.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        mlp.fit(stripes(300, 6), new FitOptions().epochs(5).batchSize(32).verbose(0));
        assertTrue(mlp.evaluate(stripes(200, 8)).accuracy() > 0.9);
    }

    @Test
    void predictGivesProbabilitiesForABatchOrOneImage() {
        Sequential m = smallCnn(3);
        Dataset data = stripes(5, 2);
        Tensor all = m.predict(data.images());
        assertEquals(Shape.of(5, 3), all.shape());
        Tensor one = m.predict(new Tensor(Shape.of(8, 8, 1), data.image(2)));
        assertEquals(Shape.of(1, 3), one.shape());
        for (int j = 0; j < 3; j++) {
            assertEquals(all.get(2, j), one.get(0, j), "inference does not depend on the batch");
        }
        double sum = 0;
        for (int j = 0; j < 3; j++) {
            sum += all.get(4, j);
        }
        assertEquals(1.0, sum, 1e-6);
        assertArrayEquals(all.data(), m.predict(data).data());
    }

    @Test
    void fitBeforeCompileFailsAndTouchesNothing() {
        Sequential m = smallCnn(1);
        List<float[]> before = weights(m);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> m.fit(stripes(10, 1), new FitOptions().verbose(0)));
        assertTrue(e.getMessage().contains("compile"), e.getMessage());
        assertSameWeights(before, weights(m));
    }

    @Test
    void labelsOutOfRangeFailBeforeTraining() {
        Sequential m = smallCnn(1);
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        List<float[]> before = weights(m);
        int[] labels = {0, 1, 2, 5, 1};
        Dataset bad = Dataset.of(new Tensor(Shape.of(5, 8, 8, 1), new float[5 * 64]), labels, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.fit(bad, new FitOptions().verbose(0)));
        assertTrue(e.getMessage().contains("label 5 at index 3") && e.getMessage().contains("3 outputs"), e.getMessage());
        assertSameWeights(before, weights(m));
    }

    @Test
    void inputOfTheWrongShapeFailsBeforeTraining() {
        Sequential m = smallCnn(1);
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        List<float[]> before = weights(m);
        Dataset wrong = Dataset.of(new Tensor(Shape.of(4, 8, 8, 3), new float[4 * 192]), new int[4], 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.fit(wrong, new FitOptions().verbose(0)));
        assertTrue(e.getMessage().contains("(8, 8, 3)") && e.getMessage().contains("(8, 8, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.predict(Tensor.zeros(2, 7, 7, 1)));
        assertTrue(e.getMessage().contains("(2, 7, 7, 1)") && e.getMessage().contains("(n, 8, 8, 1)"), e.getMessage());
        assertSameWeights(before, weights(m));
    }

    /** A batch whose loss is NaN (a NaN pixel) stops training before its update, naming epoch and batch. */
    @Test
    void nonFiniteLossStopsTrainingNamingEpochAndBatch() {
        Dataset good = stripes(64, 4);
        float[] x = good.images().data();
        x[40 * 64 + 10] = Float.NaN;                      // image 40 is in batch 3 of 4 when unshuffled
        Dataset poisoned = Dataset.of(new Tensor(Shape.of(64, 8, 8, 1), x), good.labels(), 3);

        Sequential m = smallCnn(1);
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        List<float[]> afterTwoBatches = weights(copyTrainedOn(good, 2));
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class,
                () -> m.fit(poisoned, new FitOptions().batchSize(16).shuffle(false).verbose(0)));
        assertEquals(1, e.epoch());
        assertEquals(3, e.batch());
        assertTrue(e.getMessage().contains("epoch 1, batch 3 of 4"), e.getMessage());
        assertSameWeights(afterTwoBatches, weights(m));
    }

    /** The same model trained unshuffled on the first {@code batches} batches of 16. */
    private static Sequential copyTrainedOn(Dataset data, int batches) {
        Sequential m = smallCnn(1);
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        m.fit(data.subset(0, 16 * batches), new FitOptions().batchSize(16).shuffle(false).verbose(0));
        return m;
    }

    @Test
    void aListenerCanChooseToOnlyWarnAboutANonFiniteLoss() {
        Dataset good = stripes(64, 4);
        float[] x = good.images().data();
        x[5] = Float.POSITIVE_INFINITY;
        Dataset poisoned = Dataset.of(new Tensor(Shape.of(64, 8, 8, 1), x), good.labels(), 3);
        Sequential m = smallCnn(1);
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        List<Integer> warned = new ArrayList<>();
        Callback warnOnly = new Callback() {
            @Override
            public boolean onNonFiniteLoss(int epoch, int batch, double loss) {
                warned.add(batch);
                return true;
            }
        };
        History h = m.fit(poisoned, new FitOptions().batchSize(16).shuffle(false).verbose(0).callbacks(warnOnly));
        assertEquals(List.of(1), warned);
        assertTrue(Double.isFinite(h.last().loss()), "the skipped batch is not in the epoch's loss");
        for (float[] w : weights(m)) {
            for (float v : w) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestWeights() {
        Sequential m = smallCnn(2);
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        // min_delta so large that no epoch after the first counts as an improvement
        EarlyStopping stop = new EarlyStopping("val_loss").minDelta(100).patience(1).restoreBestWeights(true);
        List<float[]> afterFirst = new ArrayList<>();
        Callback snapshot = new Callback() {
            @Override
            public void onEpochEnd(int epoch, EpochLog log) {
                if (epoch == 1) {
                    afterFirst.addAll(weights(m));
                }
            }
        };
        History h = m.fit(stripes(100, 5), new FitOptions().epochs(10).batchSize(20).validationSplit(0.2)
                .verbose(0).callbacks(snapshot, stop));
        assertEquals(2, h.epochs().size(), "epoch 1 is best, epoch 2 uses up patience 1 (as Keras counts)");
        assertEquals(2, stop.stoppedEpoch());
        assertEquals(1, stop.bestEpoch());
        assertSameWeights(afterFirst, weights(m));
    }

    @Test
    void layersFailAtBuildTimeNamingThemselves() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sequential(1, Shape.of(3, 3, 1), new Conv2D(2, 5)));
        assertTrue(e.getMessage().contains("layer 0 'conv2d' (Conv2D)") && e.getMessage().contains("(3, 3, 1)")
                && e.getMessage().contains("5x5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new Sequential(1, Shape.of(8, 8, 1), new Conv2D(2, 3), new Dense(4)));
        assertTrue(e.getMessage().contains("layer 1 'dense' (Dense)") && e.getMessage().contains("(6, 6, 2)")
                && e.getMessage().contains("Flatten"), e.getMessage());
    }

    @Test
    void aLayerBelongsToOneModel() {
        Dense shared = new Dense(2);
        new Sequential(1, Shape.of(4), shared);
        assertThrows(IllegalStateException.class, () -> new Sequential(1, Shape.of(4), shared));
        assertFalse(new Sequential(1, Shape.of(4)).isCompiled());
    }
}
