package io.github.purecnn.model;

import io.github.purecnn.benchmarks.plans.KernelPaths;
import io.github.purecnn.benchmarks.suite.SuiteModel;
import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.tensor.Tensor;
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
 * Inference over 10,000 images with a suite model ({@link SuiteModel}; random images of its input
 * shape): {@code predict} as a user calls it (it builds an engine and a worker pool per call and
 * returns a new tensor), and the engine's forward pass alone over the same images in batches of
 * 256 (what {@code predict} runs inside).
 *
 * <p>{@link #setUp} checks that the predictions are probability rows and that the two routes agree.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class InferenceBenchmark {
    private static final int ENGINE_BATCH = 256;

    @Param({"lenet"})
    public String model;

    @Param({"java", "vector"})
    public String path;

    @Param({"1", "2"})
    public int threads;

    private Dataset test;
    private Sequential net;
    private BatchEngine engine;
    private float[] out;

    @Setup
    public void setUp() {
        Kernels kernels = KernelPaths.named(path);
        net = BenchModels.build(SuiteModel.of(model), kernels).threads(threads);
        test = BenchModels.data(net, 10_000);
        engine = new BatchEngine(net.layers(), ENGINE_BATCH, kernels, threads, null);
        out = new float[test.size() * 10];
        float[] predicted = net.predict(test).data();
        engineForward();
        for (int row = 0; row < test.size(); row++) {
            double sum = 0;
            for (int j = 0; j < 10; j++) {
                sum += predicted[row * 10 + j];
                if (predicted[row * 10 + j] != out[row * 10 + j]) {
                    throw new IllegalStateException(path + ": predict and the engine disagree at image " + row);
                }
            }
            if (Math.abs(sum - 1) > 1e-4) {
                throw new IllegalStateException(path + ": prediction row " + row + " sums to " + sum);
            }
        }
    }

    @Benchmark
    public Tensor predict() {
        return net.predict(test);
    }

    @Benchmark
    public float[] engineForward() {
        for (int from = 0; from < test.size(); from += ENGINE_BATCH) {
            engine.forward(test, null, null, from, Math.min(ENGINE_BATCH, test.size() - from), out);
        }
        return out;
    }

    @TearDown
    public void tearDown() {
        engine.close();
    }
}
