package io.github.purecnn.model;

import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ModelCheckpoint: a file per epoch with {@code {epoch}}, or one file holding the best epoch. */
class ModelCheckpointTest {
    @TempDir
    Path dir;

    private static Sequential compiled() {
        return GoldenModelFileTest.tiny(3).compile(new Adam(0.05), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
    }

    private static History fit(Sequential model, int epochs, Callback... callbacks) {
        FitOptions options = new FitOptions().epochs(epochs).batchSize(4).verbose(0)
                .validationData(io.github.purecnn.data.Dataset.of(GoldenModelFileTest.inputs(6),
                        GoldenModelFileTest.labels(6), 3));
        for (Callback c : callbacks) {
            options.callbacks(c);
        }
        return model.fit(GoldenModelFileTest.inputs(12), GoldenModelFileTest.labels(12), options);
    }

    @Test
    void everyEpochGetsItsOwnFileNumberedWithTwoDigits() throws IOException {
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("model-{epoch}.purecnn"));
        Sequential model = compiled();
        fit(model, 3, checkpoint);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("model-01.purecnn", "model-02.purecnn", "model-03.purecnn"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(3, checkpoint.lastSavedEpoch());
        Sequential last = Sequential.load(dir.resolve("model-03.purecnn"));
        assertArrayEquals(model.parameters().get(0).value(), last.parameters().get(0).value());
        assertEquals(model.optimizer().iterations(), last.optimizer().iterations());
    }

    @Test
    void saveBestOnlyKeepsTheEpochWithTheBestMonitoredValue() throws IOException {
        Path file = dir.resolve("best.purecnn");
        ModelCheckpoint checkpoint = new ModelCheckpoint(file).monitor("val_loss").saveBestOnly(true);
        History h = fit(compiled(), 6, checkpoint);
        double[] valLoss = h.get("val_loss");
        int best = 0;
        for (int i = 1; i < valLoss.length; i++) {
            best = valLoss[i] < valLoss[best] ? i : best;
        }
        assertEquals(best + 1, checkpoint.lastSavedEpoch());
        Sequential saved = Sequential.load(file);
        // Each epoch has 3 steps: the file holds the best epoch's state.
        assertEquals(3L * (best + 1), saved.optimizer().iterations());
    }

    @Test
    void maxModeSavesOnRisingValues() {
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("m.purecnn")).monitor("loss")
                .mode(EarlyStopping.Mode.MAX).saveBestOnly(true);
        History h = fit(compiled(), 4, checkpoint);
        double[] loss = h.get("loss");
        int best = 0;
        for (int i = 1; i < loss.length; i++) {
            best = loss[i] > loss[best] ? i : best;
        }
        assertEquals(best + 1, checkpoint.lastSavedEpoch());
    }

    @Test
    void monitoringAQuantityTheFitDoesNotMeasureFailsClearly() {
        ModelCheckpoint checkpoint = new ModelCheckpoint(dir.resolve("m.purecnn")).monitor("val_accuracy")
                .saveBestOnly(true);
        Sequential model = compiled();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.fit(
                GoldenModelFileTest.inputs(4), GoldenModelFileTest.labels(4),
                new FitOptions().epochs(1).verbose(0).callbacks(checkpoint)));
        assertTrue(e.getMessage().contains("ModelCheckpoint monitors 'val_accuracy'"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new ModelCheckpoint(dir).monitor("precision"));
        assertTrue(bad.getMessage().contains("cannot monitor 'precision'") && bad.getMessage().contains("val_loss"),
                bad.getMessage());
    }

    @Test
    void aSaveThatFailsStopsTheFitNamingTheFile() {
        Path file = dir.resolve("no-such-folder").resolve("m.purecnn");
        Sequential model = compiled();
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> fit(model, 2, new ModelCheckpoint(file)));
        assertTrue(e.getMessage().contains("cannot save epoch 1 to " + file), e.getMessage());
    }
}
