package io.github.purecnn.keras;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Layers;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.optimizers.Optimizers;
import io.github.purecnn.tensor.Shape;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every optimizer of the core, with its options, resumes training from {@code .keras} and
 * {@code .h5} as if it had never stopped: a model with BatchNormalization (whose moving statistics
 * are saved as weights) trained one epoch, saved, loaded and trained a second epoch ends with the
 * same weights, bit for bit, as the model trained two epochs straight. The {@code .keras}
 * optimizer variables are in Keras 3's order.
 */
class KerasOptimizerStateTest {
    @TempDir
    static Path dir;
    private static Dataset data;

    @BeforeAll
    static void data() {
        data = TestModels.randomImages(Shape.of(6, 6, 1), 48, 3, 21);
    }

    /** An optimizer class and its Keras config. */
    record Setting(String type, Map<String, Object> config) {
        Optimizer create() {
            return Optimizers.fromConfig(type, config);
        }

        @Override
        public String toString() {
            return type + " " + config;
        }
    }

    static Stream<Setting> settings() {
        Map<String, Object> decay = new LinkedHashMap<>();
        decay.put("class_name", "ExponentialDecay");
        decay.put("config", Map.of("initial_learning_rate", 0.01, "decay_steps", 2, "decay_rate", 0.8));
        return Stream.of(
                new Setting("SGD", Map.of("learning_rate", 0.05)),
                new Setting("SGD", Map.of("learning_rate", 0.05, "momentum", 0.9, "nesterov", true,
                        "clipvalue", 0.5)),
                new Setting("Adam", Map.of("learning_rate", 0.01, "amsgrad", true)),
                new Setting("Adam", Map.of("learning_rate", decay, "clipnorm", 1.0)),
                new Setting("AdamW", Map.of("learning_rate", 0.01, "weight_decay", 0.05)),
                new Setting("RMSprop", Map.of("learning_rate", 0.01)),
                new Setting("RMSprop", Map.of("learning_rate", 0.01, "rho", 0.8, "momentum", 0.5, "centered", true,
                        "global_clipnorm", 2.0)),
                new Setting("Nadam", Map.of("learning_rate", 0.01)),
                new Setting("Adagrad", Map.of("learning_rate", 0.05, "initial_accumulator_value", 0.2)),
                new Setting("Adamax", Map.of("learning_rate", 0.01, "weight_decay", 0.01)));
    }

    @ParameterizedTest
    @MethodSource("settings")
    void trainingResumesFromBothFormatsAsIfItHadNeverStopped(Setting setting) throws IOException {
        // No shuffling: a loaded model's epoch count, from which purecnn draws the shuffle, is not in
        // Keras's files; the second epoch then depends on the weights and the optimizer state only.
        FitOptions epoch = new FitOptions().epochs(1).batchSize(16).shuffle(false).verbose(0);
        for (String name : List.of("resume.keras", "resume.h5")) {
            Sequential straight = model(setting.create());
            straight.fit(data, epoch);
            Path file = dir.resolve(name);
            KerasModels.save(straight, file);
            Sequential resumed = KerasModels.load(file);
            assertTrue(resumed.isCompiled(), name);
            Optimizer a = straight.optimizer();
            Optimizer b = resumed.optimizer();
            assertEquals(a.config(), b.config(), name);
            assertEquals(a.iterations(), b.iterations(), name);
            assertEquals(a.learningRate(), b.learningRate(), name);
            assertEquals(a.scalars(), b.scalars(), name);
            assertEquals(a.state().keySet(), b.state().keySet(), name);
            for (String key : a.state().keySet()) {
                assertArrayEquals(a.state().get(key), b.state().get(key), name + " " + key);
            }
            straight.fit(data, epoch);
            resumed.fit(data, epoch);
            for (int i = 0; i < straight.weights().size(); i++) {
                Parameter p = straight.weights().get(i);
                assertArrayEquals(p.value(), resumed.weights().get(i).value(), name + " " + setting + ": " + p.path());
            }
        }
    }

    /**
     * Keras 3's RMSprop creates its variables kind by kind (every velocity, then every momentum,
     * then every average gradient), after the step count and the learning rate.
     */
    @Test
    void keras3KeepsRmspropsVariablesKindByKind() throws IOException {
        Sequential model = model(Optimizers.fromConfig("RMSprop", Map.of("momentum", 0.5, "centered", true)));
        model.fit(data, new FitOptions().epochs(1).batchSize(16).verbose(0));
        Path keras = dir.resolve("rmsprop.keras");
        KerasModels.save(model, keras);
        List<Parameter> params = model.optimizer().parameters();
        try (HdfFile h5 = weightsOf(keras)) {
            Group vars = (Group) h5.getByPath("optimizer/vars");
            assertEquals(2 + 3 * params.size(), vars.getChildren().size());
            assertEquals(model.optimizer().iterations(), ((Number) dataset(h5, "optimizer/vars/0")).longValue());
            assertEquals(model.optimizer().learningRate(), ((Number) dataset(h5, "optimizer/vars/1")).floatValue());
            List<String> kinds = List.of("rms", "momentum", "mg");
            for (int k = 0; k < kinds.size(); k++) {
                for (int i = 0; i < params.size(); i++) {
                    String path = "optimizer/vars/" + (2 + k * params.size() + i);
                    float[] expected = model.optimizer().state().get(params.get(i).path() + "/" + kinds.get(k));
                    assertArrayEquals(expected, flat(h5, path), path);
                }
            }
        }
    }

