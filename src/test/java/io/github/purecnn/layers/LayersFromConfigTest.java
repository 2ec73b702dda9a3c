package io.github.purecnn.layers;

import io.github.purecnn.image.FillMode;
import io.github.purecnn.image.Interpolation;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Layers#fromConfig} inverts {@code typeName()} and {@code config()} for every layer type. */
class LayersFromConfigTest {

    /** One layer of every type, with non-default arguments where there are any. */
    private static List<Layer> everyType() {
        return List.of(
                new Rescaling(1 / 255.0, -0.5),
                new Normalization().axis(1, -1).invert(true).meanAndVariance(new double[] {0.5, 1}, new double[] {2, 3}),
                new Resizing(10, 9).interpolation(Interpolation.NEAREST).cropToAspectRatio(true),
                new RandomCrop(8, 8),
                new RandomFlip(RandomFlip.Mode.VERTICAL),
                new RandomTranslation(0.1, 0.2).widthFactor(-0.3, 0.1).fillMode(FillMode.CONSTANT).fillValue(0.5),
                new RandomRotation(0.25).factor(0.1, -0.2).interpolation(Interpolation.NEAREST),
                new RandomZoom(0.2, 0.3).fillMode(FillMode.WRAP),
                new RandomZoom(0.1).named("zoom_same_axes"),
                new RandomContrast(0.2, 0.4).valueRange(0, 1),
                new Conv2D(4, 3, 2).strides(2, 1).padding(Padding.SAME).activation(Activation.SIGMOID).useBias(false),
                new ZeroPadding2D(1, 2, 0, 3),
                new Cropping2D(1, 0, 2, 1),
                new UpSampling2D(2, 1),
                new DepthwiseConv2D(3, 2).depthMultiplier(2).dilationRate(2, 1).padding(Padding.SAME)
                        .activation(Activation.GELU).useBias(false),
                new BatchNormalization().momentum(0.9).epsilon(1e-4).center(false).trainable(false),
                new SeparableConv2D(3, 2).strides(2).depthMultiplier(2).activation(Activation.ELU),
                new SpatialDropout2D(0.2),
                new LeakyReLU(0.05),
                new MaxPooling2D(2, 3).strides(1, 2).padding(Padding.SAME),
                new AveragePooling2D(2),
                new ActivationLayer(Activation.TANH),
                new Dropout(0.3),
                new GlobalMaxPooling2D().keepDims(true),
                new GlobalAveragePooling2D(),
                new Reshape(1, -1, 1),
                new Flatten().named("flat"),
                new Dense(5).activation(Activation.RELU).useBias(false));
    }

    @Test
    void everyTypeRoundTripsThroughItsConfig() {
        List<Layer> originals = everyType();
        Sequential model = new Sequential(1, Shape.of(8, 8, 2), originals.toArray(new Layer[0]));
        assertEquals(Layers.TYPES, new TreeSet<>(originals.stream().map(Layer::typeName).toList()),
                "the test covers every type the factory knows");
        Sequential copy = new Sequential(1, Shape.of(8, 8, 2));
        for (Layer l : model.layers()) {
            Layer made = Layers.fromConfig(l.typeName(), l.config());
            assertFalse(made.isBuilt());
            copy.add(made);
            assertEquals(l.config(), made.config(), l.typeName());
            assertEquals(l.outputShape(), made.outputShape(), l.typeName());
        }
    }

    @Test
    void keysWithKerasDefaultsMayBeLeftOut() {
        Layer conv = Layers.fromConfig("Conv2D", Map.of("filters", 6L, "kernel_size", 3L));
        assertEquals(new Conv2D(6, 3).config().entrySet().stream().skip(1).toList(),
                conv.config().entrySet().stream().skip(1).toList());
        Layer pool = Layers.fromConfig("MaxPooling2D", Map.of("pool_size", List.of(2L, 3L)));
        assertEquals(List.of(2, 3), pool.config().get("strides"), "strides default to the pool size, as in Keras");
        assertEquals("flat", Layers.fromConfig("Flatten", Map.of("name", "flat")).name());
    }

    /** Keras's other spellings: margins as one integer or a pair, LeakyReLU's old alpha, BatchNormalization's axis as a list. */
    @Test
    void kerasSpellingsAreRead() {
        assertEquals(List.of(List.of(2, 2), List.of(2, 2)), Layers.fromConfig("ZeroPadding2D", Map.of("padding", 2L)).config().get("padding"));
        assertEquals(List.of(List.of(1, 1), List.of(3, 3)),
                Layers.fromConfig("Cropping2D", Map.of("cropping", List.of(1L, 3L))).config().get("cropping"));
        assertEquals(List.of(List.of(1, 1), List.of(1, 1)), Layers.fromConfig("ZeroPadding2D", Map.of()).config().get("padding"),
                "Keras's default padding 1");
        assertEquals(0.25, Layers.fromConfig("LeakyReLU", Map.of("alpha", 0.25)).config().get("negative_slope"));
        assertEquals(0.3, (double) Layers.fromConfig("LeakyReLU", Map.of()).config().get("negative_slope"), 1e-7);
        Layer bn = Layers.fromConfig("BatchNormalization", Map.of("axis", List.of(3L)));
        bn.build(Shape.of(4, 4, 2), 0, "bn", new java.util.SplittableRandom(1));
        assertEquals(Shape.of(4, 4, 2), bn.outputShape());
        assertEquals("silu", Layers.fromConfig("Activation", Map.of("activation", "swish")).config().get("activation"));
        assertEquals(List.of(2, 2), Layers.fromConfig("UpSampling2D", Map.of()).config().get("size"));
    }

