package io.github.purecnn.layers;

import io.github.purecnn.image.FillMode;
import io.github.purecnn.image.Interpolation;
import io.github.purecnn.testing.LayerHarness;
import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.github.purecnn.layers.Padding.SAME;
import static io.github.purecnn.layers.GradientCheck.distinct;
import static io.github.purecnn.layers.GradientCheck.lattice;
import static io.github.purecnn.layers.GradientCheck.oddLattice;
import static io.github.purecnn.layers.GradientCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every layer's backward pass against central differences ({@link GradientCheck}), on the
 * reference kernels and on both fast paths (plain Java, Vector API), over valid and same padding,
 * strides 1 and 2 (also unequal), dilations, odd and even sizes, several channels and more than
 * one image.
 */
class LayerGradientTest {

    /**
     * How each case draws its input and parameters.
     * <ul>
     * <li>SMOOTH: input in [-1, 1), kernel and bias in [-0.5, 0.5) (a non-zero bias, so its
     * gradient path is exercised).</li>
     * <li>RELU_LATTICE: input odd multiples of 1/8 (|x| >= 1/8), kernel multiples of 1/4 in
     * [-1/2, 1/2], bias odd multiples of 1/64. Every product is a multiple of 1/32, exactly in
     * float, so every pre-activation is an odd multiple of 1/64: at least 1/64 = 0.0156 from
     * ReLU's kink at 0 (and hard sigmoid's at -3 and 3, even multiples of 1/64), while a step of
     * h = 0.01 moves it by at most 0.5h (input), 7/8 h (kernel) or h (bias). The kinks are never
     * crossed, by construction (see {@link GradientCheck#hasKinks}).</li>
     * <li>DISTINCT: input values 0.05 apart in random order: no max-pooling window has a tie,
     * and no step of h = 0.01 can change which cell is largest.</li>
     * </ul>
     */
    enum Data { SMOOTH, RELU_LATTICE, DISTINCT }

    /** One layer configuration on inputs of {@code dims} (without batch). */
    record Case(String name, Supplier<Layer> layer, Data data, int... dims) {
    }

    private static final int IMAGES = 2;
    private static final int VECTORS = 3;

