package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.io.NpyArray;
import io.github.purecnn.io.Npz;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.ActivationLayer;
import io.github.purecnn.layers.BatchNormalization;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.layers.Padding;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model with batch normalisation as a Keras user meets it: the summary's counts, the weights
 * in Keras's order with the moving averages after the trainable ones, the optimizer skipping
 * them, the model file and the Keras-weights exchange carrying them, a frozen layer keeping its
 * statistics, and a batch it cannot train on refused before the first step, naming the layer.
 */
class BatchNormalizationModelTest {

    /** Keras: Conv2D(4, 3, 'same'), BatchNormalization(), Activation('relu'), MaxPooling2D(), Flatten(), Dense(3, softmax). */
    private static Sequential model(long seed) {
        return new Sequential(seed, Shape.of(6, 6, 2),
                new Conv2D(4, 3).padding(Padding.SAME),
                new BatchNormalization(),
                new ActivationLayer(Activation.RELU),
                new MaxPooling2D(2),
                new Flatten(),
                new Dense(3).activation(Activation.SOFTMAX));
    }

    private static Dataset data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 72];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
            for (int p = 0; p < 72; p++) {
                x[i * 72 + p] = (float) (r.nextDouble() * 2 + (p / 12 / 2 == y[i] ? 1 : 0));
            }
        }
        return Dataset.of(new Tensor(Shape.of(n, 6, 6, 2), x), y, 3);
    }

    private static float[][] weights(Sequential m) {
        return m.getWeights().stream().map(Tensor::data).toArray(float[][]::new);
    }

    /**
     * Keras's summary of Input((32, 32, 3)), Conv2D(32, 3, padding='same'), BatchNormalization(),
     * Activation('relu'), MaxPooling2D(), Flatten(), Dense(10, activation='softmax'):
     * conv2d 3*3*3*32 + 32 = 896; batch_normalization 4 * 32 = 128 (gamma and beta, 64, train;
     * moving_mean and moving_variance, 64, do not); flatten 16*16*32 = 8192; dense 8192*10 + 10 =
     * 81,930. Total 896 + 128 + 81,930 = 82,954; trainable 82,954 - 64 = 82,890; non-trainable 64.
     */
    @Test
    void theSummaryCountsAsKerasDoes() {
        Sequential m = new Sequential(1, Shape.of(32, 32, 3),
                new Conv2D(32, 3).padding(Padding.SAME), new BatchNormalization(), new ActivationLayer(Activation.RELU),
                new MaxPooling2D(2), new Flatten(), new Dense(10).activation(Activation.SOFTMAX));
        String s = m.summary();
        List<String> lines = s.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.matches(" conv2d \\(Conv2D\\) +\\(None, 32, 32, 32\\) +896")), s);
        assertTrue(lines.stream().anyMatch(l -> l.matches(" batch_normalization \\(BatchNormalization\\) +\\(None, 32, 32, 32\\) +128")), s);
        assertTrue(lines.stream().anyMatch(l -> l.matches(" dense \\(Dense\\) +\\(None, 10\\) +81,930")), s);
        assertTrue(s.contains("Total params: 82,954\nTrainable params: 82,890\nNon-trainable params: 64\n"), s);
        assertEquals(82_954, m.countParams(), "Keras's count_params(): every weight");
        assertEquals(82_890, m.countTrainableParams());
    }

    @Test
    void weightsComeInKerasOrderAndTheOptimizerSkipsTheMovingAverages() {
        Sequential m = model(1);
        assertEquals(List.of("conv2d/kernel", "conv2d/bias", "batch_normalization/gamma", "batch_normalization/beta",
                "batch_normalization/moving_mean", "batch_normalization/moving_variance", "dense/kernel", "dense/bias"),
                m.weights().stream().map(Parameter::path).toList());
        assertEquals(List.of("batch_normalization/moving_mean", "batch_normalization/moving_variance"),
                m.layers().get(1).nonTrainableWeights().stream().map(Parameter::path).toList());
        float[][] w = weights(m);
        assertArrayEquals(new float[] {1, 1, 1, 1}, w[2], "gamma starts at ones");
        assertArrayEquals(new float[] {0, 0, 0, 0}, w[3], "beta at zeros");
        assertArrayEquals(new float[] {0, 0, 0, 0}, w[4], "moving mean at zeros");
        assertArrayEquals(new float[] {1, 1, 1, 1}, w[5], "moving variance at ones");
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy());
        assertFalse(m.optimizer().state().keySet().stream().anyMatch(k -> k.contains("moving")), m.optimizer().state().keySet().toString());
        m.fit(data(40, 2), new FitOptions().epochs(1).batchSize(20).verbose(0));
        float[][] after = weights(m);
        assertFalse(java.util.Arrays.equals(w[4], after[4]), "the moving mean follows the batches");
        assertFalse(java.util.Arrays.equals(w[5], after[5]), "the moving variance follows the batches");

        Sequential copy = model(9);
        copy.setWeights(m.getWeights());
        assertArrayEquals(m.predict(data(5, 3)).data(), copy.predict(data(5, 3)).data(), "setWeights carries the moving averages");
    }

    @Test
    void theModelFileAndTheKerasWeightsCarryTheMovingAverages(@TempDir Path dir) throws Exception {
        Sequential m = model(4);
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        m.fit(data(40, 5), new FitOptions().epochs(2).batchSize(20).verbose(0));
        Path file = dir.resolve("bn.purecnn");
        m.save(file);
        Sequential loaded = Sequential.load(file);
        Dataset test = data(7, 6);
        assertArrayEquals(m.predict(test).data(), loaded.predict(test).data(), "inference with the saved moving averages");
        // both train on to the same bits: batch statistics, moving averages and Adam state resume exactly
        m.fit(data(40, 5), new FitOptions().epochs(1).batchSize(20).verbose(0));
        loaded.fit(data(40, 5), new FitOptions().epochs(1).batchSize(20).verbose(0));
        float[][] a = weights(m);
        float[][] b = weights(loaded);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "weight " + i);
        }

        Path npz = dir.resolve("w.npz");
        m.saveWeights(npz);
        Map<String, NpyArray> arrays = Npz.read(npz);
        assertEquals(8, arrays.size(), "as np.savez(path, *keras_model.get_weights()): every weight");
        assertArrayEquals(m.layers().get(1).weights().get(2).value(), arrays.get("arr_4").toFloats(), "arr_4 is the moving mean");
        assertArrayEquals(new int[] {4}, arrays.get("arr_5").shape());
        Sequential fresh = model(11);
        fresh.loadWeights(npz);
        assertArrayEquals(m.predict(test).data(), fresh.predict(test).data());
    }

    /** Keras 3: a frozen BatchNormalization runs in inference mode, and its moving averages stay. */
    @Test
    void aFrozenLayerNormalisesWithItsMovingAveragesAndKeepsThem() {
        Sequential m = model(3);
        BatchNormalization bn = (BatchNormalization) m.layers().get(1);
        bn.movingMean().set(new float[] {0.1f, -0.2f, 0.3f, 0f});
        bn.movingVariance().set(new float[] {1.5f, 0.5f, 2f, 1f});
        bn.trainable(false);
        float[][] before = weights(m);
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy());
        m.fit(data(40, 7), new FitOptions().epochs(1).batchSize(20).verbose(0));
        float[][] after = weights(m);
        for (int i = 2; i < 6; i++) {
            assertArrayEquals(before[i], after[i], "batch normalisation weight " + i);
        }
        assertFalse(java.util.Arrays.equals(before[0], after[0]), "the convolution below trains through it");
    }

    @Test
    void aBatchOfOneValuePerChannelIsRefusedBeforeTheFirstStep() {
        Sequential m = new Sequential(1, Shape.of(2, 2, 1), new Flatten(), new Dense(4), new BatchNormalization().named("bn"),
                new Dense(2).activation(Activation.SOFTMAX));
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy());
        float[][] before = weights(m);
        SplittableRandom r = new SplittableRandom(1);
        float[] x = new float[9 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        int[] y = new int[9];
        Dataset nine = Dataset.of(new Tensor(Shape.of(9, 2, 2, 1), x), y, 2);

        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> m.fit(nine, new FitOptions().epochs(1).batchSize(1).verbose(0)));
        assertTrue(one.getMessage().contains("layer 'bn' (BatchNormalization) cannot train on a batch of 1 sample of shape (None, 4)"),
                one.getMessage());

        IllegalArgumentException last = assertThrows(IllegalArgumentException.class,
                () -> m.fit(nine, new FitOptions().epochs(1).batchSize(4).verbose(0)));
        assertTrue(last.getMessage().contains("layer 'bn'") && last.getMessage().contains("the last batch of each epoch"),
                last.getMessage());
        assertTrue(last.getMessage().contains("9 samples in batches of 4"), last.getMessage());
        float[][] after = weights(m);
        for (int i = 0; i < before.length; i++) {
            assertArrayEquals(before[i], after[i], "nothing trained");
        }
        // images give each channel several values: a batch of one image trains
        Sequential images = new Sequential(1, Shape.of(2, 2, 1), new BatchNormalization(), new Flatten(),
                new Dense(2).activation(Activation.SOFTMAX));
        images.compile(new Adam(), Loss.sparseCategoricalCrossentropy());
        images.fit(nine, new FitOptions().epochs(1).batchSize(1).verbose(0));
    }
}