    /** Keras's defaults for the preprocessing layers, as Keras's constructors have them. */
    @Test
    void preprocessingKeysWithKerasDefaultsMayBeLeftOut() {
        assertEquals(Map.of("name", "r", "scale", 0.5, "offset", 0.0), Layers.fromConfig("Rescaling",
                Map.of("name", "r", "scale", 0.5)).config());
        Map<String, Object> normalization = new LinkedHashMap<>();
        normalization.put("axis", List.of(-1));
        normalization.put("invert", false);
        normalization.put("mean", null);
        normalization.put("variance", null);
        assertEquals(normalization, without(Layers.fromConfig("Normalization", Map.of()).config()));
        normalization.put("axis", List.of());
        Map<String, Object> axisNone = new LinkedHashMap<>();
        axisNone.put("axis", null);
        assertEquals(normalization, without(Layers.fromConfig("Normalization", axisNone).config()), "axis None");
        normalization.put("axis", List.of(3));
        assertEquals(normalization, without(Layers.fromConfig("Normalization", Map.of("axis", 3L)).config()), "one integer");
        assertEquals(List.of(List.of(1.0, 2.0)), Layers.fromConfig("Normalization", Map.of("axis", List.of(1L, 2L),
                "mean", List.of(List.of(1L, 2L)), "variance", List.of(List.of(1L, 1L)))).config().get("mean"));
        assertEquals(Map.of("height", 4, "width", 5, "interpolation", "bilinear", "crop_to_aspect_ratio", false),
                without(Layers.fromConfig("Resizing", Map.of("height", 4L, "width", 5L)).config()));
        assertEquals(Map.of("mode", "horizontal_and_vertical"), without(Layers.fromConfig("RandomFlip", Map.of()).config()));
        Map<String, Object> translation = without(Layers.fromConfig("RandomTranslation",
                Map.of("height_factor", 0.1, "width_factor", List.of(-0.2, 0.3))).config());
        assertEquals(List.of("height_factor", "width_factor", "fill_mode", "interpolation", "fill_value"),
                List.copyOf(translation.keySet()), "Keras's order");
        assertEquals(List.of(0.1, List.of(-0.2, 0.3), "reflect", "bilinear", 0.0), List.copyOf(translation.values()));
        assertEquals(null, Layers.fromConfig("RandomZoom", Map.of("height_factor", 0.2)).config().get("width_factor"));
        assertEquals(List.of(0.0, 255.0), Layers.fromConfig("RandomContrast", Map.of("factor", 0.2)).config()
                .get("value_range"));
    }

    private static Map<String, Object> without(Map<String, Object> config) {
        Map<String, Object> m = new LinkedHashMap<>(config);
        m.remove("name");
        return m;
    }

