package io.github.purecnn.layers;

import io.github.purecnn.image.FillMode;
import io.github.purecnn.io.internal.Json;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.runtime.WeightShape;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.testing.LayerHarness;
import io.github.purecnn.testing.ScaleLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.github.purecnn.layers.GradientCheck.distinct;
import static io.github.purecnn.layers.GradientCheck.lattice;
import static io.github.purecnn.layers.GradientCheck.oddLattice;
import static io.github.purecnn.layers.GradientCheck.uniform;
import static io.github.purecnn.layers.Padding.SAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every layer keeps, checked for every layer type the library knows (and a custom
 * one), as Keras's {@code run_layer_test}: it builds for an input shape, and its output shape is
 * what {@code computeOutputShape} says and what its step writes; it has the parameter counts
 * worked out here by hand (total and trainable), its weights in Keras's order (trainable first)
 * and as {@code weightShapes} declares them before building;
 * its config goes through {@link Layers#fromConfig} and through JSON text back to the same config,
 * output shape and weight shapes; its step gives the same bits on the reference, plain-Java and
 * Vector API kernels; and its backward pass matches central differences on all three.
 */
class LayerContractTest {

    /** How a case draws its input and weights; see {@link LayerGradientTest.Data} (KINKED is its RELU_LATTICE). */
    enum Data { SMOOTH, KINKED, DISTINCT }

    /**
     * One layer configuration on inputs of {@code dims} (without batch), with its parameter
     * counts: all values, and those that train.
     */
    record Case(String name, Supplier<Layer> layer, Data data, long params, long trainable, int... dims) {
    }

    private static final int IMAGES = 2;
    private static final int VECTORS = 3;

    @BeforeAll
    static void registerCustomLayer() {
        ScaleLayer.register();
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // 3*3*2*3 + 3 = 57
        c.add(new Case("Conv2D 3x3 same stride 2", () -> new Conv2D(3, 3).strides(2).padding(SAME), Data.SMOOTH, 57, 57, 5, 6, 2));
        // 3*3*2*2 + 2 = 38
        c.add(new Case("Conv2D 3x3 dilation 2 + relu", () -> new Conv2D(2, 3).dilationRate(2).activation(Activation.RELU),
                Data.KINKED, 38, 38, 7, 7, 2));
        // 5*4 + 4 = 24
        c.add(new Case("Dense(4) + tanh", () -> new Dense(4).activation(Activation.TANH), Data.SMOOTH, 24, 24, 5));
        c.add(new Case("MaxPooling2D 2 same", () -> new MaxPooling2D(2).padding(SAME), Data.DISTINCT, 0, 0, 5, 5, 2));
        c.add(new Case("AveragePooling2D 3 strides 2 same", () -> new AveragePooling2D(3).strides(2).padding(SAME),
                Data.SMOOTH, 0, 0, 5, 6, 2));
        c.add(new Case("Flatten", Flatten::new, Data.SMOOTH, 0, 0, 3, 2, 2));
        c.add(new Case("Dropout(0.4)", () -> new Dropout(0.4), Data.SMOOTH, 0, 0, 3, 4, 2));
        for (Activation a : Activation.values()) {
            c.add(new Case("Activation " + a.kerasName(), () -> new ActivationLayer(a),
                    GradientCheck.hasKinks(a) ? Data.KINKED : Data.SMOOTH, 0, 0, 2, 3, 2));
        }
        // gamma, beta (trainable) and moving mean and variance of 2 channels
        c.add(new Case("BatchNormalization on images", BatchNormalization::new, Data.SMOOTH, 8, 4, 3, 3, 2));
        c.add(new Case("BatchNormalization on vectors, momentum 0.9, epsilon 0.01",
                () -> new BatchNormalization().momentum(0.9).epsilon(0.01), Data.SMOOTH, 16, 8, 4));
        c.add(new Case("BatchNormalization without center and scale", () -> new BatchNormalization().center(false).scale(false),
                Data.SMOOTH, 6, 0, 2, 2, 3));
        c.add(new Case("BatchNormalization frozen (moving statistics)", () -> new BatchNormalization().trainable(false),
                Data.SMOOTH, 8, 0, 2, 3, 2));
        // kernel 3*3*3*2 = 54, bias 3*2 = 6
        c.add(new Case("DepthwiseConv2D 3x3 same strides 2, multiplier 2",
                () -> new DepthwiseConv2D(3).strides(2).padding(SAME).depthMultiplier(2), Data.SMOOTH, 60, 60, 5, 6, 3));
        // kernel 3*2*2*1 = 12, bias 2
        c.add(new Case("DepthwiseConv2D 3x2 dilation 2 + relu", () -> new DepthwiseConv2D(3, 2).dilationRate(2)
                .activation(Activation.RELU), Data.KINKED, 14, 14, 7, 6, 2));
        // kernel 3*3*3 = 27, no bias
        c.add(new Case("DepthwiseConv2D without bias + gelu", () -> new DepthwiseConv2D(3).useBias(false).padding(SAME)
                .activation(Activation.GELU), Data.SMOOTH, 27, 27, 4, 4, 3));
        // depthwise 3*3*2*2 = 36, pointwise 1*1*4*4 = 16, bias 4
        c.add(new Case("SeparableConv2D 3x3 same strides 2, multiplier 2", () -> new SeparableConv2D(4, 3).strides(2)
                .padding(SAME).depthMultiplier(2), Data.SMOOTH, 56, 56, 5, 5, 2));
        // depthwise 3*3*2 = 18, pointwise 2*3 = 6, bias 3
        c.add(new Case("SeparableConv2D 3x3 dilation 2 + silu", () -> new SeparableConv2D(3, 3).dilationRate(2)
                .activation(Activation.SILU), Data.SMOOTH, 27, 27, 6, 6, 2));
        c.add(new Case("GlobalAveragePooling2D", GlobalAveragePooling2D::new, Data.SMOOTH, 0, 0, 3, 4, 2));
        c.add(new Case("GlobalMaxPooling2D keepdims", () -> new GlobalMaxPooling2D().keepDims(true), Data.DISTINCT, 0, 0, 3, 4, 2));
        c.add(new Case("ZeroPadding2D ((1, 2), (0, 1))", () -> new ZeroPadding2D(1, 2, 0, 1), Data.SMOOTH, 0, 0, 3, 3, 2));
        c.add(new Case("Cropping2D ((1, 0), (1, 2))", () -> new Cropping2D(1, 0, 1, 2), Data.SMOOTH, 0, 0, 5, 6, 2));
        c.add(new Case("UpSampling2D (2, 3)", () -> new UpSampling2D(2, 3), Data.SMOOTH, 0, 0, 2, 3, 2));
        c.add(new Case("Reshape (-1, 6)", () -> new Reshape(-1, 6), Data.SMOOTH, 0, 0, 2, 3, 2));
        c.add(new Case("SpatialDropout2D(0.5)", () -> new SpatialDropout2D(0.5), Data.SMOOTH, 0, 0, 3, 3, 4));
        c.add(new Case("LeakyReLU(0.1)", () -> new LeakyReLU(0.1), Data.KINKED, 0, 0, 2, 3, 2));
        // w of 2 channels trains; calls (1 value) does not
        c.add(new Case("custom layer", () -> new ScaleLayer(0.25), Data.SMOOTH, 3, 2, 2, 3, 2));
        // the preprocessing layers (their many configurations are in LayerGradientTest)
        c.add(new Case("Rescaling(0.5, 0.1)", () -> new Rescaling(0.5, 0.1), Data.SMOOTH, 0, 0, 3, 4, 2));
        // not adapted: its statistics are weights, mean and variance of 2 channels, that do not train
        c.add(new Case("Normalization per channel", Normalization::new, Data.SMOOTH, 4, 0, 3, 4, 2));
        c.add(new Case("Normalization given, inverted", () -> new Normalization().invert(true)
                .meanAndVariance(new double[] {0.5, -1}, new double[] {4, 0.25}), Data.SMOOTH, 0, 0, 3, 4, 2));
        c.add(new Case("Resizing 5x4 to 3x7", () -> new Resizing(3, 7), Data.SMOOTH, 0, 0, 5, 4, 2));
        c.add(new Case("RandomFlip", RandomFlip::new, Data.SMOOTH, 0, 0, 3, 4, 2));
        c.add(new Case("RandomTranslation 0.4, constant fill", () -> new RandomTranslation(0.4, 0.4)
                .fillMode(FillMode.CONSTANT).fillValue(0.25), Data.SMOOTH, 0, 0, 5, 4, 2));
        c.add(new Case("RandomRotation 0.2", () -> new RandomRotation(0.2), Data.SMOOTH, 0, 0, 4, 4, 1));
        c.add(new Case("RandomZoom 0.5 and 0.3, wrap", () -> new RandomZoom(0.5, 0.3).fillMode(FillMode.WRAP),
                Data.SMOOTH, 0, 0, 5, 4, 2));
        c.add(new Case("RandomContrast 0.5", () -> new RandomContrast(0.5).valueRange(-10, 10), Data.SMOOTH, 0, 0, 3, 4, 2));
        c.add(new Case("RandomCrop 3x4 of 5x6", () -> new RandomCrop(3, 4), Data.SMOOTH, 0, 0, 5, 6, 2));
        return c;
    }

    static Stream<Named<Case>> namedCases() {
        return cases().stream().map(c -> Named.of(c.name(), c));
    }

    static Stream<Arguments> casesWithKernels() {
        return LayerGradientTest.kernels().flatMap(k -> cases().stream()
                .map(c -> Arguments.of(Named.of(c.name(), c), Named.of(k.name(), k))));
    }

    @Test
    void everyLayerTypeHasACase() {
        Set<String> covered = new TreeSet<>();
        for (Case c : cases()) {
            covered.add(c.layer().get().typeName());
        }
        Set<String> expected = new TreeSet<>(Layers.TYPES);
        expected.add(ScaleLayer.TYPE);
        assertEquals(expected, covered);
    }

    private static Layer built(Case c) {
        Layer layer = c.layer().get();
        layer.build(Shape.of(c.dims()), 0, layer.defaultNamePrefix(), new SplittableRandom(7));
        return layer;
    }

    private static int batch(Case c) {
        return c.dims().length == 1 ? VECTORS : IMAGES;
    }

    /** Input and weights of the case's kind, from a seed of its name; variances positive. */
    private static float[] prepare(Case c, Layer layer) {
        SplittableRandom rng = new SplittableRandom(c.name().hashCode());
        int len = batch(c) * layer.inputShape().size();
        float[] in = switch (c.data()) {
            case SMOOTH -> uniform(rng, len, -1, 1);
            case KINKED -> oddLattice(rng, len, 1.0 / 8, 4);
            case DISTINCT -> distinct(rng, len, 0.05);
        };
        for (Parameter p : layer.weights()) {
            if (p.name().equals("moving_variance") || p.name().equals("variance")) {
                p.set(uniform(rng, p.size(), 0.5, 1.5));
            } else if (c.data() == Data.KINKED) {
                p.set(p.name().equals("bias") ? oddLattice(rng, p.size(), 1.0 / 64, 3) : lattice(rng, p.size(), 1.0 / 4, 2));
            } else {
                p.set(uniform(rng, p.size(), -0.5, 0.5));
            }
        }
        return in;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedCases")
    void buildsWithTheStatedShapesAndCounts(Case c) {
        Layer layer = built(c);
        Shape input = Shape.of(c.dims());
        assertEquals(c.layer().get().computeOutputShape(input), layer.outputShape(), "computeOutputShape without building");
        assertEquals(layer.weights().stream().map(p -> new WeightShape(p.name(), p.shape(), p.trainable())).toList(),
                c.layer().get().weightShapes(input), "weightShapes without building: what building creates");
        assertEquals(c.params(), layer.countParams(), "parameters");
        assertEquals(c.trainable(), layer.countTrainableParams(), "trainable parameters");
        assertEquals(c.params(), Layer.count(layer.parameters()) + Layer.count(layer.nonTrainableWeights()), "all weights");
        boolean seenNonTrainable = false;
        Set<String> names = new HashSet<>();
        for (Parameter p : layer.weights()) {
            assertTrue(names.add(p.name()), "weight names are unique: " + p.name());
            assertFalse(seenNonTrainable && p.trainable(), "Keras's order: trainable weights first, found " + p.path());
            seenNonTrainable |= !p.trainable();
            assertEquals(layer.name() + "/" + p.name(), p.path());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedCases")
    void configRoundTripsDirectlyAndThroughJson(Case c) throws Exception {
        Layer layer = built(c);
        Map<String, Object> config = layer.config();
        @SuppressWarnings("unchecked")
        Map<String, Object> viaJson = (Map<String, Object>) Json.parse(Json.write(config));
        for (Map<String, ?> source : List.of(config, viaJson)) {
            Layer made = Layers.fromConfig(layer.typeName(), source);
            assertFalse(made.isBuilt());
            assertEquals(config, made.config());
            made.build(Shape.of(c.dims()), 0, "copy", new SplittableRandom(8));
            assertEquals(layer.outputShape(), made.outputShape());
            assertEquals(layer.weights().stream().map(p -> p.name() + p.shape() + p.trainable()).toList(),
                    made.weights().stream().map(p -> p.name() + p.shape() + p.trainable()).toList());
            assertEquals(layer.isTrainable(), made.isTrainable());
        }
    }

    /** The step's outputs and gradients on one path, for the same layer, input and output gradient. */
    private record Run(float[] out, float[] dIn, float[][] grads) {
    }

    private static Run run(Case c, Kernels kernels) {
        Layer layer = built(c);
        float[] in = prepare(c, layer);
        int n = batch(c);
        float[] out = new float[n * layer.outputShape().size()];
        LayerHarness h = new LayerHarness(layer, kernels, n);
        h.forward(out, in, n, true, 42L);
        float[] dOut = uniform(new SplittableRandom(11), out.length, -1, 1);
        float[] dIn = new float[in.length];
        h.backward(dIn, dOut, in, out, n);
        float[][] grads = new float[h.grads().length][];
        for (int p = 0; p < grads.length; p++) {
            grads[p] = h.grads()[p].clone();
        }
        return new Run(out, dIn, grads);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("namedCases")
    void everyPathGivesTheReferenceBits(Case c) {
        List<Kernels> paths = LayerGradientTest.kernels().toList();
        Run reference = run(c, paths.get(0));
        for (float v : reference.out()) {
            assertTrue(Float.isFinite(v), "finite output");
        }
        for (Kernels k : paths.subList(1, paths.size())) {
            Run other = run(c, k);
            assertBits(k.name() + " output", reference.out(), other.out());
            assertBits(k.name() + " input gradient", reference.dIn(), other.dIn());
            assertEquals(reference.grads().length, other.grads().length);
            for (int p = 0; p < reference.grads().length; p++) {
                assertBits(k.name() + " gradient " + p, reference.grads()[p], other.grads()[p]);
            }
        }
    }

    private static void assertBits(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + "[" + i + "]: " + actual[i] + ", the reference " + expected[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0} with {1} kernels")
    @MethodSource("casesWithKernels")
    void backwardMatchesCentralDifferences(Case c, Kernels kernels) {
        Layer layer = built(c);
        float[] in = prepare(c, layer);
        GradientCheck.check(c.name(), layer, kernels, in, batch(c), 12345L);
    }
}
