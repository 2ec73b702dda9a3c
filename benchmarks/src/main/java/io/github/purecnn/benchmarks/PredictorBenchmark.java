package io.github.purecnn.benchmarks;

import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Predictor;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Serving the seed LeNet: the latency of one call ({@code images} = 1: one request, one image;
 * 64: a small batch) through a {@link Predictor} made once, against {@link Sequential#predict},
 * which plans, packs the weights and allocates its buffers on every call (and for more than 16
 * images starts and stops its worker threads). Both routes share one model (and one predictor)
 * between all JMH threads, as a server's request threads would: run with {@code -t 1} and
 * {@code -t 2}. Sample mode gives the mean and the percentiles (p50, p99) of a call; the
 * throughput is threads / mean.
 *
 * <p>{@link #setUp} checks that both routes give the same bits on the images timed.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
public class PredictorBenchmark {

    @Param({"1", "64"})
    public int images;

    private Sequential model;
    private Predictor predictor;
    private Tensor input;

    @Setup
    public void setUp() {
        model = LeNet.create(42);
        predictor = model.predictor();
        Shape shape = model.inputShape();
        SplittableRandom random = new SplittableRandom(7);
        float[] x = new float[images * shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        input = images == 1 ? new Tensor(shape, x) : new Tensor(shape.withBatch(images), x);
        if (!Arrays.equals(model.predict(input).data(), predictor.predict(input).data())) {
            throw new IllegalStateException("the predictor and Sequential.predict disagree on " + images + " images");
        }
    }

    /** A call through the predictor: one lane of buffers per concurrent call, kept; nothing planned or started. */
    @Benchmark
    public Tensor predictor() {
        return predictor.predict(input);
    }

    /** The same call through Sequential.predict, as before the predictor. */
    @Benchmark
    public Tensor sequentialPredict() {
        return model.predict(input);
    }
}
