package io.github.purecnn.keras;

import io.github.purecnn.io.internal.Json;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Layers;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One round trip per layer type purecnn has: a small model holding the layer (its weights,
 * non-trainable ones included, set to random values) is saved as {@code .keras} and {@code .h5}
 * and loaded back; the loaded model has the same layer configs, trainable flags and weights, and
 * predicts bit for bit the same. The {@code .keras} file's config of the layer has the keys Keras
 * 3's {@code get_config} writes for that class ({@code keras/src/layers/...}), and the weights are
 * in Keras's order under Keras's names.
 */
class KerasLayerRoundTripTest {
    /** Keras 3's base Layer config: the keys every layer class writes besides its own. */
    private static final List<String> BASE = List.of("name", "trainable", "dtype");

    @TempDir
    Path dir;

    /**
     * A layer under test: its Keras class, its purecnn config (Keras's names), the input the model
     * feeds it, and its own keys in Keras 3's config.
     */
    record Case(String kerasClass, Map<String, Object> config, Shape input, List<String> keras3Keys) {
        @Override
        public String toString() {
            return kerasClass + " " + config;
        }
    }

    static Stream<Case> cases() {
        Shape image = Shape.of(7, 6, 3);
        List<String> conv = List.of("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
                "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer", "kernel_regularizer",
                "bias_regularizer", "activity_regularizer", "kernel_constraint", "bias_constraint");
        List<String> random = List.of("seed", "data_format");
        return Stream.of(
                new Case("Conv2D", args("filters", 4, "kernel_size", 3, "padding", "same", "dilation_rate", 2,
                        "activation", "gelu", "kernel_regularizer", regularizer("L1L2", "l1", 0.01, "l2", 0.02),
                        "bias_regularizer", regularizer("L2", "l2", 0.5)), image, conv),
                new Case("Dense", args("units", 3, "activation", "selu", "kernel_regularizer",
                        regularizer("L1", "l1", 0.001)), Shape.of(5), List.of("units", "activation", "use_bias",
                        "kernel_initializer", "bias_initializer", "kernel_regularizer", "bias_regularizer",
                        "kernel_constraint", "bias_constraint")),
                new Case("BatchNormalization", args("momentum", 0.9, "epsilon", 0.01), image, List.of("axis",
                        "momentum", "epsilon", "center", "scale", "beta_initializer", "gamma_initializer",
                        "moving_mean_initializer", "moving_variance_initializer", "beta_regularizer",
                        "gamma_regularizer", "beta_constraint", "gamma_constraint", "synchronized")),
                new Case("BatchNormalization", args("center", false), image, List.of("axis", "momentum", "epsilon",
                        "center", "scale", "beta_initializer", "gamma_initializer", "moving_mean_initializer",
                        "moving_variance_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint",
                        "gamma_constraint", "synchronized")),
                new Case("DepthwiseConv2D", args("kernel_size", 3, "depth_multiplier", 2, "padding", "same",
                        "dilation_rate", 2, "activation", "elu"), image, List.of("depth_multiplier", "kernel_size",
                        "strides", "padding", "data_format", "dilation_rate", "activation", "use_bias",
                        "depthwise_initializer", "bias_initializer", "depthwise_regularizer", "bias_regularizer",
                        "activity_regularizer", "depthwise_constraint", "bias_constraint")),
                new Case("SeparableConv2D", args("filters", 4, "kernel_size", 3, "depth_multiplier", 2,
                        "strides", 2, "padding", "same", "activation", "silu"), image, List.of("depth_multiplier",
                        "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
                        "use_bias", "depthwise_initializer", "pointwise_initializer", "bias_initializer",
                        "depthwise_regularizer", "pointwise_regularizer", "bias_regularizer", "activity_regularizer",
                        "depthwise_constraint", "pointwise_constraint", "bias_constraint")),
                new Case("MaxPooling2D", args("pool_size", 2, "strides", 1), image, List.of("pool_size", "padding",
                        "strides", "data_format")),
                new Case("AveragePooling2D", args("pool_size", 3, "padding", "same"), image, List.of("pool_size",
                        "padding", "strides", "data_format")),
                new Case("GlobalAveragePooling2D", args(), image, List.of("data_format", "keepdims")),
                new Case("GlobalMaxPooling2D", args("keepdims", true), image, List.of("data_format", "keepdims")),
                new Case("ZeroPadding2D", args("padding", List.of(List.of(1, 2), List.of(0, 1))), image,
                        List.of("padding", "data_format")),
                new Case("Cropping2D", args("cropping", List.of(List.of(1, 0), List.of(2, 1))), image,
                        List.of("cropping", "data_format")),
                new Case("UpSampling2D", args("size", List.of(2, 3)), image, List.of("size", "data_format",
                        "interpolation")),
                new Case("Flatten", args(), image, List.of("data_format")),
                new Case("Reshape", args("target_shape", List.of(21, 6)), image, List.of("target_shape")),
                new Case("Dropout", args("rate", 0.4), image, List.of("rate", "seed", "noise_shape")),
                // Keras 3's SpatialDropout2D writes no 'trainable'.
                new Case("SpatialDropout2D", args("rate", 0.3), image, List.of("rate", "seed", "data_format")),
                new Case("LeakyReLU", args("negative_slope", 0.1), image, List.of("negative_slope")),
                new Case("Rescaling", args("scale", 1 / 255.0, "offset", -0.5), image, List.of("scale", "offset")),
                new Case("Normalization", args("mean", List.of(0.5, -1.0, 2.0), "variance", List.of(4.0, 0.25, 1.0)),
                        image, List.of("axis", "invert", "mean", "variance")),
                new Case("Normalization", args("axis", List.of()), image, List.of("axis", "invert", "mean",
                        "variance")),
                new Case("Normalization", args("invert", true), image, List.of("axis", "invert", "mean",
                        "variance")),
                new Case("Resizing", args("height", 5, "width", 9, "interpolation", "bilinear"), image,
                        List.of("height", "width", "interpolation", "crop_to_aspect_ratio", "pad_to_aspect_ratio",
                                "fill_mode", "fill_value", "data_format")),
                new Case("RandomFlip", args("mode", "horizontal"), image, List.of("seed", "mode", "data_format")),
                new Case("RandomTranslation", args("height_factor", 0.2, "width_factor", List.of(-0.1, 0.3)),
                        image, concat(List.of("height_factor", "width_factor", "fill_mode", "interpolation",
                        "fill_value"), random)),
                new Case("RandomRotation", args("factor", 0.1, "fill_mode", "constant"), image,
                        concat(List.of("factor", "fill_mode", "fill_value", "interpolation"), random)),
                new Case("RandomZoom", args("height_factor", 0.2, "width_factor", 0.1), image,
                        concat(List.of("height_factor", "width_factor", "fill_mode", "interpolation", "fill_value"),
                                random)),
                new Case("RandomContrast", args("factor", 0.3), image,
                        List.of("factor", "value_range", "seed")),
                new Case("RandomCrop", args("height", 5, "width", 4), image, concat(List.of("height", "width"),
                        random)));
    }

