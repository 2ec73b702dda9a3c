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
import io.github.purecnn.regularizers.Regularizer;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shards computed apart and applied in any arrival order train to fit's weights, bit for bit. */
class ShardedTrainingTest {

    private static Sequential model() {
        Sequential m = new Sequential(11, Shape.of(10, 10, 1),
                new Conv2D(4, 3).activation(Activation.RELU), new MaxPooling2D(2), new Flatten(),
                new Dropout(0.3), new Dense(3).activation(Activation.SOFTMAX));
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        return m;
    }

    private static Dataset data() {
        SplittableRandom r = new SplittableRandom(4);
        int n = 90;
        float[] x = new float[n * 100];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
            for (int p = 0; p < 100; p++) {
                x[i * 100 + p] = (float) (r.nextDouble() * 0.5 + (p % 10 / 4 == y[i] ? 0.5 : 0));
            }
        }
        return Dataset.of(new Tensor(Shape.of(n, 10, 10, 1), x), y, 3);
    }

    @Test
    void shardsComputedApartGiveFitsWeightsAndLosses() {
        Dataset data = data();
        Sequential fitted = model();
        History h = fitted.fit(data, new FitOptions().epochs(2).batchSize(40).verbose(0));   // shards 16, 16, 8; last batch 10

        Sequential coordinated = model();
        Sequential replica = model();
        List<Double> losses = new ArrayList<>();
        try (ShardedTraining training = new ShardedTraining(coordinated, data.size(), 40, true);
             ShardedTraining.Worker worker = new ShardedTraining.Worker(replica)) {
            for (int epoch = 0; epoch < 2; epoch++) {
                int[] order = training.nextEpoch();
                double lossSum = 0;
                for (int b = 0; b < training.stepsPerEpoch(); b++) {
                    ShardedTraining.Step step = training.nextStep(b);
                    replica.setWeights(coordinated.getWeights());
                    List<ShardedTraining.ShardResult> results = new ArrayList<>();
                    for (int s = step.shards() - 1; s >= 0; s--) {
                        results.add(s % 2 == 0 ? worker.compute(data, order, step, s)
                                : worker.compute(shardImages(data, order, step, s), step, s));
                    }
                    Collections.shuffle(results, new java.util.Random(b));
                    lossSum += training.apply(step, results).lossSum();
                }
                losses.add(lossSum / data.size());
            }
        }
        for (int i = 0; i < fitted.getWeights().size(); i++) {
            assertArrayEquals(fitted.getWeights().get(i).data(), coordinated.getWeights().get(i).data(), "weights " + i);
        }
        assertEquals(h.get("loss")[0], losses.get(0), 0.0);
        assertEquals(h.get("loss")[1], losses.get(1), 0.0);
        assertEquals(fitted.stepsTrained(), coordinated.stepsTrained());
        assertEquals(fitted.epochsTrained(), coordinated.epochsTrained());
    }

    /** Only the shard's own images, in the batch's order. */
    private static Dataset shardImages(Dataset data, int[] order, ShardedTraining.Step step, int shard) {
        int first = step.batchFrom() + 16 * shard;
        int n = Math.min(16, step.batchSize() - 16 * shard);
        float[] x = new float[n * 100];
        int[] idx = new int[n];
        int[] y = new int[n];
        System.arraycopy(order, first, idx, 0, n);
        data.copyImages(idx, 0, n, x);
        data.copyLabels(idx, 0, n, y);
        return Dataset.of(new Tensor(Shape.of(n, 10, 10, 1), x), y, 3);
    }

    @Test
    void aStopRequestIsSeenUntilTheNextTrainingBegins() {
        Sequential m = model();
        m.stopTraining();                                   // left over from an earlier fit's callback
        try (ShardedTraining training = new ShardedTraining(m, 90, 40, true)) {
            assertFalse(training.stopRequested());
            m.stopTraining();
            assertTrue(training.stopRequested());
        }
    }

    @Test
    void missingOrRepeatedShardsChangeNothing() {
        Dataset data = data();
        Sequential m = model();
        List<Tensor> before = m.getWeights();
        try (ShardedTraining training = new ShardedTraining(m, data.size(), 40, false);
             ShardedTraining.Worker worker = new ShardedTraining.Worker(model())) {
            int[] order = training.nextEpoch();
            ShardedTraining.Step step = training.nextStep(0);
            ShardedTraining.ShardResult s0 = worker.compute(data, order, step, 0);
            ShardedTraining.ShardResult s1 = worker.compute(data, order, step, 1);
            assertThrows(IllegalArgumentException.class, () -> training.apply(step, List.of(s0, s1)), "shard 2 missing");
            assertThrows(IllegalArgumentException.class, () -> training.apply(step, List.of(s0, s1, s1)), "shard 1 twice");
            assertThrows(IllegalArgumentException.class, () -> worker.compute(data, order, step, 3), "no shard 3");
        }
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i).data(), m.getWeights().get(i).data());
        }
    }

    /**
     * The same with float targets of shape (2,), sample weights, weight penalties, a metric and a
     * clipping optimizer: shards computed apart (some given only their own samples and weights)
     * train to fit's weights, losses and metrics bit for bit.
     */
    @Test
    void weightedRegressionShardsGiveFitsWeightsAndMetrics() {
        SplittableRandom r = new SplittableRandom(6);
        int n = 70;
        float[] x = new float[n * 100];
        float[] y = new float[n * 2];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 100; p++) {
                x[i * 100 + p] = (float) r.nextDouble();
            }
            y[2 * i] = x[i * 100] + x[i * 100 + 55];
            y[2 * i + 1] = x[i * 100 + 99] - x[i * 100 + 3];
            w[i] = (float) (0.25 + r.nextDouble());
        }
        Dataset data = Dataset.of(new Tensor(Shape.of(n, 10, 10, 1), x),
                io.github.purecnn.data.Targets.values(new Tensor(Shape.of(n, 2), y)));
        java.util.function.Supplier<Sequential> make = () -> {
            Sequential m = new Sequential(12, Shape.of(10, 10, 1),
                    new Conv2D(4, 3).activation(Activation.RELU).kernelRegularizer(Regularizer.l2(0.01)),
                    new MaxPooling2D(2), new Flatten(), new Dropout(0.2),
                    new Dense(2).biasRegularizer(Regularizer.l1(0.02)));
            m.compile(new Adam(0.01).clipnorm(0.5), Loss.huber(), Metric.MAE);
            return m;
        };
        Sequential fitted = make.get();
        History h = fitted.fit(data, new FitOptions().epochs(2).batchSize(40).verbose(0).sampleWeight(w));

        Sequential coordinated = make.get();
        Sequential replica = make.get();
        try (ShardedTraining training = new ShardedTraining(coordinated, data.size(), 40, true);
             ShardedTraining.Worker worker = new ShardedTraining.Worker(replica)) {
            assertEquals(List.of("mae"), worker.metricNames(data));
            for (int epoch = 0; epoch < 2; epoch++) {
                int[] order = training.nextEpoch();
                double lossSum = 0;
                double weightSum = 0;
                double maeSum = 0;
                for (int b = 0; b < training.stepsPerEpoch(); b++) {
                    ShardedTraining.Step step = training.nextStep(b);
                    replica.setWeights(coordinated.getWeights());
                    List<ShardedTraining.ShardResult> results = new ArrayList<>();
                    for (int s = 0; s < step.shards(); s++) {
                        results.add(s % 2 == 0 ? worker.compute(data, w, order, step, s)
                                : ownSamples(worker, data, w, order, step, s));
                    }
                    ShardedTraining.StepResult result = training.apply(step, results);
                    lossSum += result.lossSum();
                    weightSum += result.weightSum();
                    maeSum += result.metricSums()[0];
                }
                assertEquals(h.get("loss")[epoch], lossSum / data.size(), 0.0, "loss of epoch " + epoch);
                assertEquals(h.get("mae")[epoch], maeSum / weightSum, 0.0, "mae of epoch " + epoch);
            }
        }
        for (int i = 0; i < fitted.getWeights().size(); i++) {
            assertArrayEquals(fitted.getWeights().get(i).data(), coordinated.getWeights().get(i).data(), "weights " + i);
        }
    }

    /** A shard given only its own samples and their weights, in the batch's order. */
    private static ShardedTraining.ShardResult ownSamples(ShardedTraining.Worker worker, Dataset data, float[] w,
                                                         int[] order, ShardedTraining.Step step, int shard) {
        int first = step.batchFrom() + 16 * shard;
        int n = Math.min(16, step.batchSize() - 16 * shard);
        int[] idx = java.util.Arrays.copyOfRange(order, first, first + n);
        float[] x = new float[n * 100];
        float[] y = new float[n * 2];
        float[] sw = new float[n];
        data.copyImages(idx, 0, n, x);
        data.copyTargets(idx, 0, n, y);
        for (int k = 0; k < n; k++) {
            sw[k] = w[idx[k]];
        }
        Dataset own = Dataset.of(new Tensor(Shape.of(n, 10, 10, 1), x),
                io.github.purecnn.data.Targets.values(new Tensor(Shape.of(n, 2), y)));
        return worker.compute(own, sw, step, shard);
    }
}
