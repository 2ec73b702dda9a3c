package io.github.purecnn.model;

import io.github.purecnn.benchmarks.plans.KernelPaths;
import io.github.purecnn.benchmarks.suite.SuiteModel;
import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
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
 * One full training step of a suite model ({@link SuiteModel}, {@link BenchModels}) on a batch of its size: forward,
 * loss, backward, the reduction of the shards' gradients and Adam, through {@link BatchEngine} as
 * {@code fit} drives it. Successive calls walk through 64 batches of random images. Run it with
 * {@code -prof gc}: a step allocates nothing, so {@code gc.alloc.rate.norm} should show only
 * JMH's own few bytes.
 *
 * <p>{@link #setUp} first checks the path: one step must give the reference kernels' weights bit
 * for bit ({@link BenchModels#checkOneStep}), or the run fails instead of timing a wrong kernel.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class TrainingStepBenchmark {
    private static final int BATCHES = 64;

    @Param({"lenet", "convnet", "strided", "cifar"})
    public String model;

    @Param({"vector"})
    public String path;

    @Param({"1", "2"})
    public int threads;

    private Dataset train;
    private int[] order;
    private int batch;
    private int from;
    private BatchEngine engine;
    private Objective objective;
    private Optimizer optimizer;

    @Setup
    public void setUp() {
        Kernels kernels = KernelPaths.named(path);
        SuiteModel suiteModel = SuiteModel.of(model);
        BenchModels.checkOneStep(suiteModel, kernels, threads);
        Sequential m = BenchModels.build(suiteModel, kernels);
        batch = suiteModel.batchSize();
        train = BenchModels.data(m, BATCHES * batch);
        order = BenchModels.identity(train.size());
        objective = BenchModels.objective(m, train);
        optimizer = m.optimizer();
        engine = BenchModels.engine(m, batch, kernels, threads);
    }

    @Benchmark
    public int step() {
        if (from + batch > train.size()) {
            from = 0;
        }
        engine.computeGradients(objective, order, from, batch, from);
        engine.applyUpdate(optimizer);
        from += batch;
        return from;
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }
}
