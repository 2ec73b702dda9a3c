package io.github.purecnn.benchmarks;

import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;
import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.pool.PoolPlan;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times the plans a kernel path chooses for the suite models' layers, one pass at a time on a
 * shard of 16 images: forward, input gradient and kernel gradient of each convolution and dense
 * layer, forward and backward of each pooling. Prints each plan's name, the minimum over rounds
 * of the time per call, both wall-clock and CPU time of the calling thread (on a machine other
 * builds share, the CPU time is the steadier figure), and GFLOP/s (two per multiply-add of the
 * pass, taken from the wall-clock minimum).
 *
 * <pre>
 * java [--add-modules jdk.incubator.vector] -cp benchmarks/target/benchmarks.jar \
 *     io.github.purecnn.benchmarks.JavaPlanTimes [java|vector|reference] [name regex] [rounds]
 * </pre>
 *
 * The layers run in the order of the list below, in one JVM, as a model's layers share the JIT's
 * profile of the loops they have in common.
 */
public final class JavaPlanTimes {
    private static final int SHARD = 16;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** A convolution or dense layer of the suite: its name, geometry and filters. */
    private record Conv(String name, Window2D g, int filters) {
    }

    /** A pooling layer of the suite. */
    private record Pool(String name, Window2D g, boolean max) {
    }

    private static final List<Conv> CONVS = List.of(
            new Conv("seed conv1", Window2D.of(28, 28, 1, 3, 3, 1, 1, false), 6),
            new Conv("seed conv2", Window2D.of(13, 13, 6, 3, 3, 1, 1, false), 16),
            new Conv("seed dense1", Window2D.dense(576), 120),
            new Conv("seed dense2", Window2D.dense(120), 84),
            new Conv("seed dense3", Window2D.dense(84), 10),
            new Conv("convnet conv1", Window2D.of(28, 28, 1, 3, 3, 1, 1, false), 32),
            new Conv("convnet conv2", Window2D.of(13, 13, 32, 3, 3, 1, 1, false), 64),
            new Conv("convnet dense", Window2D.dense(1600), 10),
            new Conv("strided conv1", Window2D.of(28, 28, 1, 3, 3, 2, 2, true), 16),
            new Conv("strided conv2", Window2D.of(14, 14, 16, 3, 3, 2, 2, true), 32),
            new Conv("strided dense", Window2D.dense(1568), 10),
            new Conv("cifar conv1", Window2D.of(32, 32, 3, 3, 3, 1, 1, true), 32),
            new Conv("cifar conv2", Window2D.of(32, 32, 32, 3, 3, 1, 1, false), 32),
            new Conv("cifar conv3", Window2D.of(15, 15, 32, 3, 3, 1, 1, true), 64),
            new Conv("cifar conv4", Window2D.of(15, 15, 64, 3, 3, 1, 1, false), 64),
            new Conv("cifar dense1", Window2D.dense(2304), 512),
            new Conv("cifar dense2", Window2D.dense(512), 10));

    private static final List<Pool> POOLS = List.of(
            new Pool("seed pool1", Window2D.of(26, 26, 6, 2, 2, 2, 2, true), false),
            new Pool("seed pool2", Window2D.of(11, 11, 16, 2, 2, 2, 2, true), false),
            new Pool("convnet pool1", Window2D.of(26, 26, 32, 2, 2, 2, 2, false), true),
            new Pool("convnet pool2", Window2D.of(11, 11, 64, 2, 2, 2, 2, false), true),
            new Pool("cifar pool1", Window2D.of(30, 30, 32, 2, 2, 2, 2, false), true),
            new Pool("cifar pool2", Window2D.of(13, 13, 64, 2, 2, 2, 2, false), true));

    private JavaPlanTimes() {
    }

    public static void main(String[] args) {
        String pathName = args.length > 0 ? args[0] : "java";
        String filter = args.length > 1 ? args[1] : ".*";
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Kernels path = switch (pathName) {
            case "java" -> new JavaKernels();
            case "reference" -> new ReferenceKernels();
            case "vector" -> KernelsProvider.vector();
            default -> throw new IllegalArgumentException("path: java, vector or reference, not " + pathName);
        };
        System.out.printf("%s path, shards of %d, minima over %d rounds; us per call (wall / CPU), GFLOP/s%n",
                path.name(), SHARD, rounds);
        for (Conv c : CONVS) {
            if (c.name().matches(filter)) {
                timeConv(path.conv(c.g(), c.filters()), c.name(), rounds);
            }
        }
        for (Pool p : POOLS) {
            if (p.name().matches(filter)) {
                timePool(p.max() ? path.maxPool(p.g()) : path.averagePool(p.g()), p.name(), rounds);
            }
        }
    }