    static Stream<String> activations() {
        return Stream.of("linear", "relu", "sigmoid", "tanh", "softmax", "leaky_relu", "elu", "selu", "gelu", "silu",
                "softplus", "hard_sigmoid", "exponential");
    }

    @Test
    void everyLayerTypeHasACase() {
        TreeSet<String> covered = new TreeSet<>(cases().map(Case::kerasClass).toList());
        covered.add("Activation");
        assertEquals(new TreeSet<>(Layers.TYPES), covered);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aModelWithTheLayerComesBackBitForBit(Case c) throws IOException {
        Map<String, Object> config = new LinkedHashMap<>(c.config());
        config.put("name", "under_test");
        Layer layer = Layers.fromConfig(c.kerasClass(), config);
        // A layer with weights before it (a 1x1 Conv2D on images), and a frozen Dense after it for the trainable flags.
        Layer before = c.input().rank() == 3 ? Layers.fromConfig("Conv2D", Map.of("filters", 3, "kernel_size", 1,
                "name", "before")) : Layers.fromConfig("Dense", Map.of("units", 4, "name", "before"));
        Sequential model = new Sequential(3, c.input(), before, layer, Layers.fromConfig("Flatten", Map.of()),
                Layers.fromConfig("Dense", Map.of("units", 2, "trainable", false, "name", "after")));
        randomize(model, 17);
        Tensor x = images(model.inputShape(), 3, 5);
        float[] expected = model.predict(x).data();

        Sequential fromKeras = roundTrip(model, "layer.keras");
        assertEqualModels(model, fromKeras, x, expected);
        assertEquals(new TreeSet<>(concat(keras3Base(c.kerasClass()), c.keras3Keys())),
                new TreeSet<>(keras3LayerConfig(dir.resolve("layer.keras"), "under_test").keySet()),
                "the keys Keras 3 writes for " + c.kerasClass());
        assertKeras3WeightOrder(dir.resolve("layer.keras"), model);

        Sequential fromH5 = roundTrip(model, "layer.h5");
        assertEqualModels(model, fromH5, x, expected);
        assertKeras2WeightNames(dir.resolve("layer.h5"), model.layers().get(1));
    }

    @ParameterizedTest
    @MethodSource("activations")
    void everyActivationComesBackBitForBit(String activation) throws IOException {
        Sequential model = new Sequential(4, Shape.of(4, 4, 2),
                Layers.fromConfig("Conv2D", Map.of("filters", 3, "kernel_size", 2, "activation", activation)),
                Layers.fromConfig("Activation", Map.of("activation", activation)));
        randomize(model, 5);
        Tensor x = images(model.inputShape(), 2, 9);
        float[] expected = model.predict(x).data();
        assertEqualModels(model, roundTrip(model, "act.keras"), x, expected);
        Map<String, Object> written = keras3LayerConfig(dir.resolve("act.keras"), model.layers().get(1).name());
        assertEquals(activation, written.get("activation"));

        if (activation.equals("hard_sigmoid") || activation.equals("leaky_relu")) {
            // Keras 2 has no leaky_relu activation, and its hard_sigmoid is another function.
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KerasModels.save(model, dir.resolve("act.h5")));
            assertTrue(e.getMessage().contains("activation '" + activation + "'")
                    && e.getMessage().contains("save the model as .keras"), e.getMessage());
            return;
        }
        assertEqualModels(model, roundTrip(model, "act.h5"), x, expected);
    }

