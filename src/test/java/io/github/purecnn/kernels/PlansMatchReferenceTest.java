package io.github.purecnn.kernels;

import io.github.purecnn.kernels.conv.ConvPoolPlan;
import io.github.purecnn.kernels.conv.ReferenceConv;
import io.github.purecnn.kernels.depthwise.ReferenceDepthwise;
import io.github.purecnn.kernels.pool.PoolPlan;
import io.github.purecnn.kernels.pool.ReferencePool;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every plan of every kernel path against the reference, bit for bit: the canonical order of the
 * sums makes the paths equal, not merely close. Geometries: the suite models' layers, and random
 * ones (fixed seeds) with strides 1 to 3, both paddings, dilations, C and K from 1 to 70, odd
 * sizes, shards of 1 to 17 images, dense layers.
 *
 * <p>Also checked: outputs and gradients are written over what the arrays held (NaN), nothing past
 * an output's end is touched (sentinels), and inputs are exactly sized (a plan must not read past them).
 */
class PlansMatchReferenceTest {
    private static final float SENTINEL = -12345.5f;
    private static final int SLACK = 33;

    static Stream<Kernels> paths() {
        return Stream.of(new JavaKernels(), KernelsProvider.vector());
    }

    /** A convolution case: n images, the geometry, K filters, with or without bias and ReLU. */
    record ConvCase(int n, Window2D g, int filters, boolean bias, boolean relu) {
        @Override
        public String toString() {
            return "n=" + n + " " + g.describe() + " K=" + filters + (bias ? "" : " no bias") + (relu ? " relu" : "");
        }
    }

    static List<ConvCase> convCases() {
        List<ConvCase> cases = new ArrayList<>();
        // The suite's layers, at a shard of 16 and an odd shard.
        for (int n : new int[] {16, 5}) {
            cases.add(new ConvCase(n, Window2D.of(28, 28, 1, 3, 3, 1, 1, false), 6, true, true));      // seed conv1
            cases.add(new ConvCase(n, Window2D.of(13, 13, 6, 3, 3, 1, 1, false), 16, true, true));     // seed conv2
            cases.add(new ConvCase(n, Window2D.dense(576), 120, true, true));                          // seed dense1
            cases.add(new ConvCase(n, Window2D.dense(84), 10, true, false));                            // seed dense3
            cases.add(new ConvCase(n, Window2D.of(28, 28, 1, 3, 3, 1, 1, false), 32, true, true));     // convnet conv1
            cases.add(new ConvCase(n, Window2D.of(13, 13, 32, 3, 3, 1, 1, false), 64, true, true));    // convnet conv2
            cases.add(new ConvCase(n, Window2D.of(28, 28, 1, 3, 3, 2, 2, true), 16, true, true));      // strided conv1
            cases.add(new ConvCase(n, Window2D.of(14, 14, 16, 3, 3, 2, 2, true), 32, true, true));     // strided conv2
            cases.add(new ConvCase(n, Window2D.of(32, 32, 3, 3, 3, 1, 1, true), 32, true, true));      // cifar conv1
            cases.add(new ConvCase(n, Window2D.of(15, 15, 32, 3, 3, 1, 1, true), 64, true, true));     // cifar conv3
        }
        // K = 44, not whole vectors at 8 or 16 lanes: the last group shifted to end at K, its kernel
        // gradient straight into dKernel in one chunk of 512 pixels (5 images of 100) or via scratch in two (9)
        cases.add(new ConvCase(5, Window2D.of(12, 12, 3, 3, 3, 1, 1, false), 44, true, true));
        cases.add(new ConvCase(9, Window2D.of(12, 12, 3, 3, 3, 1, 1, false), 44, true, true));
        SplittableRandom rnd = new SplittableRandom(2026);
        for (int i = 0; i < 70; i++) {
            int stride = 1 + rnd.nextInt(3);
            int dilation = stride == 1 && rnd.nextInt(4) == 0 ? 2 + rnd.nextInt(2) : 1;
            int r = 1 + rnd.nextInt(5), s = 1 + rnd.nextInt(5);
            boolean same = rnd.nextBoolean();
            int h = (r - 1) * dilation + 1 + rnd.nextInt(9), w = (s - 1) * dilation + 1 + rnd.nextInt(9);
            int c = 1 + rnd.nextInt(i % 3 == 0 ? 70 : 12), k = 1 + rnd.nextInt(i % 3 == 1 ? 70 : 20);
            int strideW = rnd.nextInt(5) == 0 && dilation == 1 ? 1 + rnd.nextInt(3) : stride;
            Window2D g = Window2D.of(h, w, c, r, s, stride, strideW, dilation, dilation, same);
            cases.add(new ConvCase(1 + rnd.nextInt(17), g, k, rnd.nextInt(4) != 0, rnd.nextBoolean()));
        }
        for (int in : new int[] {1, 7, 16, 33, 70}) {
            for (int out : new int[] {1, 10, 17, 70}) {
                cases.add(new ConvCase(1 + (in + out) % 17, Window2D.dense(in), out, true, false));
            }
        }
        return cases;
    }

