package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A callback monitoring a quantity that fit does not measure says why: no accuracy metric, or no validation data. */
class EarlyStoppingMessageTest {

    private static Sequential model() {
        return new Sequential(3, Shape.of(2, 2, 1), new Flatten(), new Dense(3).activation(Activation.SOFTMAX));
    }

    private static Dataset data() {
        SplittableRandom r = new SplittableRandom(4);
        float[] x = new float[40 * 4];
        int[] y = new int[40];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(3);
        }
        return Dataset.of(new Tensor(Shape.of(40, 2, 2, 1), x), y, 3);
    }

    @Test
    void anAccuracyOfAModelCompiledWithoutTheMetricIsRefusedBeforeTheFirstStep() {
        Sequential m = model();
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy());
        float[] before = m.parameters().get(0).value().clone();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.fit(data(),
                new FitOptions().epochs(2).batchSize(20).validationSplit(0.5).verbose(0)
                        .callbacks(new EarlyStopping("val_accuracy"))));
        assertEquals("EarlyStopping monitors 'val_accuracy', which model 'sequential' does not measure: it was compiled"
                + " without the metric 'accuracy' (compile(optimizer, loss, Metric.ACCURACY)), its metrics are []", e.getMessage());
        assertArrayEquals(before, m.parameters().get(0).value(), "no step was taken");
    }

    @Test
    void aCheckpointFindsOutAfterTheFirstEpochAndSaysWhy() {
        Sequential m = model();
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy());
        ModelCheckpoint checkpoint = new ModelCheckpoint(Path.of("never-written.purecnn")).monitor("val_accuracy")
                .saveBestOnly(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.fit(data(),
                new FitOptions().epochs(1).batchSize(20).validationSplit(0.5).verbose(0).callbacks(checkpoint)));
        assertTrue(e.getMessage().contains("which epoch 1 did not measure (the model was compiled without the metric"
                + " 'accuracy' (compile(optimizer, loss, Metric.ACCURACY))): it measured [loss, val_loss, learning_rate]"),
                e.getMessage());
    }

    @Test
    void aValidationQuantityWithoutValidationDataSaysSo() {
        Sequential m = model();
        m.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.fit(data(),
                new FitOptions().epochs(1).batchSize(20).verbose(0).callbacks(new EarlyStopping("val_accuracy"))));
        assertTrue(e.getMessage().endsWith("which epoch 1 did not measure (fit has no validation data): it measured"
                + " [loss, accuracy, learning_rate]"), e.getMessage());
    }
}