    /**
     * Keras 3 writes {@code .h5} files too, in Keras 2's layout: a config in Keras 2's form means
     * what the file's {@code keras_version} says. Keras 3's hard_sigmoid is purecnn's; the same
     * config from Keras 2 means Keras 2's, another function, and is refused.
     */
    @Test
    @SuppressWarnings("unchecked")
    void anH5sKerasVersionDecidesWhatItsActivationsMean() throws IOException {
        Sequential model = new Sequential(1, Shape.of(4, 4, 1), Layers.fromConfig("Conv2D", Map.of("filters", 2,
                "kernel_size", 3, "activation", "hard_sigmoid", "name", "conv")), Layers.fromConfig("Flatten",
                Map.of()));
        randomize(model, 3);
        Tensor x = images(model.inputShape(), 2, 4);
        // Keras 2's form, which purecnn does not write with hard_sigmoid: written with another, then edited.
        Map<String, Object> keras2 = KerasModelConfig.of(new Sequential(1, Shape.of(4, 4, 1),
                Layers.fromConfig("Conv2D", Map.of("filters", 2, "kernel_size", 3, "name", "conv")),
                Layers.fromConfig("Flatten", Map.of())), KerasDialect.KERAS2);
        List<Object> layers = (List<Object>) ((Map<String, Object>) keras2.get("config")).get("layers");
        Map<String, Object> conv = (Map<String, Object>) ((Map<String, Object>) layers.get(1)).get("config");
        assertEquals("linear", conv.put("activation", "hard_sigmoid"));
        String config = Json.write(keras2);
        for (String version : List.of("3.6.0", "2.15.0")) {
            Path h5 = dir.resolve("written-by-" + version + ".h5");
            H5Writer.writeAtomically(h5, root -> {
                root.putAttribute("keras_version", version);
                root.putAttribute("backend", "tensorflow");
                root.putAttribute("model_config", config);
                KerasH5File.writeWeights(model, root.putGroup("model_weights"));
            });
            if (version.startsWith("3")) {
                assertArrayEquals(model.predict(x).data(), KerasModels.load(h5).predict(x).data(), version);
            } else {
                UnsupportedKerasModelException e = assertThrows(UnsupportedKerasModelException.class,
                        () -> KerasModels.load(h5));
                assertTrue(e.getMessage().contains("layer 'conv' (Conv2D) argument 'activation': Keras 2's"
                        + " hard_sigmoid is clip(0.2 x + 0.5, 0, 1)"), e.getMessage());
            }
        }
    }

