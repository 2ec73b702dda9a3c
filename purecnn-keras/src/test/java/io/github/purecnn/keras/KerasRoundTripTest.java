package io.github.purecnn.keras;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.History;
import io.github.purecnn.model.ModelFiles;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Metric;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Saving as Keras and loading back: the seed LeNet, trained briefly, predicts bit for bit the same
 * after a trip through {@code .keras} and {@code .h5}, with its compile settings; a model imported
 * from a Keras file trains on and saves; files are replaced atomically.
 */
class KerasRoundTripTest {
    @TempDir
    static Path dir;
    private static Sequential lenet;
    private static Tensor images;

    @BeforeAll
    static void train() {
        lenet = TestModels.trainedLeNet();
        images = TestModels.randomImages(Shape.of(28, 28, 1), 20, 10, 11).images(0, 20);
    }

    @Test
    void theTrainedLeNetComesBackBitForBitFromBothFormats() throws IOException {
        float[] expected = lenet.predict(images).data();
        for (String name : List.of("lenet.keras", "lenet.h5")) {
            Path file = dir.resolve(name);
            KerasModels.save(lenet, file);
            Sequential again = KerasModels.load(file);
            assertEquals(layerConfigs(lenet), layerConfigs(again), name);
            assertEquals(lenet.countParams(), again.countParams());
            assertArrayEquals(expected, again.predict(images).data(), name + ": predictions bit for bit");
            assertTrue(again.isCompiled(), name);
            Adam adam = (Adam) again.optimizer();
            assertEquals(((Adam) lenet.optimizer()).config(), adam.config(), name);
            assertEquals(lenet.loss().kerasName(), again.loss().kerasName());
            assertEquals(lenet.metrics(), again.metrics());
        }
    }

    @Test
    void theCommandLinesFormatsConvertThroughModelFiles() throws IOException {
        float[] expected = lenet.predict(images).data();
        Path purecnn = dir.resolve("lenet.purecnn");
        lenet.save(purecnn);
        Path keras = dir.resolve("converted.keras");
        Path h5 = dir.resolve("converted.h5");
        ModelFiles.save(ModelFiles.load(purecnn), keras);
        ModelFiles.save(ModelFiles.load(keras), h5);
        Path back = dir.resolve("back.purecnn");
        ModelFiles.save(ModelFiles.load(h5), back);
        assertArrayEquals(expected, Sequential.load(back).predict(images).data());
    }

    @Test
    void aModelImportedFromKerasTrainsOnAndSaves() throws IOException {
        Sequential model = KerasModels.load(Resources.file("keras2_sequential.h5")).threads(2);
        float[] before = model.parameters().get(0).value().clone();
        Dataset data = TestModels.randomImages(Shape.of(8, 8, 1), 64, 5, 5);
        History history = model.fit(data, new FitOptions().epochs(1).batchSize(16).verbose(0));
        assertEquals(1, history.epochs().size());
        assertTrue(Double.isFinite(history.epochs().get(0).loss()));
        assertFalse(java.util.Arrays.equals(before, model.parameters().get(0).value()), "the kernel trained");
        assertEquals(4, model.optimizer().iterations());

        Tensor x = data.images(0, 8);
        for (String name : List.of("trained.keras", "trained.h5", "trained.purecnn")) {
            Path file = dir.resolve(name);
            ModelFiles.save(model, file);
            assertArrayEquals(model.predict(x).data(), ModelFiles.load(file).predict(x).data(), name);
        }
    }

    @Test
    void trainingResumesFromBothFormatsAsIfItHadNeverStopped() throws IOException {
        Dataset data = TestModels.randomImages(Shape.of(28, 28, 1), 64, 10, 8);
        // No shuffling (a loaded model's epoch count, from which purecnn draws the shuffle, is not in
        // Keras's files) and no dropout in LeNet: the second epoch then depends on weights and optimizer state only.
        FitOptions epoch = new FitOptions().epochs(1).batchSize(32).shuffle(false).verbose(0);
        for (Optimizer optimizer : List.of(new Adam(0.002), new SGD(0.05, 0.9, true))) {
            for (String name : List.of("resume.keras", "resume.h5")) {
                Sequential straight = LeNet.create(3).compile(optimizer.typeName().equals("Adam") ? new Adam(0.002)
                        : new SGD(0.05, 0.9, true), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY).threads(2);
                straight.fit(data, epoch);
                Path file = dir.resolve(name);
                KerasModels.save(straight, file);
                Sequential resumed = KerasModels.load(file).threads(2);
                assertEquals(straight.optimizer().iterations(), resumed.optimizer().iterations(), name);
                straight.fit(data, epoch);
                resumed.fit(data, epoch);
                for (int i = 0; i < straight.parameters().size(); i++) {
                    assertArrayEquals(straight.parameters().get(i).value(), resumed.parameters().get(i).value(),
                            name + " " + optimizer.typeName() + ": " + straight.parameters().get(i).path());
                }
            }
        }
    }

    @Test
    void savingReplacesTheFileAtomicallyAndRefusesOtherNames() throws IOException {
        Path file = dir.resolve("replaced.keras");
        Files.writeString(file, "an older file");
        KerasModels.save(lenet, file);
        assertNotEquals("an older file", Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
        try (var listing = Files.list(dir)) {
            assertTrue(listing.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasModels.save(lenet, dir.resolve("model.bin")));
        assertTrue(e.getMessage().contains("expected a name ending in .keras"), e.getMessage());
    }

    private static List<Object> layerConfigs(Sequential model) {
        return model.layers().stream().map(Layer::config).map(c -> (Object) c).toList();
    }
}
