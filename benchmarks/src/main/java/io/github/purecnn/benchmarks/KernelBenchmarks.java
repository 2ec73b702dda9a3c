package io.github.purecnn.benchmarks;

import io.github.purecnn.kernels.ConvReluPool;
import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.layers.Padding;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.kernels.Window2D;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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

/**
 * Each kernel at the seed model's shapes (per image, NHWC): conv1 28x28x1 -> 26x26x6 (3x3 valid),
 * conv2 13x13x6 -> 11x11x16 (3x3 valid), dense1 576 -> 120, dense2 120 -> 84, dense3 84 -> 10,
 * over a shard of n images. conv1's input gradient is never needed, so it is not measured.
 * {@code conv1Pool*} time conv1 with its ReLU and pool1 (2x2 average, stride 2) as the model runs
 * them: the implementation's one-pass {@link ConvReluPool} where it has one, else the three
 * kernels apart; their FLOPs are counted as conv1's.
 *
 * <p>FLOPs per operation (a multiply-add counts 2; bias terms are not counted): every conv
 * kernel 2 * n * OH * OW * K * R * S * C, every dense kernel 2 * n * I * O. {@link Main} turns
 * the measured times into GFLOP/s with {@link #flops}.
 *
 * <p>Inputs come from a fixed seed; {@link #setUp} runs every kernel of the chosen implementation
 * once and fails the run if any result differs from {@link ReferenceKernels}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx1g"})
public class KernelBenchmarks {
    static final Window2D CONV1 = Window2D.of(28, 28, 1, 3, 3, 1, 1, Padding.VALID);
    static final int K1 = 6;
    static final Window2D CONV2 = Window2D.of(13, 13, 6, 3, 3, 1, 1, Padding.VALID);
    static final int K2 = 16;
    static final int[][] DENSE = {{576, 120}, {120, 84}, {84, 10}};

    /** Same yardstick as the library's tests: error relative to the sum of |terms|. */
    private static final double TOLERANCE = 1e-5;

    @Param({"reference", "java", "vector"})
    public String impl;

    @Param({"16", "64"})
    public int n;

    private Kernels k;
    private Conv c1, c2;
    private Dense d1, d2, d3;
    private Block b1;

    /** The arrays of one conv layer: inputs, parameters, and the outputs each kernel writes. */
    static final class Conv {
        final Window2D g;
        final int filters;
        final float[] in, kernel, bias, dOut, out, dIn, dKernel, dBias;

        Conv(SplittableRandom rnd, int n, Window2D g, int filters) {
            this.g = g;
            this.filters = filters;
            int outLen = n * g.outPixels() * filters, kLen = g.kH() * g.kW() * g.channels() * filters;
            in = random(rnd, n * g.inSize());
            kernel = random(rnd, kLen);
            bias = random(rnd, filters);
            dOut = random(rnd, outLen);
            out = new float[outLen];
            dIn = new float[n * g.inSize()];
            dKernel = new float[kLen];
            dBias = new float[filters];
        }
    }

    static final class Dense {
        final int inSize, outSize;
        final float[] in, kernel, bias, dOut, out, dIn, dKernel, dBias;

        Dense(SplittableRandom rnd, int n, int inSize, int outSize) {
            this.inSize = inSize;
            this.outSize = outSize;
            in = random(rnd, n * inSize);
            kernel = random(rnd, inSize * outSize);
            bias = random(rnd, outSize);
            dOut = random(rnd, n * outSize);
            out = new float[n * outSize];
            dIn = new float[n * inSize];
            dKernel = new float[inSize * outSize];
            dBias = new float[outSize];
        }
    }

    /**
     * conv1, its ReLU and pool1 as one block: the one-pass {@link ConvReluPool} of the kernels, or
     * null when they have none (then the three kernels run apart, through the conv's arrays).
     */
    static final class Block {
        static final Window2D POOL1 = Window2D.of(CONV1.outH(), CONV1.outW(), K1, 2, 2, 2, 2, Padding.SAME);
        final Conv conv;
        final ConvReluPool pass;
        final float[] pooled, dPooled, saved;

        Block(SplittableRandom rnd, int n, Conv conv, Kernels k) {
            this.conv = conv;
            this.pass = k.convReluPool(conv.g, conv.filters);
            pooled = new float[n * POOL1.outPixels() * K1];
            dPooled = random(rnd, pooled.length);
            saved = new float[pass == null ? 0 : n * pass.savedSize()];
        }

        void forward(Kernels k, int n) {
            if (pass != null) {
                pass.forward(pooled, saved, conv.in, conv.kernel, conv.bias, n);
            } else {
                k.conv2dForward(conv.out, conv.in, conv.kernel, conv.bias, n, conv.g, conv.filters);
                k.reluForward(conv.out, conv.out.length);
                k.avgPoolForward(pooled, conv.out, n, POOL1);
            }
        }

        /** After {@link #forward}, as a training step runs them. */
        void backwardParams(Kernels k, int n) {
            if (pass != null) {
                pass.backwardParams(conv.dKernel, conv.dBias, dPooled, saved, conv.in, n);
            } else {
                k.avgPoolBackward(conv.dOut, dPooled, n, POOL1);
                k.reluBackward(conv.dOut, conv.out, conv.out.length);
                k.conv2dBackwardParams(conv.dKernel, conv.dBias, conv.dOut, conv.in, n, conv.g, conv.filters);
            }
        }
    }

    @Setup
    public void setUp() {
        k = switch (impl) {
            case "reference" -> new ReferenceKernels();
            case "java" -> new JavaKernels();
            case "vector" -> KernelsProvider.vector();
            default -> throw new IllegalArgumentException("unknown implementation " + impl);
        };
        SplittableRandom rnd = new SplittableRandom(42);
        c1 = new Conv(rnd, n, CONV1, K1);
        c2 = new Conv(rnd, n, CONV2, K2);
        d1 = new Dense(rnd, n, DENSE[0][0], DENSE[0][1]);
        d2 = new Dense(rnd, n, DENSE[1][0], DENSE[1][1]);
        d3 = new Dense(rnd, n, DENSE[2][0], DENSE[2][1]);
        Check.against(new ReferenceKernels(), k, n, c1, c2, d1, d2, d3, TOLERANCE);
        // Its own conv arrays: the block's backward overwrites a conv's dOut with the ReLU's gradient.
        b1 = new Block(rnd, n, new Conv(rnd, n, CONV1, K1), k);
        Check.block(new ReferenceKernels(), k, n, b1, TOLERANCE);
    }

    /** FLOPs of one call of the named benchmark method at shard size n (see the class comment). */
    public static double flops(String method, int n) {
        if (method.startsWith("conv1")) {
            return 2.0 * n * CONV1.outPixels() * K1 * CONV1.kH() * CONV1.kW() * CONV1.channels();
        }
        if (method.startsWith("conv2")) {
            return 2.0 * n * CONV2.outPixels() * K2 * CONV2.kH() * CONV2.kW() * CONV2.channels();
        }
        int layer = method.charAt("dense".length()) - '1';
        return 2.0 * n * DENSE[layer][0] * DENSE[layer][1];
    }

    static float[] random(SplittableRandom rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }

    // Each method returns an output array so that JMH consumes it.

    @Benchmark
    public float[] conv1Forward() {
        k.conv2dForward(c1.out, c1.in, c1.kernel, c1.bias, n, c1.g, c1.filters);
        return c1.out;
    }

    @Benchmark
    public float[] conv1BackwardParams() {
        k.conv2dBackwardParams(c1.dKernel, c1.dBias, c1.dOut, c1.in, n, c1.g, c1.filters);
        return c1.dKernel;
    }

    @Benchmark
    public float[] conv1PoolForward() {
        b1.forward(k, n);
        return b1.pooled;
    }

    @Benchmark
    public float[] conv1PoolBackwardParams() {
        b1.backwardParams(k, n);
        return b1.conv.dKernel;
    }

    @Benchmark
    public float[] conv2Forward() {
        k.conv2dForward(c2.out, c2.in, c2.kernel, c2.bias, n, c2.g, c2.filters);
        return c2.out;
    }

    @Benchmark
    public float[] conv2BackwardInput() {
        k.conv2dBackwardInput(c2.dIn, c2.dOut, c2.kernel, n, c2.g, c2.filters);
        return c2.dIn;
    }

    @Benchmark
    public float[] conv2BackwardParams() {
        k.conv2dBackwardParams(c2.dKernel, c2.dBias, c2.dOut, c2.in, n, c2.g, c2.filters);
        return c2.dKernel;
    }

    @Benchmark
    public float[] dense1Forward() {
        k.denseForward(d1.out, d1.in, d1.kernel, d1.bias, n, d1.inSize, d1.outSize);
        return d1.out;
    }

    @Benchmark
    public float[] dense1BackwardInput() {
        k.denseBackwardInput(d1.dIn, d1.dOut, d1.kernel, n, d1.inSize, d1.outSize);
        return d1.dIn;
    }

    @Benchmark
    public float[] dense1BackwardParams() {
        k.denseBackwardParams(d1.dKernel, d1.dBias, d1.dOut, d1.in, n, d1.inSize, d1.outSize);
        return d1.dKernel;
    }

    @Benchmark
    public float[] dense2Forward() {
        k.denseForward(d2.out, d2.in, d2.kernel, d2.bias, n, d2.inSize, d2.outSize);
        return d2.out;
    }

    @Benchmark
    public float[] dense2BackwardInput() {
        k.denseBackwardInput(d2.dIn, d2.dOut, d2.kernel, n, d2.inSize, d2.outSize);
        return d2.dIn;
    }

    @Benchmark
    public float[] dense2BackwardParams() {
        k.denseBackwardParams(d2.dKernel, d2.dBias, d2.dOut, d2.in, n, d2.inSize, d2.outSize);
        return d2.dKernel;
    }

    @Benchmark
    public float[] dense3Forward() {
        k.denseForward(d3.out, d3.in, d3.kernel, d3.bias, n, d3.inSize, d3.outSize);
        return d3.out;
    }

    @Benchmark
    public float[] dense3BackwardInput() {
        k.denseBackwardInput(d3.dIn, d3.dOut, d3.kernel, n, d3.inSize, d3.outSize);
        return d3.dIn;
    }

    @Benchmark
    public float[] dense3BackwardParams() {
        k.denseBackwardParams(d3.dKernel, d3.dBias, d3.dOut, d3.in, n, d3.inSize, d3.outSize);
        return d3.dKernel;
    }
}
