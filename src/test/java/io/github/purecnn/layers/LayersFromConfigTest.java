package io.github.purecnn.layers;

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
        assertMessage(() -> Layers.fromConfig("Dense", Map.of("units", 3L, "kernel_regularizer", "l2")),
                "Dense config: unknown key 'kernel_regularizer'");
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