    /** The reference kernels and both fast paths: the tests run with the Vector API module present. */
    static Stream<Kernels> kernels() {
        return Stream.of(new ReferenceKernels(), new JavaKernels(), KernelsProvider.vector());
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("Conv2D 3x3 valid stride 1 on 5x6x3", () -> new Conv2D(4, 3), Data.SMOOTH, 5, 6, 3));
        c.add(new Case("Conv2D 3x3 same stride 1 on 5x6x3", () -> new Conv2D(4, 3).padding(SAME), Data.SMOOTH, 5, 6, 3));
        c.add(new Case("Conv2D 4x3 same stride 2 on 7x6x2", () -> new Conv2D(3, 4, 3).strides(2).padding(SAME), Data.SMOOTH, 7, 6, 2));
        c.add(new Case("Conv2D 3x3 valid stride 2 on 8x7x2", () -> new Conv2D(3, 3).strides(2), Data.SMOOTH, 8, 7, 2));
        c.add(new Case("Conv2D 2x3 valid strides (2, 1) on 6x5x2", () -> new Conv2D(3, 2, 3).strides(2, 1), Data.SMOOTH, 6, 5, 2));
        c.add(new Case("Conv2D 3x2 same strides (1, 2) on 4x7x3", () -> new Conv2D(2, 3, 2).strides(1, 2).padding(SAME), Data.SMOOTH, 4, 7, 3));
        c.add(new Case("Conv2D 5x5 same stride 1 on 3x3x2 (window wider than the input)", () -> new Conv2D(2, 5).padding(SAME), Data.SMOOTH, 3, 3, 2));
        c.add(new Case("Conv2D 3x3 dilation 2 valid on 7x8x2", () -> new Conv2D(3, 3).dilationRate(2), Data.SMOOTH, 7, 8, 2));
        c.add(new Case("Conv2D 3x2 dilations (2, 3) same on 6x7x2", () -> new Conv2D(2, 3, 2).dilationRate(2, 3).padding(SAME), Data.SMOOTH, 6, 7, 2));
        c.add(new Case("Conv2D without bias", () -> new Conv2D(3, 3).useBias(false), Data.SMOOTH, 4, 5, 2));
        c.add(new Case("Conv2D + relu, same stride 2", () -> new Conv2D(4, 3).strides(2).padding(SAME).activation(Activation.RELU), Data.RELU_LATTICE, 7, 6, 3));
        c.add(new Case("Conv2D + relu, valid stride 1", () -> new Conv2D(3, 3).activation(Activation.RELU), Data.RELU_LATTICE, 5, 4, 2));
        for (Activation a : List.of(Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX)) {
            c.add(new Case("Conv2D + " + a.kerasName(), () -> new Conv2D(4, 3).padding(SAME).activation(a), Data.SMOOTH, 5, 4, 2));
        }
        for (Activation a : Activation.values()) {
            c.add(new Case("Dense(5) + " + a.kerasName(), () -> new Dense(5).activation(a),
                    GradientCheck.hasKinks(a) ? Data.RELU_LATTICE : Data.SMOOTH, 7));
        }
        c.add(new Case("Dense without bias", () -> new Dense(4).useBias(false), Data.SMOOTH, 6));
        for (String type : List.of("AveragePooling2D", "MaxPooling2D")) {
            Data d = type.equals("MaxPooling2D") ? Data.DISTINCT : Data.SMOOTH;
            c.add(new Case(type + " 2 valid on 5x7x3 (last row and column dropped)", () -> pool(type, 2, 2), d, 5, 7, 3));
            c.add(new Case(type + " 2 same on 5x7x3 (edge half-windows)", () -> pool(type, 2, 2).padding(SAME), d, 5, 7, 3));
            c.add(new Case(type + " 3 strides 2 same on 7x6x2 (overlapping windows)", () -> pool(type, 3, 3).strides(2).padding(SAME), d, 7, 6, 2));
            c.add(new Case(type + " 2x3 strides (1, 2) valid on 4x7x2", () -> pool(type, 2, 3).strides(1, 2), d, 4, 7, 2));
            c.add(new Case(type + " 3 strides 1 same on 4x5x2", () -> pool(type, 3, 3).strides(1).padding(SAME), d, 4, 5, 2));
        }
        c.add(new Case("Flatten on 3x4x5", Flatten::new, Data.SMOOTH, 3, 4, 5));
        c.add(new Case("Dropout(0.4) on 3x4x5, training", () -> new Dropout(0.4), Data.SMOOTH, 3, 4, 5));
        c.add(new Case("Dropout(0.5) on 10 features, training", () -> new Dropout(0.5), Data.SMOOTH, 10));
        for (Activation a : Activation.values()) {
            c.add(new Case("Activation " + a.kerasName() + " on 3x4x5", () -> new ActivationLayer(a),
                    GradientCheck.hasKinks(a) ? Data.RELU_LATTICE : Data.SMOOTH, 3, 4, 5));
        }
        c.addAll(preprocessingCases());
        return c;
    }

    /**
     * The preprocessing and augmentation layers, in training (each image transformed by its own
     * draw of the check's fixed noise seed): every one is linear in its input, but for
     * RandomContrast's mean and clipping (a value range wide enough here that nothing is clipped;
     * its clipped gradient is checked by hand in PreprocessingHandComputedTest).
     */
    static List<Case> preprocessingCases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("Rescaling(0.5, 0.1) on 3x4x2", () -> new Rescaling(0.5, 0.1), Data.SMOOTH, 3, 4, 2));
        c.add(new Case("Normalization, per channel", () -> new Normalization().meanAndVariance(new double[] {0.5, -1},
                new double[] {4, 0.25}), Data.SMOOTH, 3, 4, 2));
        c.add(new Case("Normalization inverted, per pixel", () -> new Normalization().axis(1, 2).invert(true)
                .meanAndVariance(new double[] {0.5}, new double[] {2}), Data.SMOOTH, 3, 4, 2));
        c.add(new Case("Normalization on features, one statistic", () -> new Normalization().axis()
                .meanAndVariance(new double[] {1}, new double[] {9}), Data.SMOOTH, 6));
        c.add(new Case("Resizing bilinear 5x4 to 3x7", () -> new Resizing(3, 7), Data.SMOOTH, 5, 4, 2));
        c.add(new Case("Resizing nearest 5x4 to 7x3", () -> new Resizing(7, 3).interpolation(Interpolation.NEAREST),
                Data.SMOOTH, 5, 4, 2));
        c.add(new Case("Resizing 6x3 to 4x4 cropped to the aspect ratio", () -> new Resizing(4, 4).cropToAspectRatio(true),
                Data.SMOOTH, 6, 3, 2));
        for (RandomFlip.Mode mode : RandomFlip.Mode.values()) {
            c.add(new Case("RandomFlip " + mode.kerasName(), () -> new RandomFlip(mode), Data.SMOOTH, 3, 4, 2));
        }
        for (FillMode fill : FillMode.values()) {
            c.add(new Case("RandomTranslation 0.4, " + fill.kerasName() + " fill, bilinear",
                    () -> new RandomTranslation(0.4, 0.4).fillMode(fill).fillValue(0.25), Data.SMOOTH, 5, 4, 2));
        }
        c.add(new Case("RandomTranslation nearest", () -> new RandomTranslation(0.3, 0.3).interpolation(Interpolation.NEAREST),
                Data.SMOOTH, 5, 4, 2));
        c.add(new Case("RandomRotation 0.5, constant fill", () -> new RandomRotation(0.5).fillMode(FillMode.CONSTANT),
                Data.SMOOTH, 5, 6, 2));
        c.add(new Case("RandomRotation 0.2, reflect", () -> new RandomRotation(0.2), Data.SMOOTH, 4, 4, 1));
        c.add(new Case("RandomZoom 0.5 and 0.3, wrap", () -> new RandomZoom(0.5, 0.3).fillMode(FillMode.WRAP),
                Data.SMOOTH, 5, 4, 2));
        c.add(new Case("RandomZoom (-0.4, 0.6) nearest fill", () -> new RandomZoom(0).heightFactor(-0.4, 0.6)
                .fillMode(FillMode.NEAREST), Data.SMOOTH, 4, 5, 2));
        c.add(new Case("RandomContrast 0.5, nothing clipped", () -> new RandomContrast(0.5).valueRange(-10, 10),
                Data.SMOOTH, 3, 4, 2));
        c.add(new Case("RandomCrop 3x4 of 5x6", () -> new RandomCrop(3, 4), Data.SMOOTH, 5, 6, 2));
        c.add(new Case("RandomCrop 4x5 of 3x3 (resized)", () -> new RandomCrop(4, 5), Data.SMOOTH, 3, 3, 2));
        return c;
    }

    private static Pooling2D pool(String type, int h, int w) {
        return type.equals("MaxPooling2D") ? new MaxPooling2D(h, w) : new AveragePooling2D(h, w);
    }

    static Stream<Arguments> casesWithKernels() {
        return kernels().flatMap(k -> cases().stream()
                .map(c -> Arguments.of(Named.of(c.name(), c), Named.of(k.name(), k))));
    }

    /** A layer built for {@code dims} with seeded Glorot initialisation. */
    static <L extends Layer> L build(L layer, int... dims) {
        layer.build(Shape.of(dims), 0, layer.defaultNamePrefix(), new SplittableRandom(7));
        return layer;
    }

    @ParameterizedTest(name = "{0} with {1} kernels")
    @MethodSource("casesWithKernels")
    void backwardMatchesCentralDifferences(Case c, Kernels kernels) {
        Layer layer = build(c.layer().get(), c.dims());
        int n = c.dims().length == 1 ? VECTORS : IMAGES;
        SplittableRandom rng = new SplittableRandom(c.name().hashCode());
        float[] in = switch (c.data()) {
            case SMOOTH -> uniform(rng, n * layer.inputShape().size(), -1, 1);
            case RELU_LATTICE -> oddLattice(rng, n * layer.inputShape().size(), 1.0 / 8, 4);
            case DISTINCT -> distinct(rng, n * layer.inputShape().size(), 0.05);
        };
        for (Parameter p : layer.parameters()) {
            boolean bias = p.name().equals("bias");
            p.set(c.data() == Data.RELU_LATTICE
                    ? (bias ? oddLattice(rng, p.size(), 1.0 / 64, 3) : lattice(rng, p.size(), 1.0 / 4, 2))
                    : uniform(rng, p.size(), -0.5, 0.5));
        }
        GradientCheck.check(c.name(), layer, kernels, in, n, 12345L);
    }

    /**
     * The Shard contract: backward writes the parameter gradients into {@code grads()} and the input
     * gradient, whatever those buffers held (NaN here, which must not leak in): a second call over
     * the first one's results gives the same values, bit for bit.
     */
    @ParameterizedTest(name = "{0} with {1} kernels")
    @MethodSource("layersWithParametersAndKernels")
    void backwardWritesParameterGradientsAndInputGradient(Case c, Kernels kernels) {
        Layer layer = build(c.layer().get(), c.dims());
        int n = IMAGES;
        SplittableRandom rng = new SplittableRandom(3);
        for (Parameter p : layer.parameters()) {
            p.set(uniform(rng, p.size(), -0.5, 0.5));
        }
        float[] in = uniform(rng, n * layer.inputShape().size(), -1, 1);
        float[] dOut = uniform(rng, n * layer.outputShape().size(), -1, 1);
        float[] out = new float[dOut.length];
        LayerHarness shard = new LayerHarness(layer, kernels, n);
        shard.forward(out, in, n, true, 0L);

        float[] dInOnce = new float[in.length];
        Arrays.fill(dInOnce, Float.NaN);
        for (float[] g : shard.grads()) {
            Arrays.fill(g, Float.NaN);
        }
        shard.backward(dInOnce, dOut.clone(), in, out, n);
        float[][] once = new float[shard.grads().length][];
        for (int p = 0; p < once.length; p++) {
            once[p] = shard.grads()[p].clone();
            for (int i = 0; i < once[p].length; i++) {
                assertTrue(Float.isFinite(once[p][i]), layer.parameters().get(p).name() + "[" + i + "] was not written");
            }
        }
        float[] dInTwice = new float[in.length];
        Arrays.fill(dInTwice, Float.NaN);
        shard.backward(dInTwice, dOut.clone(), in, out, n);

        assertArrayEquals(dInOnce, dInTwice, "the input gradient is written, not added");
        for (int p = 0; p < once.length; p++) {
            assertArrayEquals(once[p], shard.grads()[p], layer.parameters().get(p).name() + " is written, not added");
        }
    }

    static Stream<Arguments> layersWithParametersAndKernels() {
        List<Case> c = List.of(
                new Case("Conv2D 3x3 same stride 2 + tanh", () -> new Conv2D(3, 3).strides(2).padding(SAME).activation(Activation.TANH), Data.SMOOTH, 5, 6, 2),
                new Case("Dense(4) + sigmoid", () -> new Dense(4).activation(Activation.SIGMOID), Data.SMOOTH, 6));
        return kernels().flatMap(k -> c.stream().map(x -> Arguments.of(Named.of(x.name(), x), Named.of(k.name(), k))));
    }
}
