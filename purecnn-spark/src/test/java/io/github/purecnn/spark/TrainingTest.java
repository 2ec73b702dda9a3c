package io.github.purecnn.spark;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.Callback;
import io.github.purecnn.model.EpochLog;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.History;
import io.github.purecnn.model.LearningRateScheduler;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.ModelCheckpoint;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.Nadam;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.tensor.Tensor;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training on Spark ({@code local[2]}) against {@code Sequential.fit} on one machine: synchronous
 * steps give fit's weights, optimizer state and history bit for bit on 2 and 3 partitions, from a
 * data frame of raw pixels or an RDD of floats; larger batches give fit's with the larger batch;
 * parameter averaging follows its stated rule; checkpoints resume exactly.
 */
class TrainingTest {
    private static final long SEED = 11;
    private static final int BATCH = 40;

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static JavaSparkContext jsc;
    private static TrainingData data;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.session();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        data = new TrainingData(4, TrainingData.IMAGES);
    }

    private static FitOptions options(int epochs, int batch) {
        return new FitOptions().epochs(epochs).batchSize(batch).verbose(0);
    }

    @Test
    void synchronousStepsOnTwoAndThreePartitionsAreFitBitForBit() {
        Sequential fitted = TrainingData.model(SEED, true);
        History expected = fitted.fit(data.local(), options(2, BATCH));

        Sequential onTwo = TrainingData.model(SEED, true);
        ImageTrainer trainer = new ImageTrainer().partitions(2);
        History h2 = trainer.fit(onTwo, data.frame(spark, 4), ImageColumn.pixels("image"), "label", options(2, BATCH));
        TrainingData.assertSameModel(fitted, onTwo);
        assertSameHistory(expected, h2);
        TrainingStatistics statistics = trainer.lastStatistics();
        assertEquals(2, statistics.epochs());
        assertEquals(6, statistics.steps());
        assertEquals(6, statistics.jobs());

        Sequential onThree = TrainingData.model(SEED, true);
        History h3 = new ImageTrainer().partitions(3).fit(onThree, data.labeled(jsc, 2), options(2, BATCH));
        Sequential fittedOnFloats = TrainingData.model(SEED, true);
        fittedOnFloats.fit(data.localFloats(), options(2, BATCH));
        TrainingData.assertSameModel(fitted, fittedOnFloats);         // the same images, as floats
        TrainingData.assertSameModel(fitted, onThree);
        assertSameHistory(expected, h3);
    }

    @Test
    void largerBatchesAreFitWithTheLargerBatch() {
        Sequential fitted = TrainingData.model(SEED, true);
        History expected = fitted.fit(data.local(), options(2, 2 * 24));
        Sequential trained = TrainingData.model(SEED, true);
        History h = new ImageTrainer().partitions(2).mode(TrainingMode.largerBatches())
                .fit(trained, data.frame(spark, 3), ImageColumn.pixels("image"), "label", options(2, 24));
        TrainingData.assertSameModel(fitted, trained);
        assertSameHistory(expected, h);
    }

    @Test
    void averagingOnOnePartitionIsFit() {
        Sequential fitted = TrainingData.model(SEED, true);
        History expected = fitted.fit(data.local(), options(2, 16));
        Sequential trained = TrainingData.model(SEED, true);
        ImageTrainer trainer = new ImageTrainer().partitions(1).mode(TrainingMode.averaging(2));
        History h = trainer.fit(trained, data.frame(spark, 2), ImageColumn.pixels("image"), "label", options(2, 16));
        TrainingData.assertSameModel(fitted, trained);
        assertSameHistory(expected, h);
        assertEquals(6, trainer.lastStatistics().jobs(), "6 steps per epoch, 2 per round");
    }

    /**
     * Class weights, several metrics and a learning rate changed by a callback train as in fit:
     * synchronous steps on 2 partitions with Adam, and averaging on one partition with Nadam
     * (whose running product and learning rate travel with the replica's state).
     */
    @Test
    void classWeightsMetricsAndCallbacksAsFit() {
        Map<Integer, Double> classWeight = Map.of(0, 2.0, 2, 0.5);
        FitOptions options = options(2, BATCH).classWeight(classWeight)
                .callbacks(new LearningRateScheduler((epoch, lr) -> lr / (epoch + 1)));
        Sequential fitted = metricsModel(new Adam(0.01));
        History expected = fitted.fit(data.local(), options);
        Sequential trained = metricsModel(new Adam(0.01));
        History h = new ImageTrainer().partitions(2).fit(trained, data.frame(spark, 3), ImageColumn.pixels("image"),
                "label", options);
        TrainingData.assertSameModel(fitted, trained);
        assertSameLogs(expected, h);

        FitOptions unshuffled = options(2, 16).classWeight(classWeight).shuffle(false)
                .callbacks(new LearningRateScheduler((epoch, lr) -> lr / (epoch + 1)));
        Sequential nadamFitted = metricsModel(new Nadam(0.01));
        History nadamExpected = nadamFitted.fit(data.local(), unshuffled);
        Sequential nadamTrained = metricsModel(new Nadam(0.01));
        History nadamH = new ImageTrainer().partitions(1).mode(TrainingMode.averaging(2)).fit(nadamTrained,
                data.frame(spark, 2), ImageColumn.pixels("image"), "label", unshuffled);
        TrainingData.assertSameModel(nadamFitted, nadamTrained);
        assertSameLogs(nadamExpected, nadamH);
    }

    private static Sequential metricsModel(Optimizer optimizer) {
        Sequential m = TrainingData.model(SEED, true);
        return m.compile(optimizer, Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY,
                Metric.SPARSE_TOP_K_CATEGORICAL_ACCURACY);
    }

    /** Every logged value of every epoch, bit for bit, under the same names. */
    private static void assertSameLogs(History expected, History actual) {
        assertEquals(expected.epochs().size(), actual.epochs().size());
        for (int e = 0; e < expected.epochs().size(); e++) {
            assertEquals(expected.epochs().get(e).values(), actual.epochs().get(e).values(), "epoch " + (e + 1));
        }
    }

    /**
     * Two partitions, two local steps per round, not shuffled: partition p trains batches
     * b = p mod 2 of each round with fit, from the round's weights and optimizer state, and the
     * round ends with their average weighted by images, computed in double in partition order.
     */
    @Test
    void averagingFollowsItsRule() {
        int batch = 20;                                 // 5 batches an epoch: rounds of batches 0-3 and 4
        FitOptions options = options(2, batch).shuffle(false);
        Sequential trained = TrainingData.model(SEED, false);
        new ImageTrainer().partitions(2).mode(TrainingMode.averaging(2))
                .fit(trained, data.frame(spark, 3), ImageColumn.pixels("image"), "label", options);

        Sequential global = TrainingData.model(SEED, false);
        Dataset all = data.local();
        for (int epoch = 0; epoch < 2; epoch++) {
            for (int first = 0; first < 5; first += 4) {
                List<Sequential> locals = new ArrayList<>();
                List<Integer> images = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    List<Integer> mine = new ArrayList<>();
                    for (int b = first + p; b < Math.min(5, first + 4); b += 2) {
                        for (int i = b * batch; i < Math.min(all.size(), (b + 1) * batch); i++) {
                            mine.add(i);
                        }
                    }
                    if (mine.isEmpty()) {
                        continue;
                    }
                    Sequential local = TrainingData.model(SEED, false);
                    copyState(global, local);
                    local.fit(subset(all, mine), options(1, batch).shuffle(false));
                    locals.add(local);
                    images.add(mine.size());
                }
                average(locals, images, global);
            }
        }
        for (int i = 0; i < global.getWeights().size(); i++) {
            assertArrayEquals(global.getWeights().get(i).data(), trained.getWeights().get(i).data(), "weight " + i);
        }
        for (String name : global.optimizer().state().keySet()) {
            assertArrayEquals(global.optimizer().state().get(name), trained.optimizer().state().get(name), name);
        }
        assertEquals(global.optimizer().iterations(), trained.optimizer().iterations());
        assertEquals(10, trained.stepsTrained(), "5 batches an epoch, counted as fit counts them");
    }

    private static void copyState(Sequential from, Sequential to) {
        to.setWeights(from.getWeights());
        for (var e : from.optimizer().state().entrySet()) {
            System.arraycopy(e.getValue(), 0, to.optimizer().state().get(e.getKey()), 0, e.getValue().length);
        }
        to.optimizer().setIterations(from.optimizer().iterations());
    }

    private static void average(List<Sequential> locals, List<Integer> images, Sequential into) {
        double total = images.stream().mapToInt(Integer::intValue).sum();
        List<Tensor> weights = new ArrayList<>();
        for (int w = 0; w < into.getWeights().size(); w++) {
            int index = w;
            weights.add(new Tensor(into.getWeights().get(w).shape(),
                    average(locals, images, total, m -> m.getWeights().get(index).data())));
        }
        into.setWeights(weights);
        for (String name : into.optimizer().state().keySet()) {
            float[] mean = average(locals, images, total, m -> m.optimizer().state().get(name));
            System.arraycopy(mean, 0, into.optimizer().state().get(name), 0, mean.length);
        }
        long iterations = 0;
        for (Sequential m : locals) {
            iterations = Math.max(iterations, m.optimizer().iterations());
        }
        into.optimizer().setIterations(iterations);
    }

    private static float[] average(List<Sequential> locals, List<Integer> images, double total,
                                   java.util.function.Function<Sequential, float[]> array) {
        double[] sum = new double[array.apply(locals.get(0)).length];
        for (int m = 0; m < locals.size(); m++) {
            float[] v = array.apply(locals.get(m));
            for (int i = 0; i < sum.length; i++) {
                sum[i] += images.get(m) * (double) v[i];
            }
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (sum[i] / total);
        }
        return mean;
    }

    private static Dataset subset(Dataset all, List<Integer> indexes) {
        int[] order = indexes.stream().mapToInt(Integer::intValue).toArray();
        float[] x = new float[order.length * TrainingData.IMAGE.size()];
        int[] y = new int[order.length];
        all.copyImages(order, 0, order.length, x);
        all.copyLabels(order, 0, order.length, y);
        return Dataset.of(new Tensor(TrainingData.IMAGE.withBatch(order.length), x), y, TrainingData.CLASSES);
    }

    /**
     * A checkpoint written by ModelCheckpoint after epoch 1 resumes on Spark to fit's weights
     * after 3 epochs; a callback's stop request ends training after its epoch, as in fit.
     */
    @Test
    void checkpointsResumeExactlyAndCallbacksStopTraining() throws IOException {
        Sequential fitted = TrainingData.model(SEED, true);
        fitted.fit(data.local(), options(3, BATCH));

        Path checkpoint = dir.resolve("model.purecnn");
        Sequential first = TrainingData.model(SEED, true);
        List<Integer> ended = new ArrayList<>();
        Callback stopAfterFirst = new Callback() {
            @Override
            public void onEpochEnd(int epoch, EpochLog log) {
                ended.add(epoch);
                first.stopTraining();
            }
        };
        History h = new ImageTrainer().partitions(2).fit(first, data.frame(spark, 2), ImageColumn.pixels("image"),
                "label", options(3, BATCH).callbacks(new ModelCheckpoint(checkpoint), stopAfterFirst));
        assertEquals(1, h.epochs().size());
        assertEquals(List.of(1), ended);

        Sequential resumed = Sequential.load(checkpoint);
        assertEquals(1, resumed.epochsTrained());
        new ImageTrainer().partitions(3).fit(resumed, data.frame(spark, 2), ImageColumn.pixels("image"), "label",
                options(2, BATCH));
        TrainingData.assertSameModel(fitted, resumed);
    }

    private static void assertSameHistory(History expected, History actual) {
        assertEquals(expected.epochs().size(), actual.epochs().size());
        assertArrayEquals(expected.get("loss"), actual.get("loss"));
        assertArrayEquals(expected.get("accuracy"), actual.get("accuracy"));
        assertFalse(actual.last().hasValidation());
        assertTrue(actual.last().seconds() > 0);
    }
}