    /**
     * Keras 3's Adam-family creates the two moments parameter by parameter (m and v of the first
     * parameter, then of the second), and Nadam's running product before them (Keras up to 3.9).
     */
    @Test
    void keras3InterleavesNadamsMomentsAfterItsProduct() throws IOException {
        Sequential model = model(Optimizers.fromConfig("Nadam", Map.of()));
        model.fit(data, new FitOptions().epochs(1).batchSize(16).verbose(0));
        Path keras = dir.resolve("nadam.keras");
        KerasModels.save(model, keras);
        List<Parameter> params = model.optimizer().parameters();
        try (HdfFile h5 = weightsOf(keras)) {
            assertEquals(3 + 2 * params.size(), ((Group) h5.getByPath("optimizer/vars")).getChildren().size());
            assertEquals(model.optimizer().scalars().values().iterator().next(),
                    ((Number) dataset(h5, "optimizer/vars/2")).floatValue());
            for (int i = 0; i < params.size(); i++) {
                Map<String, float[]> state = model.optimizer().state();
                assertArrayEquals(state.get(params.get(i).path() + "/m"), flat(h5, "optimizer/vars/" + (3 + 2 * i)));
                assertArrayEquals(state.get(params.get(i).path() + "/v"), flat(h5, "optimizer/vars/" + (4 + 2 * i)));
            }
        }
    }

    /**
     * From Keras 3.10 on, Nadam's running product comes after its moments: an archive's
     * {@code keras_version} decides where it is read from.
     */
    @Test
    void nadamsProductIsReadWhereTheArchivesKerasVersionPutsIt() throws IOException {
        Sequential trained = model(Optimizers.fromConfig("Nadam", Map.of()));
        trained.fit(data, new FitOptions().epochs(1).batchSize(16).verbose(0));
        Optimizer nadam = trained.optimizer();
        int params = nadam.parameters().size();
        Path file = dir.resolve("nadam-3.10.h5");
        H5Writer.writeAtomically(file, root -> KerasOptimizerState.writeKeras3(trained, root,
                KerasOptimizerState.Layout.KERAS3_10));
        try (HdfFile h5 = new HdfFile(file)) {
            assertArrayEquals(nadam.state().get(nadam.parameters().get(0).path() + "/m"), flat(h5, "optimizer/vars/2"));
            assertEquals(nadam.scalars().values().iterator().next(),
                    ((Number) dataset(h5, "optimizer/vars/" + (2 + 2 * params))).floatValue(), "the product last");
        }
        assertEquals(KerasOptimizerState.Layout.KERAS3_10, KerasOptimizerState.Layout.keras3("3.10.0"));
        assertEquals(KerasOptimizerState.Layout.KERAS3, KerasOptimizerState.Layout.keras3("3.9.2"));
        Sequential fresh = model(Optimizers.fromConfig("Nadam", Map.of()));
        fresh.fit(data, new FitOptions().epochs(1).batchSize(48).verbose(0));
        try (H5Reader h5 = H5Reader.open(file, file.toString())) {
            KerasOptimizerState.readKeras3(h5, fresh, KerasOptimizerState.Layout.keras3("3.10.0"));
        }
        assertEquals(nadam.iterations(), fresh.optimizer().iterations());
        assertEquals(nadam.scalars(), fresh.optimizer().scalars());
        for (String key : nadam.state().keySet()) {
            assertArrayEquals(nadam.state().get(key), fresh.optimizer().state().get(key), key);
        }
    }

    private static Sequential model(Optimizer optimizer) {
        return new Sequential(9, Shape.of(6, 6, 1),
                Layers.fromConfig("Conv2D", Map.of("filters", 3, "kernel_size", 3, "kernel_regularizer",
                        Map.of("class_name", "L2", "config", Map.of("l2", 0.01)))),
                Layers.fromConfig("BatchNormalization", Map.of()),
                Layers.fromConfig("Activation", Map.of("activation", "relu")),
                Layers.fromConfig("Flatten", Map.of()),
                Layers.fromConfig("Dense", Map.of("units", 3)))
                .compile(optimizer, Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
    }

    private static HdfFile weightsOf(Path keras) throws IOException {
        Path weights = keras.resolveSibling(keras.getFileName() + ".weights.h5");
        try (ZipFile zip = new ZipFile(keras.toFile())) {
            Files.write(weights, zip.getInputStream(zip.getEntry(KerasArchive.WEIGHTS)).readAllBytes());
        }
        return new HdfFile(weights);
    }

    private static Object dataset(HdfFile h5, String path) {
        return ((io.jhdf.api.Dataset) h5.getByPath(path)).getData();
    }

    private static float[] flat(HdfFile h5, String path) {
        return (float[]) ((io.jhdf.api.Dataset) h5.getByPath(path)).getDataFlat();
    }
}