    @Test
    void aValueKeras2CannotHoldIsRefusedWhenSavingAsH5() {
        Sequential model = new Sequential(1, Shape.of(4, 4, 1), Layers.fromConfig("RandomContrast",
                Map.of("factor", 0.2, "value_range", List.of(0, 1), "name", "contrast")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasModels.save(model, dir.resolve("contrast.h5")));
        assertTrue(e.getMessage().contains("layer 'contrast' (RandomContrast) value_range [0.0,1.0]: Keras 2's"
                + " RandomContrast has no such argument"), e.getMessage());
    }

    @Test
    void aFrozenModelComesBackFrozen() throws IOException {
        Sequential model = new Sequential(2, Shape.of(5, 5, 2), Layers.fromConfig("Conv2D", Map.of("filters", 2,
                "kernel_size", 3)), Layers.fromConfig("BatchNormalization", Map.of()),
                Layers.fromConfig("Flatten", Map.of()), Layers.fromConfig("Dense", Map.of("units", 2)));
        model.trainable(false);
        for (String name : List.of("frozen.keras", "frozen.h5")) {
            Sequential again = roundTrip(model, name);
            assertTrue(again.layers().stream().noneMatch(Layer::isTrainable), name);
            assertEquals(0, again.layers().stream().mapToInt(l -> l.trainableWeights().size()).sum(),
                    name + ": no trainable weights");
            assertEquals(model.weights().size(), again.weights().size(), name);
        }
    }

    // ---- helpers ----

    private Sequential roundTrip(Sequential model, String name) throws IOException {
        Path file = dir.resolve(name);
        KerasModels.save(model, file);
        return KerasModels.load(file);
    }

    private static void assertEqualModels(Sequential model, Sequential again, Tensor x, float[] expected) {
        assertEquals(model.layers().size(), again.layers().size());
        for (int i = 0; i < model.layers().size(); i++) {
            Layer a = model.layers().get(i);
            Layer b = again.layers().get(i);
            assertEquals(a.typeName(), b.typeName());
            assertEquals(a.name(), b.name());
            assertEquals(a.config(), b.config(), a.name());
            assertEquals(a.isTrainable(), b.isTrainable(), a.name() + " trainable");
            assertEquals(a.weights().size(), b.weights().size(), a.name());
            for (int w = 0; w < a.weights().size(); w++) {
                assertEquals(a.weights().get(w).name(), b.weights().get(w).name());
                assertArrayEquals(a.weights().get(w).value(), b.weights().get(w).value(), a.weights().get(w).path());
            }
        }
        assertArrayEquals(expected, again.predict(x).data(), "predictions bit for bit");
    }

    /** Every weight random; those that must be positive (variances) in [0.5, 1.5). */
    private static void randomize(Sequential model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Parameter p : model.weights()) {
            boolean positive = p.name().contains("variance");
            float[] v = new float[p.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (positive ? 0.5 + random.nextDouble() : random.nextDouble(-1, 1));
            }
            p.set(v);
        }
    }

    private static Tensor images(Shape sample, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[count * sample.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble(-2, 2);
        }
        return new Tensor(sample.withBatch(count), x);
    }

