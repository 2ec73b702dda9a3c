package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.BatchNormalization;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An engine that starts on one kernel path and moves to another between two batches trains to the
 * same bits as one that runs on a single path all along, and allocates nothing in its steps after
 * the move; and the automatic switch stays on the start path for a short run and leaves it for a
 * long one.
 */
class PathSwitchTest {

    /** The seed, and a convnet with dropout and batch normalisation (sums across shards, moving averages). */
    private static List<Supplier<Sequential>> models() {
        return List.of(() -> LeNet.create(5), () -> new Sequential(5, Shape.of(28, 28, 1),
                new Conv2D(8, 3).activation(Activation.RELU), new MaxPooling2D(2),
                new Conv2D(12, 3), new BatchNormalization(), new MaxPooling2D(2),
                new Flatten(), new Dropout(0.5), new Dense(10).activation(Activation.SOFTMAX)));
    }

    /** Every weight after 2 epochs with validation, then the predictions of the first 40 images. */
    private static float[][] train(Sequential m, Dataset data) {
        m.threads(2).compile(new Adam(0.003), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        m.fit(data, new FitOptions().epochs(2).batchSize(64).verbose(0).validationData(data));
        List<Tensor> w = m.getWeights();
        float[][] out = new float[w.size() + 1][];
        for (int i = 0; i < w.size(); i++) {
            out[i] = w.get(i).data();
        }
        out[w.size()] = m.predict(new Tensor(Shape.of(40, 28, 28, 1), Arrays.copyOf(data.images().data(), 40 * 784))).data();
        return out;
    }

    @Test
    void aSwitchAtAnyBatchGivesTheBitsOfOnePath() {
        Dataset data = SameBitsOnEveryPathTest.data();  // 4 batches of 64 per epoch
        Kernels vector = KernelsProvider.vector();
        for (Supplier<Sequential> make : models()) {
            float[][] onePath = train(make.get().kernels(vector), data);
            // batches count per engine: fit's engine runs 4 training and 4 validation batches per epoch
            for (long at : new long[] {1, 3, 6}) {
                for (Kernels start : new Kernels[] {new JavaKernels(), new ReferenceKernels()}) {
                    Sequential m = make.get().kernels(vector);
                    m.switchPathAt(start, at);
                    float[][] switched = train(m, data);
                    for (int p = 0; p < onePath.length; p++) {
                        int param = p;
                        assertArrayEquals(bits(onePath[p]), bits(switched[p]),
                                () -> m.name() + " from " + start + " to vector before batch " + at + ": array " + param);
                    }
                }
            }
        }
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    /**
     * After the switch a step allocates what a step of an engine that never switched does: the
     * starter is closed and nothing else is made. (Before the JIT compiles the engine, its loops'
     * iterators still cost a few hundred bytes a step on either engine; compiled, nothing:
     * benchmarks' {@code -prof gc}.)
     */
    @Test
    void aStepAllocatesNoMoreAfterTheSwitchThanOnOnePath() {
        long onePath = medianStepAllocation(null);
        long switched = medianStepAllocation(PathSwitch.forcedAt(new ReferenceKernels(), 2));
        assertEquals(onePath, switched, "bytes a step allocates after the switch, against an engine on one path");
    }

    /** The median of the bytes that batches 4 to 15 of a LeNet on plain Java allocate, on one thread. */
    private static long medianStepAllocation(PathSwitch pathSwitch) {
        Dataset data = SameBitsOnEveryPathTest.data();  // 4 batches of 64 per epoch
        Sequential m = LeNet.create(5);
        m.compile(new Adam(0.003), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        Objective objective = Objective.of("training data", m.name(), data, m.outputShape(), m.loss(), List.of(), null);
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        // one thread: every shard runs on this one, whose allocations are counted
        try (BatchEngine engine = new BatchEngine(m.layers(), 64, new JavaKernels(), 1, m.loss().fusedActivation(), pathSwitch)) {
            long[] allocated = new long[16];
            for (int b = 0; b < allocated.length; b++) {
                long before = threads.getThreadAllocatedBytes(thread);
                engine.computeGradients(objective, order, (b % 3) * 64, 64, b);
                engine.applyUpdate(m.optimizer());
                allocated[b] = threads.getThreadAllocatedBytes(thread) - before;
            }
            // batches 2 and 3, the first on the new path, may still link call sites
            long[] steady = Arrays.copyOfRange(allocated, 4, allocated.length);
            Arrays.sort(steady);
            return steady[steady.length / 2];
        }
    }

    @Test
    void theAutomaticSwitchWeighsTheRunAhead() {
        Kernels start = new JavaKernels();
        // at 1 ms per batch, 100 batches left are not worth the warm-up, 10,000 are
        assertFalse(leaves(start, 100, 1_000_000L));
        assertTrue(leaves(start, 10_000, 1_000_000L));
    }

    /** Whether an automatic switch planned for {@code planned} batches leaves the start path while batches take {@code nanos}. */
    private static boolean leaves(Kernels start, long planned, long nanos) {
        PathSwitch s = PathSwitch.byRunLength(start, planned);
        long now = 0;
        for (long b = 0; b < planned; b++) {
            if (!s.stayOnStart(now)) {
                return true;
            }
            now += nanos;
        }
        return false;
    }
}
