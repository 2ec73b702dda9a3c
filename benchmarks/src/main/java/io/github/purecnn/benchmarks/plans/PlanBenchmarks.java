package io.github.purecnn.benchmarks.plans;

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

import java.util.concurrent.TimeUnit;

/**
 * Every pass of every plan the suite's layers run ({@link SuiteLayer}), over a shard of {@code n}
 * images, on a kernel path: {@code op} is {@code layer/pass} (forward, input, params for
 * convolutions and dense layers; forward, backward for pooling). Each is checked against the
 * reference plans bit for bit before it is timed ({@link PlanPass#check}). The jar's main class
 * prints GFLOP/s beside JMH's table ({@link PlanPass#flops}).
 *
 * <pre>{@code java --add-modules jdk.incubator.vector -jar benchmarks/target/benchmarks.jar PlanBenchmarks \
 *     -p path=vector -p 'op=convnet.conv2/forward,convnet.conv2/input' -f 1 -wi 3 -i 5 -w 1s -r 1s}</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class PlanBenchmarks {
    @Param({
            "seed.conv1+pool1/forward", "seed.conv1+pool1/params", "seed.conv1/forward", "seed.conv1/params",
            "seed.pool1/forward", "seed.pool1/backward", "seed.conv2/forward", "seed.conv2/input",
            "seed.conv2/params", "seed.pool2/forward", "seed.pool2/backward", "seed.dense1/forward",
            "seed.dense1/input", "seed.dense1/params", "seed.dense2/forward", "seed.dense2/input",
            "seed.dense2/params", "seed.dense3/forward", "seed.dense3/input", "seed.dense3/params",
            "convnet.conv1+pool1/forward", "convnet.conv1+pool1/params", "convnet.conv1/forward",
            "convnet.conv1/params", "convnet.pool1/forward", "convnet.pool1/backward",
            "convnet.conv2/forward", "convnet.conv2/input", "convnet.conv2/params", "convnet.pool2/forward",
            "convnet.pool2/backward", "convnet.dense/forward", "convnet.dense/input", "convnet.dense/params",
            "strided.conv1/forward", "strided.conv1/params", "strided.conv2/forward", "strided.conv2/input",
            "strided.conv2/params", "strided.dense/forward", "strided.dense/input", "strided.dense/params",
            "cifar.conv1/forward", "cifar.conv1/params", "cifar.conv2/forward", "cifar.conv2/input",
            "cifar.conv2/params", "cifar.pool1/forward", "cifar.pool1/backward", "cifar.conv3/forward",
            "cifar.conv3/input", "cifar.conv3/params", "cifar.conv4/forward", "cifar.conv4/input",
            "cifar.conv4/params", "cifar.pool2/forward", "cifar.pool2/backward", "cifar.dense1/forward",
            "cifar.dense1/input", "cifar.dense1/params", "cifar.dense2/forward", "cifar.dense2/input",
            "cifar.dense2/params"
    })
    public String op;

    @Param({"vector"})
    public String path;

    @Param({"16"})
    public int n;

    private PlanPass pass;

    @Setup
    public void setUp() {
        pass = PlanPass.of(op, KernelPaths.named(path), n);
        pass.check();
    }

    @Benchmark
    public void run() {
        pass.run();
    }
}
