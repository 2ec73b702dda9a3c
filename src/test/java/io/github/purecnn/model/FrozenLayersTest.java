package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Frozen layers, as Keras's {@code layer.trainable = False}: the optimizer skips them, fit leaves
 * their weights alone and computes no gradients for them, the model file keeps the flag, and
 * misuse (training a model with nothing to train, changing the flags after compile) fails naming
 * the layers.
 */
class FrozenLayersTest {

    private static Sequential model(long seed) {
        return new Sequential(seed, Shape.of(6, 6, 1),
                new Conv2D(3, 3).activation(Activation.RELU),
                new MaxPooling2D(2),
                new Flatten(),
                new Dense(5).activation(Activation.TANH),
                new Dense(3).activation(Activation.SOFTMAX));
    }

    private static Dataset data(int n) {
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[n * 36];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
            for (int p = 0; p < 36; p++) {
                x[i * 36 + p] = (float) (r.nextDouble() * 0.4 + (p % 6 / 2 == y[i] ? 0.6 : 0));
            }
        }
        return Dataset.of(new Tensor(Shape.of(n, 6, 6, 1), x), y, 3);
    }

    private static float[][] weights(Sequential m) {
        return m.getWeights().stream().map(Tensor::data).toArray(float[][]::new);
    }

    @Test
    void aFrozenLayerKeepsItsWeightsAndTheOthersTrain() {
        Sequential m = model(1).threads(2);
        m.layers().get(0).trainable(false);
        float[][] before = weights(m);
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy());
        assertEquals(4, m.optimizer().parameters().size(), "the two Dense layers' kernels and biases");
        assertFalse(m.optimizer().state().keySet().stream().anyMatch(k -> k.startsWith("conv2d/")),
                "no optimizer state for the frozen convolution: " + m.optimizer().state().keySet());
        m.fit(data(48), new FitOptions().epochs(2).batchSize(16).verbose(0));
        float[][] after = weights(m);
        assertArrayEquals(before[0], after[0], "frozen kernel");
        assertArrayEquals(before[1], after[1], "frozen bias");
        for (int i = 2; i < after.length; i++) {
            assertFalse(java.util.Arrays.equals(before[i], after[i]), "weight " + i + " trains");
        }
    }

    /**
     * One SGD step: the Dense layers' gradients do not depend on whether the convolution below
     * them trains, so freezing it (which skips its backward pass entirely, as it is the first
     * layer) leaves their new values unchanged, bit for bit.
     */
    @Test
    void freezingTheBottomSkipsItsBackwardPassWithoutChangingTheRest() {
        Dataset d = data(32);
        Sequential trained = model(2).kernels(new ReferenceKernels());
        Sequential frozen = model(2).kernels(new ReferenceKernels());
        frozen.layers().get(0).trainable(false);
        for (Sequential m : List.of(trained, frozen)) {
            m.compile(new SGD(0.1), Loss.sparseCategoricalCrossentropy());
            m.fit(d, new FitOptions().epochs(1).batchSize(32).shuffle(false).verbose(0));
        }
        float[][] a = weights(trained);
        float[][] b = weights(frozen);
        for (int i = 2; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "weight " + i);
        }
        assertFalse(java.util.Arrays.equals(a[0], b[0]), "the convolution trains when not frozen");
    }

    @Test
    void theSummaryCountsFrozenWeightsAsNonTrainable() {
        Sequential m = model(1);
        m.layers().get(3).trainable(false);
        // conv 3*3*1*3 + 3 = 30; dense 12*5 + 5 = 65 (frozen); dense_1 5*3 + 3 = 18
        String s = m.summary();
        assertTrue(s.contains("Total params: 113\n"), s);
        assertTrue(s.contains("Trainable params: 48\n"), s);
        assertTrue(s.contains("Non-trainable params: 65\n"), s);
        assertEquals(48, m.countTrainableParams());
        assertTrue(m.layers().get(3).trainableWeights().isEmpty());
        assertEquals(2, m.layers().get(3).parameters().size(), "a frozen layer keeps its parameters");
    }

    @Test
    void aModelWithNothingToTrainFailsToFitNamingItsFrozenLayers() {
        Sequential m = model(1).trainable(false);
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy());
        float[][] before = weights(m);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> m.fit(data(16), new FitOptions().epochs(1).verbose(0)));
        assertTrue(e.getMessage().contains("no trainable weights"), e.getMessage());
        assertTrue(e.getMessage().contains("conv2d, max_pooling2d, flatten, dense, dense_1"), e.getMessage());
        assertArrayEquals(before[4], weights(m)[4]);
        // evaluating and predicting a frozen model is fine
        assertEquals(3, m.predict(data(2)).shape().dim(1));
    }

    @Test
    void changingTheFlagsAfterCompileAsksForCompileAgain() {
        Sequential m = model(1);
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy());
        m.layers().get(4).trainable(false);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> m.fit(data(16), new FitOptions().epochs(1).verbose(0)));
        assertTrue(e.getMessage().contains("dense_1 (frozen)"), e.getMessage());
        assertTrue(e.getMessage().contains("call compile again"), e.getMessage());
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy());
        m.fit(data(16), new FitOptions().epochs(1).verbose(0));
    }

    @Test
    void theModelFileKeepsTheFlagAndTheOptimizerStateOfTheTrainableWeights(@TempDir Path dir) throws Exception {
        Sequential m = model(3);
        m.layers().get(0).trainable(false);
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy());
        m.fit(data(32), new FitOptions().epochs(1).batchSize(16).verbose(0));
        Path file = dir.resolve("frozen.purecnn");
        m.save(file);
        Sequential loaded = Sequential.load(file);
        assertFalse(loaded.layers().get(0).isTrainable());
        assertEquals(false, loaded.layers().get(0).config().get("trainable"));
        assertFalse(loaded.layers().get(3).config().containsKey("trainable"), "trainable layers' configs are unchanged");
        assertEquals(m.optimizer().state().keySet(), loaded.optimizer().state().keySet());
        // both go on training to the same bits
        m.fit(data(32), new FitOptions().epochs(1).batchSize(16).verbose(0));
        loaded.fit(data(32), new FitOptions().epochs(1).batchSize(16).verbose(0));
        float[][] a = weights(m);
        float[][] b = weights(loaded);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "weight " + i);
        }
    }
}