    /** Minimum wall-clock and CPU nanoseconds per call of one pass, over rounds of calls. */
    private static final class Minimum {
        long wall = Long.MAX_VALUE;
        long cpu = Long.MAX_VALUE;

        void add(long wallNanos, long cpuNanos, int calls) {
            wall = Math.min(wall, wallNanos / calls);
            cpu = Math.min(cpu, cpuNanos / calls);
        }

        String format(double flops) {
            return String.format("%8.1f / %8.1f us %6.1f", wall / 1e3, cpu / 1e3, flops / wall);
        }
    }

    private static void timeConv(ConvPlan plan, String name, int rounds) {
        Window2D g = plan.geometry();
        int n = SHARD, K = plan.filters();
        SplittableRandom rnd = new SplittableRandom(1);
        float[] in = random(rnd, n * g.inSize());
        float[] kernel = random(rnd, g.taps() * K);
        float[] bias = random(rnd, K);
        float[] out = new float[n * g.outPixels() * K];
        float[] dOut = random(rnd, out.length);
        float[] dIn = new float[in.length];
        float[] dKernel = new float[kernel.length];
        float[] dBias = new float[K];
        float[] packed = new float[plan.packedSize()];
        plan.pack(packed, kernel);
        Scratch scratch = new Scratch(plan, n);
        double flops = 2.0 * n * g.outPixels() * g.taps() * K;
        int calls = (int) Math.max(1, 4e7 / flops);
        Minimum forward = new Minimum(), input = new Minimum(), params = new Minimum();
        for (int round = 0; round < rounds; round++) {
            long w0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                plan.forward(out, in, kernel, packed, bias, true, n, scratch);
            }
            long w1 = System.nanoTime(), c1 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                plan.backwardInput(dIn, dOut, kernel, packed, n, scratch);
            }
            long w2 = System.nanoTime(), c2 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                plan.backwardParams(dKernel, dBias, dOut, in, n, scratch);
            }
            long w3 = System.nanoTime(), c3 = CPU.getCurrentThreadCpuTime();
            forward.add(w1 - w0, c1 - c0, calls);
            input.add(w2 - w1, c2 - c1, calls);
            params.add(w3 - w2, c3 - c2, calls);
        }
        System.out.printf("%-14s %-46s %-34s forward %s | input gradient %s | kernel gradient %s%n", name,
                g.describe() + " x" + K, plan.name(), forward.format(flops), input.format(flops), params.format(flops));
    }

    private static void timePool(PoolPlan plan, String name, int rounds) {
        Window2D g = plan.geometry();
        int n = SHARD;
        SplittableRandom rnd = new SplittableRandom(2);
        float[] in = random(rnd, n * g.inSize());
        for (int i = 0; i < in.length; i++) {
            in[i] = Math.max(in[i], 0f);                 // as after a ReLU: half zeros, ties in the max
        }
        float[] out = new float[n * g.outPixels() * g.channels()];
        float[] dOut = random(rnd, out.length);
        float[] dIn = new float[in.length];
        int[] argmax = new int[out.length];
        int calls = (int) Math.max(1, 2e6 / in.length);
        Minimum forward = new Minimum(), backward = new Minimum();
        for (int round = 0; round < rounds; round++) {
            long w0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                plan.forward(out, argmax, in, n);
            }
            long w1 = System.nanoTime(), c1 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                plan.backward(dIn, dOut, argmax, n);
            }
            long w2 = System.nanoTime(), c2 = CPU.getCurrentThreadCpuTime();
            forward.add(w1 - w0, c1 - c0, calls);
            backward.add(w2 - w1, c2 - c1, calls);
        }
        System.out.printf("%-14s %-46s %-34s forward %8.1f / %8.1f us | backward %8.1f / %8.1f us%n", name, g.describe(),
                plan.name(), forward.wall / 1e3, forward.cpu / 1e3, backward.wall / 1e3, backward.cpu / 1e3);
    }

    private static float[] random(SplittableRandom rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }
}