    /** Keras 3's spatial dropout layers write no 'trainable'. */
    private static List<String> keras3Base(String kerasClass) {
        return kerasClass.equals("SpatialDropout2D") ? List.of("name", "dtype") : BASE;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> keras3LayerConfig(Path keras, String layer) throws IOException {
        try (ZipFile zip = new ZipFile(keras.toFile())) {
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(zip.getInputStream(
                    zip.getEntry(KerasArchive.CONFIG)).readAllBytes(), StandardCharsets.UTF_8));
            List<Object> layers = (List<Object>) ((Map<String, Object>) root.get("config")).get("layers");
            for (Object o : layers) {
                Map<String, Object> config = (Map<String, Object>) ((Map<String, Object>) o).get("config");
                if (layer.equals(config.get("name"))) {
                    return config;
                }
            }
            throw new AssertionError("no layer '" + layer + "' in " + layers);
        }
    }

    /**
     * Keras 3 keeps each layer's variables under {@code layers/<key>/vars/<i>} in its weights'
     * order: trainable first, then the others (BatchNormalization's gamma, beta, moving_mean,
     * moving_variance), and Normalization's count last.
     */
    private static void assertKeras3WeightOrder(Path keras, Sequential model) throws IOException {
        Layer layer = model.layers().get(1);
        List<String> keys = KerasWeights.keras3Keys(model.layers().stream().map(Layer::typeName).toList());
        Path weights = keras.resolveSibling("weights-of-" + keras.getFileName() + ".h5");
        try (ZipFile zip = new ZipFile(keras.toFile())) {
            java.nio.file.Files.write(weights, zip.getInputStream(zip.getEntry(KerasArchive.WEIGHTS)).readAllBytes());
        }
        try (HdfFile h5 = new HdfFile(weights)) {
            String vars = "layers/" + keys.get(1) + "/vars/";
            List<Parameter> expected = layer.weights();
            for (int i = 0; i < expected.size(); i++) {
                Dataset d = (Dataset) h5.getByPath(vars + i);
                Object data = d.getData();
                float[] values = d.getDimensions().length == 0 ? new float[] {((Number) data).floatValue()}
                        : flatten(d.getDataFlat());
                assertArrayEquals(expected.get(i).value(), values, vars + i + " holds " + expected.get(i).name());
            }
            boolean count = layer.typeName().equals("Normalization") && !expected.isEmpty();
            int stored = ((io.jhdf.api.Group) h5.getByPath("layers/" + keys.get(1) + "/vars")).getChildren().size();
            assertEquals(expected.size() + (count ? 1 : 0), stored, "variables of " + layer.name());
            if (count) {
                Dataset c = (Dataset) h5.getByPath(vars + expected.size());
                assertEquals(Long.valueOf(0), c.getData(), "Normalization's count, int64, written 0");
            }
        }
    }

    /** Keras 2 names each weight {@code <layer>/<weight>:0}, DepthwiseConv2D's kernel {@code depthwise_kernel}. */
    private static void assertKeras2WeightNames(Path h5File, Layer layer) throws IOException {
        List<String> expected = new ArrayList<>();
        for (Parameter p : layer.weights()) {
            String name = layer.typeName().equals("DepthwiseConv2D") && p.name().equals("kernel")
                    ? "depthwise_kernel" : p.name();
            expected.add(layer.name() + "/" + name + ":0");
        }
        if (layer.typeName().equals("Normalization") && !expected.isEmpty()) {
            expected.add(layer.name() + "/count:0");
        }
        try (HdfFile h5 = new HdfFile(h5File)) {
            io.jhdf.api.Node group = h5.getByPath("model_weights/" + layer.name());
            List<String> names = expected.isEmpty() && group.getAttribute("weight_names") == null ? List.of()
                    : Arrays.asList((String[]) group.getAttribute("weight_names").getData());
            assertEquals(expected, names, "weight_names of " + layer.name());
        }
    }

    private static float[] flatten(Object flat) {
        if (flat instanceof float[] f) {
            return f;
        }
        double[] d = (double[]) flat;
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static Map<String, Object> args(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> regularizer(String className, Object... keyValues) {
        return args("class_name", className, "config", args(keyValues));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