    @Test
    void badPreprocessingConfigsNameTheTypeAndTheKey() {
        assertMessage(() -> Layers.fromConfig("RandomFlip", Map.of("mode", "diagonal")), "RandomFlip config: key 'mode'",
                "'diagonal'");
        assertMessage(() -> Layers.fromConfig("RandomRotation", Map.of("factor", 0.1, "fill_mode", "mirror")),
                "RandomRotation config: key 'fill_mode'", "'mirror'");
        assertMessage(() -> Layers.fromConfig("Resizing", Map.of("height", 2L, "width", 2L, "interpolation", "bicubic")),
                "Resizing config: key 'interpolation'", "'bicubic'");
        assertMessage(() -> Layers.fromConfig("RandomTranslation", Map.of("height_factor", 1.5, "width_factor", 0.1)),
                "RandomTranslation height_factor", "[-1, 1]", "1.5");
        assertMessage(() -> Layers.fromConfig("RandomZoom", Map.of("height_factor", List.of(0.1, 0.2, 0.3))),
                "key 'height_factor': expected a number or two numbers");
        assertMessage(() -> Layers.fromConfig("RandomContrast", Map.of("factor", 1.5)), "RandomContrast factor", "1.5");
        assertMessage(() -> Layers.fromConfig("RandomContrast", Map.of("factor", 0.1, "value_range", List.of(1L, 0L))),
                "value_range", "low below high");
        assertMessage(() -> Layers.fromConfig("RandomCrop", Map.of("height", 0L, "width", 2L)), "RandomCrop height",
                "found 0");
        assertMessage(() -> Layers.fromConfig("RandomFlip", Map.of("seed", 3L)), "RandomFlip config: unknown key 'seed'");
        assertMessage(() -> Layers.fromConfig("Normalization", Map.of("mean", 1.0)), "'mean' and 'variance' both or neither");
        assertMessage(() -> Layers.fromConfig("Normalization", Map.of("mean", List.of(List.of(1.0), 2.0), "variance", 1.0)),
                "key 'mean': expected a number or nested lists of numbers of one shape");
        assertMessage(() -> Layers.fromConfig("Normalization", Map.of("mean", List.of(1.0, 2.0), "variance", 1.0)),
                "'mean' has shape [2], 'variance' []");
        assertMessage(() -> Layers.fromConfig("Normalization", Map.of("mean", 1.0, "variance", -1.0)),
                "variance must be finite and at least 0", "-1.0");
        assertMessage(() -> new Sequential(1, Shape.of(4, 4, 3), Layers.fromConfig("Normalization",
                Map.of("mean", List.of(1.0, 2.0), "variance", List.of(1.0, 1.0)))), "mean of shape [2] does not broadcast",
                "[3]");
        assertMessage(() -> new Sequential(1, Shape.of(4, 4, 3), Layers.fromConfig("Normalization", Map.of("axis", 0L))),
                "cannot keep the batch axis");
        assertMessage(() -> new Sequential(1, Shape.of(4, 4, 3), Layers.fromConfig("Normalization", Map.of("axis", 4L))),
                "axis 4 is out of range for inputs of rank 4");
        assertMessage(() -> new Sequential(1, Shape.of(12), new RandomFlip()), "RandomFlip expects images", "rank 1");
    }

    @Test
    void unknownTypesKeysAndBadValuesNameTheTypeAndTheKey() {
        assertMessage(() -> Layers.fromConfig("UpSampling2D", Map.of("interpolation", "bilinear")),
                "UpSampling2D config: key 'interpolation'", "'nearest'");
        assertMessage(() -> Layers.fromConfig("BatchNormalization", Map.of("axis", 1L)).build(Shape.of(4, 4, 2), 0, "bn",
                new java.util.SplittableRandom(1)), "last axis only", "found 1");
        assertMessage(() -> Layers.fromConfig("Reshape", Map.of("target_shape", List.of(-1L, -1L))), "one -1");
        assertMessage(() -> Layers.fromConfig("DepthwiseConv2D", Map.of("kernel_size", 3L, "strides", 2L, "dilation_rate", 2L)),
                "strides or a dilation rate");
        assertMessage(() -> Layers.fromConfig("LeakyReLU", Map.of("negative_slope", -0.1)), "negative_slope", ">= 0");
        assertMessage(() -> Layers.fromConfig("BatchNormalization", Map.of("momentum", 1.5)), "momentum", "[0, 1]");
        assertMessage(() -> Layers.fromConfig("ZeroPadding2D", Map.of("padding", List.of(List.of(1L), List.of(1L, 2L)))),
                "key 'padding'", "[[top, bottom], [left, right]]");
        assertMessage(() -> Layers.fromConfig("Conv2D", Map.of("filters", 2L, "kernel_size", 3L, "trainable", "no")),
                "key 'trainable': expected true or false");
        assertMessage(() -> Layers.fromConfig("Conv3D", Map.of()), "unknown layer type 'Conv3D'", "Conv2D");
        assertMessage(() -> Layers.fromConfig("Dense", Map.of("units", 3L, "kernel_constraint", "max_norm")),
                "Dense config: unknown key 'kernel_constraint'");
        assertMessage(() -> Layers.fromConfig("Dense", Map.of()), "Dense config: expected key 'units', found none");
        assertMessage(() -> Layers.fromConfig("Dense", Map.of("units", 2.5)), "key 'units': expected an integer, found 2.5");
        assertMessage(() -> Layers.fromConfig("Conv2D", Map.of("filters", 2L, "kernel_size", List.of(1L, 2L, 3L))),
                "key 'kernel_size': expected two integers");
        assertMessage(() -> Layers.fromConfig("Conv2D", Map.of("filters", 2L, "kernel_size", 3L, "padding", "full")),
                "key 'padding'", "'full'");
        assertMessage(() -> Layers.fromConfig("Dense", Map.of("units", 2L, "activation", "mish")),
                "key 'activation'", "'mish'");
        assertMessage(() -> Layers.fromConfig("Dense", Map.of("units", 2L, "use_bias", "yes")),
                "key 'use_bias': expected true or false");
        assertMessage(() -> Layers.fromConfig("Dropout", Map.of("rate", 1.5)), "dropout rate must be in [0, 1)");
        Map<String, Object> named = new LinkedHashMap<>();
        named.put("name", "a/b");
        assertMessage(() -> Layers.fromConfig("Flatten", named), "contain no '/'");
    }

    private static void assertMessage(Runnable r, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
    }
}