    static Stream<Arguments> convCasesOnPaths() {
        return paths().flatMap(k -> convCases().stream().map(c -> Arguments.of(Named.of(k.name(), k), Named.of(c.toString(), c))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("convCasesOnPaths")
    void convolutionPlansEqualTheReference(Kernels path, ConvCase c) {
        Window2D g = c.g();
        assertPlanEqualsReference(new ReferenceConv(g, c.filters()), path.conv(g, c.filters()), c.n(),
                g.taps() * c.filters(), c.bias(), c.relu(), c.toString().hashCode());
    }

    /**
     * Runs a plan and its reference over the same random input, kernel, bias and output gradient
     * (n images) and compares all three passes bit for bit; the plan writes over NaN and stops at
     * the sentinels past its outputs.
     */
    static void assertPlanEqualsReference(LinearPlan ref, LinearPlan plan, int n, int kernelSize, boolean hasBias,
                                          boolean relu, long seed) {
        Window2D g = plan.geometry();
        int K = plan.outputChannels();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] in = random(rnd, n * g.inSize());
        float[] kernel = random(rnd, kernelSize);
        float[] bias = hasBias ? random(rnd, K) : null;
        float[] dOut = random(rnd, n * g.outPixels() * K);
        float[] packed = new float[plan.packedSize()];
        plan.pack(packed, kernel);
        Scratch scratch = new Scratch(plan, n);

        float[] expected = new float[n * g.outPixels() * K];
        ref.forward(expected, in, kernel, null, bias, relu, n, null);
        float[] out = garbage(expected.length);
        plan.forward(out, in, kernel, packed, bias, relu, n, scratch);
        assertBitsEqual("forward", expected, out);

        float[] expectedDIn = new float[n * g.inSize()];
        ref.backwardInput(expectedDIn, dOut, kernel, null, n, null);
        float[] dIn = garbage(expectedDIn.length);
        plan.backwardInput(dIn, dOut, kernel, packed, n, scratch);
        assertBitsEqual("input gradient", expectedDIn, dIn);

        float[] expectedDKernel = new float[kernel.length];
        float[] expectedDBias = hasBias ? new float[K] : null;
        ref.backwardParams(expectedDKernel, expectedDBias, dOut, in, n, null);
        float[] dKernel = garbage(kernel.length);
        float[] dBias = hasBias ? garbage(K) : null;
        plan.backwardParams(dKernel, dBias, dOut, in, n, scratch);
        assertBitsEqual("kernel gradient", expectedDKernel, dKernel);
        if (hasBias) {
            assertBitsEqual("bias gradient", expectedDBias, dBias);
        }
    }

    /** A depthwise convolution case: n images, the geometry, the depth multiplier M, with or without bias and ReLU. */
    record DepthwiseCase(int n, Window2D g, int multiplier, boolean bias, boolean relu) {
        @Override
        public String toString() {
            return "n=" + n + " " + g.describe() + " M=" + multiplier + (bias ? "" : " no bias") + (relu ? " relu" : "");
        }
    }

    /**
     * MobileNet-like layers (3x3 on many channels, strides 1 and 2, 'same'), then random ones (fixed
     * seed): strides 1 to 3, dilations, both paddings, C from 1 to 70, M from 1 to 3, odd sizes and shards.
     */
    static Stream<Arguments> depthwiseCasesOnPaths() {
        List<DepthwiseCase> cases = new ArrayList<>();
        cases.add(new DepthwiseCase(16, Window2D.of(16, 16, 32, 3, 3, 1, 1, true), 1, true, true));
        cases.add(new DepthwiseCase(16, Window2D.of(16, 16, 32, 3, 3, 2, 2, true), 1, true, false));
        cases.add(new DepthwiseCase(5, Window2D.of(9, 9, 8, 3, 3, 1, 1, 2, 2, true), 2, true, true));
        SplittableRandom rnd = new SplittableRandom(2027);
        for (int i = 0; i < 40; i++) {
            int stride = 1 + rnd.nextInt(3);
            int dilation = stride == 1 && rnd.nextInt(3) == 0 ? 2 + rnd.nextInt(2) : 1;
            int r = 1 + rnd.nextInt(5), s = 1 + rnd.nextInt(5);
            int h = (r - 1) * dilation + 1 + rnd.nextInt(8), w = (s - 1) * dilation + 1 + rnd.nextInt(8);
            int c = 1 + rnd.nextInt(i % 3 == 0 ? 70 : 20);
            int strideW = rnd.nextInt(5) == 0 && dilation == 1 ? 1 + rnd.nextInt(3) : stride;
            Window2D g = Window2D.of(h, w, c, r, s, stride, strideW, dilation, dilation, rnd.nextBoolean());
            cases.add(new DepthwiseCase(1 + rnd.nextInt(17), g, 1 + rnd.nextInt(3), rnd.nextInt(4) != 0, rnd.nextBoolean()));
        }
        return paths().flatMap(k -> cases.stream().map(c -> Arguments.of(Named.of(k.name(), k), Named.of(c.toString(), c))));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("depthwiseCasesOnPaths")
    void depthwisePlansEqualTheReference(Kernels path, DepthwiseCase c) {
        Window2D g = c.g();
        int M = c.multiplier();
        assertPlanEqualsReference(new ReferenceDepthwise(g, M), path.depthwise(g, M), c.n(),
                g.taps() * M, c.bias(), c.relu(), c.toString().hashCode());
    }

    /** A pooling case: average or max, n images, the geometry. */
    record PoolCase(boolean max, int n, Window2D g) {
        @Override
        public String toString() {
            return (max ? "max " : "average ") + "n=" + n + " " + g.describe();
        }
    }

    static List<PoolCase> poolCases() {
        List<PoolCase> cases = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(7);
        for (boolean max : new boolean[] {false, true}) {
            cases.add(new PoolCase(max, 16, Window2D.of(26, 26, 6, 2, 2, 2, 2, true)));
            cases.add(new PoolCase(max, 16, Window2D.of(11, 11, 16, 2, 2, 2, 2, true)));
            cases.add(new PoolCase(max, 16, Window2D.of(26, 26, 32, 2, 2, 2, 2, false)));
            for (int i = 0; i < 12; i++) {
                int k = 1 + rnd.nextInt(3), stride = 1 + rnd.nextInt(3);
                cases.add(new PoolCase(max, 1 + rnd.nextInt(17), Window2D.of(k + rnd.nextInt(9), k + rnd.nextInt(9),
                        1 + rnd.nextInt(40), k, k, stride, stride, rnd.nextBoolean())));
            }
        }
        return cases;
    }

    static Stream<Arguments> poolCasesOnPaths() {
        return paths().flatMap(k -> poolCases().stream().map(c -> Arguments.of(Named.of(k.name(), k), Named.of(c.toString(), c))));
    }

    /** Every variant of the plain-Java path is chosen for some case above, so every one is checked against the reference. */
    @Test
    void everyPlainJavaVariantIsChosenForSomeCase() {
        JavaKernels java = new JavaKernels();
        Set<String> chosen = new TreeSet<>();
        for (ConvCase c : convCases()) {
            chosen.add(java.conv(c.g(), c.filters()).name());
        }
        for (PoolCase c : poolCases()) {
            chosen.add((c.max() ? java.maxPool(c.g()) : java.averagePool(c.g())).name());
        }
        assertEquals(new TreeSet<>(JavaKernels.VARIANTS), chosen);
    }

    /**
     * Every variant of the Vector API path is chosen for some case above, so every one is checked
     * against the reference, at this JVM's vector width.
     */
    @Test
    void everyVectorVariantIsChosenForSomeCase() {
        Kernels vector = KernelsProvider.vector();
        Set<String> chosen = new TreeSet<>();
        for (ConvCase c : convCases()) {
            chosen.add(vector.conv(c.g(), c.filters()).name());
        }
        for (PoolCase c : poolCases()) {
            chosen.add((c.max() ? vector.maxPool(c.g()) : vector.averagePool(c.g())).name());
        }
        for (ConvPoolCase c : convPoolCases()) {
            ConvPoolPlan plan = vector.convReluPool(c.conv(), c.filters(), c.pool(), c.max());
            if (plan != null) {
                chosen.add(plan.name());
            }
        }
        assertEquals(new TreeSet<>(VectorKernels.VARIANTS), chosen);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("poolCasesOnPaths")
    void poolingPlansEqualTheReference(Kernels path, PoolCase c) {
        SplittableRandom rnd = new SplittableRandom(c.toString().hashCode());
        poolingEqualsTheReference(path, c, random(rnd, c.n() * c.g().inSize()), rnd);
    }

    /**
     * Values from a few, so that windows hold ties, zeros of both signs, infinities and NaNs. NaNs
     * compare as NaN, whatever their payload: which operand's payload an addition of two NaNs
     * passes on depends on how the JIT ordered the operands, in the reference as anywhere.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("poolCasesOnPaths")
    void poolingPlansEqualTheReferenceOnTiesZerosAndNaNs(Kernels path, PoolCase c) {
        float[] values = {0f, -0f, 1f, -1f, 0.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        SplittableRandom rnd = new SplittableRandom(c.toString().hashCode());
        float[] in = new float[c.n() * c.g().inSize()];
        for (int i = 0; i < in.length; i++) {
            in[i] = values[rnd.nextInt(values.length)];
        }
        poolingEqualsTheReference(path, c, in, rnd);
    }

    private static void poolingEqualsTheReference(Kernels path, PoolCase c, float[] in, SplittableRandom rnd) {
        boolean anyNaN = false;
        for (float v : in) {
            anyNaN |= Float.isNaN(v);
        }
        Window2D g = c.g();
        int n = c.n();
        float[] dOut = random(rnd, n * g.outPixels() * g.channels());
        PoolPlan ref = c.max() ? ReferencePool.max(g) : ReferencePool.average(g);
        PoolPlan plan = c.max() ? path.maxPool(g) : path.averagePool(g);
        int outLen = n * g.outPixels() * g.channels();
        float[] expected = new float[outLen];
        int[] argmax = c.max() ? new int[outLen] : null;
        ref.forward(expected, argmax, in, n);
        float[] out = garbage(outLen);
        int[] planArgmax = c.max() ? new int[outLen] : null;
        plan.forward(out, planArgmax, in, n);
        assertBitsEqual("forward", expected, out, anyNaN);
        if (c.max()) {
            assertEquals(Arrays.toString(argmax), Arrays.toString(planArgmax), "argmax");
        }
        float[] expectedDIn = new float[in.length];
        ref.backward(expectedDIn, dOut, argmax, n);
        float[] dIn = garbage(in.length);
        plan.backward(dIn, dOut, planArgmax, n);
        assertBitsEqual("input gradient", expectedDIn, dIn, anyNaN);
    }

    /** A convolution with ReLU and the pooling after it: n images, the geometries, K filters, with or without bias. */
    record ConvPoolCase(int n, Window2D conv, int filters, Window2D pool, boolean max, boolean bias) {
        @Override
        public String toString() {
            return "n=" + n + " " + conv.describe() + " K=" + filters + (bias ? "" : " no bias") + ", "
                    + (max ? "max " : "average ") + pool.describe();
        }
    }

    static List<ConvPoolCase> convPoolCases() {
        List<ConvPoolCase> cases = new ArrayList<>();
        for (int n : new int[] {16, 5}) {
            cases.add(new ConvPoolCase(n, Window2D.of(28, 28, 1, 3, 3, 1, 1, false), 6,
                    Window2D.of(26, 26, 6, 2, 2, 2, 2, true), false, true));                                  // seed conv1 + pool1
            cases.add(new ConvPoolCase(n, Window2D.of(28, 28, 1, 3, 3, 1, 1, false), 32,
                    Window2D.of(26, 26, 32, 2, 2, 2, 2, false), true, true));                                 // convnet conv1 + pool1
        }
        // One channel and one or two filters: two taps to a vector at every width (4 lanes too),
        // max pooling and average pooling with windows that leave outputs out.
        cases.add(new ConvPoolCase(5, Window2D.of(12, 11, 1, 3, 3, 1, 1, true), 2,
                Window2D.of(12, 11, 2, 2, 2, 2, 2, false), true, true));
        cases.add(new ConvPoolCase(3, Window2D.of(9, 13, 1, 2, 3, 2, 1, false), 1,
                Window2D.of(4, 11, 1, 3, 3, 3, 3, false), false, false));
        SplittableRandom rnd = new SplittableRandom(2027);
        for (int i = 0; i < 40; i++) {
            int stride = 1 + rnd.nextInt(2), r = 1 + rnd.nextInt(4), s = 1 + rnd.nextInt(4);
            int c = 1 + rnd.nextInt(i % 4 == 0 ? 20 : 3), k = 1 + rnd.nextInt(i % 3 == 0 ? 70 : 20);
            Window2D conv = Window2D.of(r + rnd.nextInt(12), s + rnd.nextInt(12), c, r, s, stride, stride, rnd.nextBoolean());
            int p = 1 + rnd.nextInt(Math.min(3, Math.min(conv.outH(), conv.outW())));
            int poolStride = p + (rnd.nextInt(4) == 0 ? 1 : 0);
            Window2D pool = Window2D.of(conv.outH(), conv.outW(), k, p, p, poolStride, poolStride, rnd.nextBoolean());
            cases.add(new ConvPoolCase(1 + rnd.nextInt(17), conv, k, pool, rnd.nextBoolean(), rnd.nextInt(4) != 0));
        }
        return cases;
    }

    static Stream<Arguments> convPoolCasesOnPaths() {
        return paths().flatMap(k -> convPoolCases().stream()
                .filter(c -> k.convReluPool(c.conv(), c.filters(), c.pool(), c.max()) != null)
                .map(c -> Arguments.of(Named.of(k.name(), k), Named.of(c.toString(), c))));
    }

    /** A path's one-pass plan against the reference convolution with ReLU, then the reference pooling. */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("convPoolCasesOnPaths")
    void convPoolPlansEqualTheReference(Kernels path, ConvPoolCase c) {
        int n = c.n(), K = c.filters();
        SplittableRandom rnd = new SplittableRandom(c.toString().hashCode());
        float[] in = random(rnd, n * c.conv().inSize());
        float[] kernel = random(rnd, c.conv().taps() * K);
        float[] bias = c.bias() ? random(rnd, K) : null;
        int pooledLength = n * c.pool().outPixels() * K;
        float[] dPooled = random(rnd, pooledLength);
        ConvPoolPlan ref = new ReferenceConvPool(c.conv(), K, c.pool(), c.max());
        ConvPoolPlan plan = path.convReluPool(c.conv(), K, c.pool(), c.max());
        float[] packed = new float[plan.packedSize()];
        plan.pack(packed, kernel);
        Scratch scratch = new Scratch(plan, n);
        Scratch refScratch = new Scratch(ref, n);

        float[] expected = new float[pooledLength];
        float[] refSaved = new float[n * ref.savedSize()];
        ref.forward(expected, refSaved, in, kernel, null, bias, n, refScratch);
        float[] pooled = garbage(pooledLength);
        float[] saved = garbage(n * plan.savedSize());
        plan.forward(pooled, saved, in, kernel, packed, bias, n, scratch);
        assertBitsEqual("forward", expected, pooled);

        float[] expectedDKernel = new float[kernel.length];
        float[] expectedDBias = c.bias() ? new float[K] : null;
        ref.backwardParams(expectedDKernel, expectedDBias, dPooled, refSaved, in, n, refScratch);
        float[] dKernel = garbage(kernel.length);
        float[] dBias = c.bias() ? garbage(K) : null;
        plan.backwardParams(dKernel, dBias, dPooled, saved, in, n, scratch);
        assertBitsEqual("kernel gradient", expectedDKernel, dKernel);
        if (c.bias()) {
            assertBitsEqual("bias gradient", expectedDBias, dBias);
        }
    }

    /** Values in [-1, 1), exactly len of them. */
    static float[] random(SplittableRandom rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** NaN where the output goes, then sentinels. */
    static float[] garbage(int len) {
        float[] a = new float[len + SLACK];
        Arrays.fill(a, 0, len, Float.NaN);
        Arrays.fill(a, len, a.length, SENTINEL);
        return a;
    }

    static void assertBitsEqual(String what, float[] expected, float[] actual) {
        assertBitsEqual(what, expected, actual, false);
    }

    /** As {@link #assertBitsEqual(String, float[], float[])}; with {@code anyNaN}, all NaNs count as one value. */
    static void assertBitsEqual(String what, float[] expected, float[] actual, boolean anyNaN) {
        for (int i = 0; i < expected.length; i++) {
            boolean same = anyNaN ? Float.floatToIntBits(expected[i]) == Float.floatToIntBits(actual[i])
                    : Float.floatToRawIntBits(expected[i]) == Float.floatToRawIntBits(actual[i]);
            if (!same) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", the reference "
                        + expected[i] + " (of " + expected.length + ")");
            }
        }
        for (int i = expected.length; i < actual.length; i++) {
            assertEquals(SENTINEL, actual[i], what + ": element " + i + " past the output was touched");
        }
    }
}
