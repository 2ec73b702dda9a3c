package io.github.purecnn.layers;

import io.github.purecnn.image.FillMode;
import io.github.purecnn.regularizers.Regularizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Makes layers from their Keras type name and config, the inverse of {@link Layer#typeName()}
 * and {@link Layer#config()}: {@code fromConfig(l.typeName(), l.config())} is an unbuilt layer
 * with the same config. Used to read model files, whose architecture is such a list.
 *
 * <p>Keys Keras gives defaults ({@code strides}, {@code padding}, {@code dilation_rate}, {@code activation},
 * {@code use_bias}, {@code name}, {@code trainable}, the {@code *_regularizer}s, and those of the
 * preprocessing layers: {@code offset}, {@code axis}, {@code mode}, {@code fill_mode},
 * {@code interpolation}, {@code value_range}, ...) may be absent and take Keras's default; the
 * others are required. A regularizer is Keras's serialized form
 * ({@code {"class_name": "L2", "config": {"l2": 0.01}}}) or null; every layer that names
 * regularizable weights takes one per weight. An unknown key is an error rather than ignored,
 * since a key this library does not implement would change what the layer computes. Integers may
 * come as any {@link Number} with an integral value, as JSON gives them.
 *
 * <p>Custom layers ({@link CustomLayer}) join by {@link #register}ing a factory under their type
 * name, as Keras's {@code register_keras_serializable}; models that contain them then save and load.
 */
public final class Layers {
    /** The type names {@link #fromConfig} knows without registration. */
    public static final Set<String> TYPES = Set.of("Conv2D", "Dense", "MaxPooling2D", "AveragePooling2D", "Flatten",
            "Dropout", "Activation", "BatchNormalization", "DepthwiseConv2D", "SeparableConv2D", "GlobalAveragePooling2D",
            "GlobalMaxPooling2D", "ZeroPadding2D", "Cropping2D", "UpSampling2D", "Reshape", "SpatialDropout2D", "LeakyReLU",
            "Rescaling", "Normalization", "Resizing", "RandomFlip", "RandomTranslation", "RandomRotation", "RandomZoom",
            "RandomContrast", "RandomCrop");

    private static final Map<String, Function<LayerConfig, ? extends Layer>> CUSTOM = new ConcurrentHashMap<>();

    private Layers() {
    }

    /**
     * Registers a custom layer type, so that {@link #fromConfig} (and loading a model file) can make
     * it: {@code factory} gets the layer's config (its {@link Layer#arguments()} as saved, typed
     * through {@link LayerConfig}) and returns a new, unbuilt layer; the name and the trainable flag
     * are set afterwards. Registering a type again replaces its factory.
     * <pre>{@code Layers.register("Scale", c -> new Scale(c.number("initial")));}</pre>
     *
     * @param type the layer's {@link Layer#typeName()}, the {@code class_name} its model files hold
     * @param factory makes an unbuilt layer from its config; it must read every key (a key left unread is
     *     refused as unknown)
     * @throws IllegalArgumentException for a built-in type name or a blank one
     * @throws NullPointerException if {@code type} or {@code factory} is null
     */
    public static void register(String type, Function<LayerConfig, ? extends Layer> factory) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factory, "factory");
        if (type.isBlank() || TYPES.contains(type)) {
            throw new IllegalArgumentException("cannot register a custom layer type named '" + type + "'"
                    + (type.isBlank() ? "" : ": it is a built-in type"));
        }
        CUSTOM.put(type, factory);
    }

    /**
     * The custom layer types registered so far.
     *
     * @return an unmodifiable copy of the registered type names
     */
    public static Set<String> registeredTypes() {
        return Set.copyOf(CUSTOM.keySet());
    }

    /**
     * A new, unbuilt layer of Keras type {@code type} with the arguments in {@code config}.
     *
     * @param type a Keras class name, one of {@link #TYPES} or a registered one
     * @param config the layer's config as {@link Layer#config()} gives it or a model file holds it: Keras
     *     argument names to numbers, strings, booleans, lists, maps or null
     * @return the new layer, named if the config has a name
     * @throws IllegalArgumentException naming the type and the key when the type is unknown, a required key
     *     is missing, a key is unknown, or a value has the wrong type or range
     * @throws NullPointerException if {@code type} or {@code config} is null
     */
    public static Layer fromConfig(String type, Map<String, ?> config) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        LayerConfig a = new LayerConfig(type, config);
        boolean builtIn = TYPES.contains(type);
        Layer layer = builtIn ? builtIn(type, a) : custom(type, a);
        Object name = config.get("name");
        if (name != null) {
            layer.named(a.string("name", null));
        }
        layer.trainable(a.bool("trainable", true));
        for (String weight : layer.regularizableWeights()) {
            String key = weight + "_regularizer";
            if (a.has(key)) {
                try {
                    layer.regularize(weight, Regularizer.fromConfig(config.get(key)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(type + " config: key '" + key + "': " + e.getMessage(), e);
                }
            }
        }
        if (!builtIn && !a.unread().isEmpty()) {
            throw new IllegalArgumentException(type + " config: unknown key '" + a.unread().iterator().next()
                    + "': the factory registered for '" + type + "' did not read it");
        }
        return layer;
    }

    private static Layer custom(String type, LayerConfig a) {
        Function<LayerConfig, ? extends Layer> factory = CUSTOM.get(type);
        if (factory == null) {
            Set<String> known = new TreeSet<>(TYPES);
            known.addAll(CUSTOM.keySet());
            throw new IllegalArgumentException("unknown layer type '" + type + "', expected one of " + known
                    + " (custom layers: Layers.register their type first)");
        }
        Layer layer = factory.apply(a);
        if (layer == null || !type.equals(layer.typeName()) || layer.isBuilt()) {
            throw new IllegalArgumentException("the factory registered for '" + type + "' made "
                    + (layer == null ? "nothing" : (layer.isBuilt() ? "a built layer of type '" : "a layer of type '")
                    + layer.typeName() + "'") + ", expected a new, unbuilt '" + type + "'");
        }
        return layer;
    }

    private static Layer builtIn(String type, LayerConfig a) {
        return switch (type) {
            case "Conv2D" -> {
                a.allow("filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias",
                        "kernel_regularizer", "bias_regularizer");
                int[] kernel = a.pair("kernel_size", null);
                yield convolution(new Conv2D(a.integer("filters"), kernel[0], kernel[1]), a);
            }
            case "DepthwiseConv2D" -> {
                a.allow("depth_multiplier", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias");
                int[] kernel = a.pair("kernel_size", null);
                yield convolution(new DepthwiseConv2D(kernel[0], kernel[1]), a).depthMultiplier(a.integer("depth_multiplier", 1));
            }
            case "SeparableConv2D" -> {
                a.allow("filters", "kernel_size", "strides", "padding", "dilation_rate", "depth_multiplier", "activation",
                        "use_bias");
                int[] kernel = a.pair("kernel_size", null);
                yield convolution(new SeparableConv2D(a.integer("filters"), kernel[0], kernel[1]), a)
                        .depthMultiplier(a.integer("depth_multiplier", 1));
            }
            case "Dense" -> {
                a.allow("units", "activation", "use_bias", "kernel_regularizer", "bias_regularizer");
                yield new Dense(a.integer("units")).activation(a.activation()).useBias(a.bool("use_bias", true));
            }
            case "MaxPooling2D", "AveragePooling2D" -> {
                a.allow("pool_size", "strides", "padding");
                int[] pool = a.pair("pool_size", null);
                Pooling2D p = type.equals("MaxPooling2D") ? new MaxPooling2D(pool[0], pool[1])
                        : new AveragePooling2D(pool[0], pool[1]);
                // Keras: strides default to the pool size, and so does the constructor.
                int[] strides = a.pair("strides", pool);
                yield p.strides(strides[0], strides[1]).padding(a.padding());
            }
            case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> {
                a.allow("keepdims");
                GlobalPooling2D p = type.equals("GlobalMaxPooling2D") ? new GlobalMaxPooling2D() : new GlobalAveragePooling2D();
                yield p.keepDims(a.bool("keepdims", false));
            }
            case "BatchNormalization" -> {
                a.allow("axis", "momentum", "epsilon", "center", "scale");
                yield new BatchNormalization().axis(axis(a)).momentum(a.number("momentum", 0.99))
                        .epsilon(a.number("epsilon", 1e-3)).center(a.bool("center", true)).scale(a.bool("scale", true));
            }
            case "ZeroPadding2D" -> {
                a.allow("padding");
                int[] m = a.margins("padding", 1);
                yield new ZeroPadding2D(m[0], m[1], m[2], m[3]);
            }
            case "Cropping2D" -> {
                a.allow("cropping");
                int[] m = a.margins("cropping", 0);
                yield new Cropping2D(m[0], m[1], m[2], m[3]);
            }
            case "UpSampling2D" -> {
                a.allow("size", "interpolation");
                String interpolation = a.string("interpolation", UpSampling2D.NEAREST);
                if (!interpolation.equals(UpSampling2D.NEAREST)) {
                    throw a.wrong("interpolation", "'" + UpSampling2D.NEAREST + "' (the only one implemented)");
                }
                int[] size = a.pair("size", new int[] {2, 2});
                yield new UpSampling2D(size[0], size[1]);
            }
            case "Reshape" -> {
                a.allow("target_shape");
                yield new Reshape(a.integers("target_shape"));
            }
            case "Flatten" -> {
                a.allow();
                yield new Flatten();
            }
            case "Dropout" -> {
                a.allow("rate");
                yield new Dropout(a.number("rate"));
            }
            case "SpatialDropout2D" -> {
                a.allow("rate");
                yield new SpatialDropout2D(a.number("rate"));
            }
            case "Activation" -> {
                a.allow("activation");
                yield new ActivationLayer(Activation.fromKerasName(a.string("activation", null)));
            }
            case "LeakyReLU" -> {
                // Keras 2 called the slope alpha; Keras 3 still reads it.
                a.allow("negative_slope", "alpha");
                yield new LeakyReLU(a.number("negative_slope", a.number("alpha", LeakyReLU.DEFAULT_NEGATIVE_SLOPE)));
            }
            case "Rescaling" -> {
                a.allow("scale", "offset");
                yield new Rescaling(a.number("scale"), a.number("offset", 0));
            }
            case "Normalization" -> normalization(a);
            case "Resizing" -> {
                a.allow("height", "width", "interpolation", "crop_to_aspect_ratio");
                yield new Resizing(a.integer("height"), a.integer("width"))
                        .interpolation(a.interpolation())
                        .cropToAspectRatio(a.bool("crop_to_aspect_ratio", false));
            }
            case "RandomFlip" -> {
                a.allow("mode");
                yield new RandomFlip(a.parsed("mode", RandomFlip.Mode.HORIZONTAL_AND_VERTICAL.kerasName(),
                        RandomFlip.Mode::fromKerasName));
            }
            case "RandomTranslation" -> {
                a.allow("height_factor", "width_factor", "fill_mode", "interpolation", "fill_value");
                yield sampling(a, new RandomTranslation(0, 0).factors(a.factor("height_factor"), a.factor("width_factor")));
            }
            case "RandomRotation" -> {
                a.allow("factor", "fill_mode", "interpolation", "fill_value");
                yield sampling(a, new RandomRotation(0).factor(a.factor("factor")));
            }
            case "RandomZoom" -> {
                a.allow("height_factor", "width_factor", "fill_mode", "interpolation", "fill_value");
                Factor width = a.config().get("width_factor") == null ? null : a.factor("width_factor");
                yield sampling(a, new RandomZoom(0).factors(a.factor("height_factor"), width));
            }
            case "RandomContrast" -> {
                a.allow("factor", "value_range");
                double[] range = a.numberPair("value_range", new double[] {0, 255});
                yield new RandomContrast(a.factor("factor")).valueRange(range[0], range[1]);
            }
            case "RandomCrop" -> {
                a.allow("height", "width");
                yield new RandomCrop(a.integer("height"), a.integer("width"));
            }
            default -> throw new IllegalStateException("no factory for the built-in type " + type);
        };
    }

    /** The sampling arguments of RandomTranslation, RandomRotation and RandomZoom, with Keras's defaults. */
    private static <L extends AffineAugmentation<L>> L sampling(LayerConfig a, L layer) {
        return layer.fillMode(a.parsed("fill_mode", FillMode.REFLECT.kerasName(), FillMode::fromKerasName))
                .interpolation(a.interpolation())
                .fillValue(a.number("fill_value", 0));
    }

    /** Normalization: {@code axis} an integer, a list of them or null; {@code mean} and {@code variance} numbers or nested lists, both or neither. */
    private static Normalization normalization(LayerConfig a) {
        a.allow("axis", "invert", "mean", "variance");
        Normalization n = new Normalization().invert(a.bool("invert", false));
        Object axis = a.config().get("axis");
        if (axis instanceof List<?> list) {
            int[] axes = new int[list.size()];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = a.toInt("axis", list.get(i));
            }
            n.axis(axes);
        } else if (a.config().containsKey("axis") && axis == null) {
            n.axis();
        } else if (axis != null) {
            n.axis(a.integer("axis"));
        }
        Object mean = a.config().get("mean");
        Object variance = a.config().get("variance");
        if ((mean == null) != (variance == null)) {
            throw new IllegalArgumentException("Normalization config: expected 'mean' and 'variance' both or neither,"
                    + " found " + (mean == null ? "only 'variance'" : "only 'mean'"));
        }
        if (mean != null) {
            List<Integer> meanShape = new ArrayList<>();
            List<Integer> varianceShape = new ArrayList<>();
            float[] m = a.array("mean", mean, meanShape);
            float[] v = a.array("variance", variance, varianceShape);
            if (!meanShape.equals(varianceShape)) {
                throw new IllegalArgumentException("Normalization config: 'mean' has shape " + meanShape
                        + ", 'variance' " + varianceShape + ": expected the same");
            }
            n.given(m, v, meanShape.stream().mapToInt(Integer::intValue).toArray());
        }
        return n;
    }

    /** The window, activation and bias arguments every convolution shares. */
    private static <T extends Convolution2D<T>> T convolution(T layer, LayerConfig a) {
        int[] strides = a.pair("strides", new int[] {1, 1});
        int[] dilation = a.pair("dilation_rate", new int[] {1, 1});
        return layer.strides(strides[0], strides[1])
                .dilationRate(dilation[0], dilation[1])
                .padding(a.padding())
                .activation(a.activation())
                .useBias(a.bool("use_bias", true));
    }

    /** Keras's {@code axis}: an integer, or a list of one integer as Keras 2 wrote it. */
    private static int axis(LayerConfig a) {
        if (!a.has("axis")) {
            return -1;
        }
        try {
            return a.integer("axis");
        } catch (IllegalArgumentException notAnInteger) {
            int[] axes = a.integers("axis");
            if (axes.length != 1) {
                throw a.wrong("axis", "one axis (the last)");
            }
            return axes[0];
        }
    }
}
