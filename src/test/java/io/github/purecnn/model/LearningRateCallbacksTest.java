package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.optimizers.schedules.ExponentialDecay;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learning rate in the history, and the callbacks that set it, log epochs or stop on NaN. */
class LearningRateCallbacksTest {
    @TempDir
    Path dir;

    private static Sequential model(io.github.purecnn.optimizers.Optimizer opt) {
        Sequential m = GoldenModelFileTest.tiny(5);
        m.compile(opt, Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        return m;
    }

    private static Dataset data() {
        return Dataset.of(GoldenModelFileTest.inputs(40), GoldenModelFileTest.labels(40), 3);
    }

    private static FitOptions epochs(int n) {
        return new FitOptions().epochs(n).batchSize(20).verbose(0);    // two steps per epoch
    }

    /** A schedule's rate is logged at each epoch's end: the rate at the iteration count, 2, 4, 6. */
    @Test
    void theHistoryRecordsTheLearningRate() {
        ExponentialDecay decay = new ExponentialDecay(0.1, 2, 0.5);
        History h = model(new SGD(decay)).fit(data(), epochs(3));
        assertArrayEquals(new double[] {(float) decay.at(2), (float) decay.at(4), (float) decay.at(6)},
                h.get("learning_rate"));
        assertEquals(0.025, h.get("learning_rate")[1], 1e-9);
        History constant = model(new Adam(0.003)).fit(data(), epochs(2));
        assertArrayEquals(new double[] {0.003f, 0.003f}, constant.get("learning_rate"));
        assertEquals(List.of("loss", "accuracy", "learning_rate"), constant.last().names());
    }

    /**
     * Keras's rule, worked out for monitor loss, factor 0.5, patience 1, a min_delta no epoch
     * beats, min_lr 0.02 and lr 0.1: epoch 1 improves on infinity; epochs 2, 3 and 4 do not, each
     * using up patience 1: the rate becomes 0.05, 0.025, then max(0.0125, 0.02) = 0.02; at epoch 5
     * it is no longer above min_lr and stays. The history logs each epoch's rate before the
     * callback changes it.
     */
    @Test
    void reduceLROnPlateauFollowsKerasRule() {
        ReduceLROnPlateau reduce = new ReduceLROnPlateau("loss").factor(0.5).patience(1).minDelta(100).minLr(0.02);
        History h = model(new SGD(0.1)).fit(data(), epochs(6).callbacks(reduce));
        assertArrayEquals(new double[] {0.1f, 0.1f, 0.05f, 0.025f, 0.02f, 0.02f}, h.get("learning_rate"));
    }

    /**
     * Cooldown 2, Keras's rule: a reduction sets the counter to 2; each epoch end first counts it
     * down, and waits only when it is then 0. So after the reduction at epoch 2's end, epoch 3
     * counts down to 1 and does not wait, epoch 4 counts down to 0 and waits (patience 1: reduce);
     * then epoch 5 cools down and epoch 6 reduces again.
     */
    @Test
    void reduceLROnPlateauCoolsDown() {
        ReduceLROnPlateau reduce = new ReduceLROnPlateau("loss").factor(0.5).patience(1).minDelta(100).cooldown(2);
        History h = model(new SGD(0.1)).fit(data(), epochs(7).callbacks(reduce));
        assertArrayEquals(new double[] {0.1f, 0.1f, 0.05f, 0.05f, 0.025f, 0.025f, 0.0125f}, h.get("learning_rate"));
    }

    @Test
    void learningRateCallbacksRefuseAScheduledRateAndBadArguments() {
        Sequential scheduled = model(new SGD(new ExponentialDecay(0.1, 2, 0.5)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> scheduled.fit(data(), epochs(1).callbacks(new ReduceLROnPlateau())));
        assertTrue(e.getMessage().contains("ExponentialDecay"), e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> scheduled.fit(data(), epochs(1).callbacks(new LearningRateScheduler((epoch, lr) -> lr))));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau().factor(1));
        assertTrue(bad.getMessage().contains("factor"), bad.getMessage());
        Sequential m = model(new SGD(0.1));
        bad = assertThrows(IllegalArgumentException.class,
                () -> m.fit(data(), epochs(3).callbacks(new LearningRateScheduler((epoch, lr) -> epoch == 1 ? -1 : lr))));
        assertTrue(bad.getMessage().contains("epoch 1") && bad.getMessage().contains("-1"), bad.getMessage());
    }

    /** Keras's example: keep the rate for 2 epochs, then halve it; epochs count on over fit calls. */
    @Test
    void learningRateSchedulerSetsEachEpochsRate() {
        Sequential m = model(new SGD(0.1));
        LearningRateScheduler schedule = new LearningRateScheduler((epoch, lr) -> epoch < 2 ? lr : lr * 0.5);
        History first = m.fit(data(), epochs(3).callbacks(schedule));
        assertArrayEquals(new double[] {0.1f, 0.1f, 0.05f}, first.get("learning_rate"));
        History second = m.fit(data(), epochs(1).callbacks(schedule));    // epoch 3 of the model
        assertArrayEquals(new double[] {0.025f}, second.get("learning_rate"));
    }

    @Test
    void csvLoggerWritesKerasRows() throws IOException {
        Path file = dir.resolve("log.csv");
        Sequential m = model(new Adam(0.01));
        History h = m.fit(data(), epochs(2).validationSplit(0.5).callbacks(new CSVLogger(file)));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals("epoch,accuracy,learning_rate,loss,val_accuracy,val_loss", lines.get(0));
        assertEquals(3, lines.size());
        String[] row = lines.get(2).split(",");
        assertEquals("1", row[0], "the second epoch, counted from 0");
        assertEquals(h.last().loss(), Double.parseDouble(row[3]), 0.0, "loss exactly, as Python's repr");
        assertEquals("0.009999999776482582", row[2], "the float32 learning rate as Python writes it");

        m.fit(data(), epochs(1).validationSplit(0.5).callbacks(new CSVLogger(file).append(true)));
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(4, lines.size(), "appended without a second header");
        assertTrue(lines.get(3).startsWith("2,"), lines.get(3));
        assertTrue(Files.readString(file).contains("\r\n"), "Python's csv ends rows with CR LF");
    }

    @Test
    void valuesAreWrittenAsPythonWritesFloats() {
        assertEquals("0.0001", CSVLogger.python(1e-4));
        assertEquals("1e-05", CSVLogger.python(1e-5));
        assertEquals("1.5e-07", CSVLogger.python(1.5e-7));
        assertEquals("3.0", CSVLogger.python(3));
        assertEquals("12.5", CSVLogger.python(12.5));
        assertEquals("-0.25", CSVLogger.python(-0.25));
        assertEquals("123456789012345.0", CSVLogger.python(123456789012345.0));
        assertEquals("1e+16", CSVLogger.python(1e16));
        assertEquals("2.5e+16", CSVLogger.python(2.5e16));
        assertEquals("nan", CSVLogger.python(Double.NaN));
        assertEquals("-inf", CSVLogger.python(Double.NEGATIVE_INFINITY));
        assertEquals("0.0", CSVLogger.python(0));
    }

    /**
     * A NaN pixel in sample 25 (batch 2 of 2 unshuffled): TerminateOnNaN ends the fit after the
     * first batch, without an exception; the epoch is logged with that batch, onTrainEnd runs,
     * and the weights are those after batch 1.
     */
    @Test
    void terminateOnNaNStopsGracefullyBeforeTheBadUpdate() {
        Dataset good = data();
        float[] x = good.images().data();
        x[25 * 36 + 7] = Float.NaN;
        Dataset poisoned = Dataset.of(new Tensor(Shape.of(40, 6, 6, 1), x), good.labels(), 3);

        Sequential expected = model(new Adam(0.01));
        History one = expected.fit(good.subset(0, 20), epochs(1).shuffle(false));

        Sequential m = model(new Adam(0.01));
        TerminateOnNaN terminate = new TerminateOnNaN();
        List<String> ended = new ArrayList<>();
        Callback end = new Callback() {
            @Override
            public void onTrainEnd(Sequential model, History history) {
                ended.add("ended after " + history.epochs().size());
            }
        };
        History h = m.fit(poisoned, epochs(3).shuffle(false).callbacks(terminate, end));
        assertEquals(1, h.epochs().size());
        assertEquals(1, terminate.terminatedEpoch());
        assertEquals(2, terminate.terminatedBatch());
        assertEquals(List.of("ended after 1"), ended);
        assertEquals(one.last().loss(), h.last().loss(), 0.0, "the epoch's loss is batch 1's");
        List<Parameter> want = expected.parameters();
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i).value(), m.parameters().get(i).value(), want.get(i).path());
        }
    }
}
