package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.Layers;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.github.purecnn.testing.ScaleLayer;
import org.junit.jupiter.api.BeforeAll;
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
 * A custom layer with weights ({@link ScaleLayer}, written with the public API only) in a model:
 * it trains (its trainable weight, not the other), the same bits with any number of threads,
 * saves and loads once registered, and fails to load, naming its type, when not; registration
 * refuses what would break the built-in types or lose config keys.
 */
class CustomLayerTest {

    @BeforeAll
    static void register() {
        ScaleLayer.register();
    }

    private static Sequential model(long seed) {
        return new Sequential(seed, Shape.of(3, 3, 2), new ScaleLayer(0.1), new Flatten(),
                new Dense(3).activation(Activation.SOFTMAX));
    }

    private static Dataset data() {
        SplittableRandom r = new SplittableRandom(5);
        float[] x = new float[40 * 18];
        int[] y = new int[40];
        for (int i = 0; i < 40; i++) {
            y[i] = r.nextInt(3);
            for (int p = 0; p < 18; p++) {
                x[i * 18 + p] = (float) (r.nextDouble() + (p % 3 == y[i] ? 1 : 0));
            }
        }
        return Dataset.of(new Tensor(Shape.of(40, 3, 3, 2), x), y, 3);
    }

    private static float[][] weights(Sequential m) {
        return m.getWeights().stream().map(Tensor::data).toArray(float[][]::new);
    }

    @Test
    void itTrainsItsTrainableWeightTheSameWithAnyThreadCount() {
        Sequential one = model(1).threads(1);
        Sequential two = model(1).threads(2);
        assertEquals(List.of("contract_scale/w", "contract_scale/calls"),
                one.layers().get(0).weights().stream().map(Parameter::path).toList(), "Keras's order: trainable first");
        float[][] before = weights(one);
        for (Sequential m : List.of(one, two)) {
            m.compile(new Adam(0.05), Loss.sparseCategoricalCrossentropy());
            m.fit(data(), new FitOptions().epochs(2).batchSize(20).verbose(0));
        }
        float[][] a = weights(one);
        float[][] b = weights(two);
        assertFalse(java.util.Arrays.equals(before[0], a[0]), "w trains");
        assertArrayEquals(before[1], a[1], "calls does not");
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i], "weight " + i);
        }
        assertEquals(List.of("contract_scale/w/m", "contract_scale/w/v"),
                one.optimizer().state().keySet().stream().filter(k -> k.startsWith("contract_scale")).toList());
    }

    @Test
    void itSavesAndLoadsOnceRegistered(@TempDir Path dir) throws Exception {
        Sequential m = model(2);
        m.compile(new Adam(0.05), Loss.sparseCategoricalCrossentropy());
        m.fit(data(), new FitOptions().epochs(1).batchSize(20).verbose(0));
        Path file = dir.resolve("custom.purecnn");
        m.save(file);
        Sequential loaded = Sequential.load(file);
        assertEquals(Map.of("name", "contract_scale", "offset", 0.1), loaded.layers().get(0).config());
        assertArrayEquals(m.predict(data()).data(), loaded.predict(data()).data());

        Sequential unknown = new Sequential(2, Shape.of(3, 3, 2), new ScaleLayer("NeverRegistered", 0.1), new Flatten(),
                new Dense(3));
        Path other = dir.resolve("unknown.purecnn");
        unknown.save(other);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Sequential.load(other));
        assertTrue(e.getMessage().contains("model.layers[0]: unknown layer type 'NeverRegistered'"), e.getMessage());
        assertTrue(e.getMessage().contains("Layers.register"), e.getMessage());
    }

    @Test
    void aFrozenCustomLayerGetsNoGradientArrays() {
        Sequential m = model(3);
        m.layers().get(0).trainable(false);
        float[][] before = weights(m);
        m.compile(new Adam(0.05), Loss.sparseCategoricalCrossentropy());
        m.fit(data(), new FitOptions().epochs(1).batchSize(20).verbose(0));
        assertArrayEquals(before[0], weights(m)[0]);
    }

    @Test
    void registrationRefusesBuiltInNamesWrongFactoriesAndUnreadKeys() {
        IllegalArgumentException builtIn = assertThrows(IllegalArgumentException.class,
                () -> Layers.register("Dense", c -> new ScaleLayer(0)));
        assertTrue(builtIn.getMessage().contains("built-in type"), builtIn.getMessage());

        Layers.register("Mislabelled", c -> new ScaleLayer(c.number("offset")));
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig("Mislabelled", Map.of("offset", 1.0)));
        assertTrue(wrong.getMessage().contains("made a layer of type '" + ScaleLayer.TYPE + "'"), wrong.getMessage());

        IllegalArgumentException unread = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig(ScaleLayer.TYPE, Map.of("offset", 1.0, "scale", 2.0)));
        assertTrue(unread.getMessage().contains(ScaleLayer.TYPE + " config: unknown key 'scale'"), unread.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Layers.fromConfig(ScaleLayer.TYPE, Map.of()));
        assertTrue(missing.getMessage().contains("expected key 'offset'"), missing.getMessage());
        assertTrue(Layers.registeredTypes().contains(ScaleLayer.TYPE));
    }
}
