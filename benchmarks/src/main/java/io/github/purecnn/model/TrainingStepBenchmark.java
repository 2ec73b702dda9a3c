package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Optimizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One full training step of the seed model ({@link SeedModel}) on a batch of 64 MNIST images:
 * forward, loss, backward, the reduction of the shards' gradients and Adam, through
 * {@link BatchEngine} as {@code fit} drives it. Successive calls walk through the training set in
 * order, one batch each, so the weights train as in a real epoch. An epoch is 938 steps:
 * {@code s/epoch = ms/step * 0.938}.
 *
 * <p>{@link #setUp} first checks the implementation: the loss after one Adam step must equal the
 * reference kernels' (computed in a child JVM, see {@link SeedModel#referenceFirstStepLoss}) within
 * 1e-4 (relative), or the run fails instead of timing a wrong kernel.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class TrainingStepBenchmark {
    @Param({"java", "vector"})
    public String impl;

    @Param({"1", "2"})
    public int threads;

    private Dataset train;
    private int[] order;
    private int from;
    private BatchEngine engine;
    private Loss loss;
    private Optimizer optimizer;

    @Setup
    public void setUp() {
        train = SeedModel.mnist().train();
        Kernels kernels = SeedModel.kernels(impl);
        double expected = SeedModel.referenceFirstStepLoss();
        double actual = SeedModel.firstStepLoss(kernels, train);
        if (!Double.isFinite(actual) || Math.abs(actual - expected) > 1e-4 * Math.abs(expected)) {
            throw new IllegalStateException(impl + ": loss after one step " + actual + ", reference " + expected);
        }
        Sequential model = SeedModel.build(kernels);
        loss = model.loss();
        optimizer = model.optimizer();
        order = SeedModel.identity(train.size());
        engine = new BatchEngine(model.layers(), SeedModel.BATCH, kernels, threads);
    }

    @Benchmark
    public double step() {
        if (from + SeedModel.BATCH > train.size()) {
            from = 0;
        }
        engine.computeGradients(train, order, from, SeedModel.BATCH, loss, from);
        engine.applyUpdate(optimizer);
        from += SeedModel.BATCH;
        return engine.stepLossSum;
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }
}
