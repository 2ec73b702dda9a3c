package io.github.purecnn.layers;

import io.github.purecnn.image.FillMode;
import io.github.purecnn.image.Interpolation;
import io.github.purecnn.io.Json;
import io.github.purecnn.regularizers.Regularizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Makes layers from their Keras type name and config, the inverse of {@link Layer#typeName()}
 * and {@link Layer#config()}: {@code fromConfig(l.typeName(), l.config())} is an unbuilt layer
 * with the same config. Used to read model files, whose architecture is such a list.
 *
 * <p>Keys Keras gives defaults ({@code strides}, {@code padding}, {@code dilation_rate}, {@code activation},
 * {@code use_bias}, {@code name}, the {@code *_regularizer}s, and those of the preprocessing layers:
 * {@code offset}, {@code axis}, {@code mode}, {@code fill_mode}, {@code interpolation},
 * {@code value_range}, ...) may be absent and take Keras's default; the others are required. A
 * regularizer is Keras's serialized form ({@code {"class_name": "L2", "config": {"l2": 0.01}}}) or
 * null; every layer that names regularizable weights takes one per weight. An unknown key is an
 * error rather than ignored, since a key this library does not implement would change what the
 * layer computes. Integers may come as any {@link Number} with an integral value, as JSON gives them.
 */
public final class Layers {
    /** The type names {@link #fromConfig} knows. */
    public static final Set<String> TYPES = Set.of("Conv2D", "Dense", "MaxPooling2D", "AveragePooling2D", "Flatten",
            "Dropout", "Activation", "Rescaling", "Normalization", "Resizing", "RandomFlip", "RandomTranslation",
            "RandomRotation", "RandomZoom", "RandomContrast", "RandomCrop");

    private Layers() {
    }

    /**
     * A new, unbuilt layer of Keras type {@code type} with the arguments in {@code config}.
     *
     * @throws IllegalArgumentException naming the type and the key when the type is unknown, a
     *     required key is missing, a key is unknown, or a value has the wrong type or range
     */
    public static Layer fromConfig(String type, Map<String, ?> config) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(config, "config");
        Args a = new Args(type, config);
        Layer layer = switch (type) {
            case "Conv2D" -> {
                a.allow("filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias",
                        "kernel_regularizer", "bias_regularizer");
                int[] kernel = a.pair("kernel_size", null);
                int[] strides = a.pair("strides", new int[] {1, 1});
                int[] dilation = a.pair("dilation_rate", new int[] {1, 1});
                yield new Conv2D(a.integer("filters"), kernel[0], kernel[1])
                        .strides(strides[0], strides[1])
                        .dilationRate(dilation[0], dilation[1])
                        .padding(a.padding())
                        .activation(a.activation())
                        .useBias(a.bool("use_bias", true));
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
            case "Flatten" -> {
                a.allow();
                yield new Flatten();
            }
            case "Dropout" -> {
                a.allow("rate");
                yield new Dropout(a.number("rate"));
            }
            case "Activation" -> {
                a.allow("activation");
                yield new ActivationLayer(Activation.fromKerasName(a.string("activation", null)));
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
            default -> throw new IllegalArgumentException("unknown layer type '" + type + "', expected one of "
                    + new TreeSet<>(TYPES));
        };
        Object name = config.get("name");
        if (name != null) {
            layer.named(a.string("name", null));
        }
        for (String weight : layer.regularizableWeights()) {
            Object spec = config.get(weight + "_regularizer");
            if (spec != null) {
                try {
                    layer.regularize(weight, Regularizer.fromConfig(spec));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(type + " config: key '" + weight + "_regularizer': "
                            + e.getMessage(), e);
                }
            }
        }
        return layer;
    }

    /** The sampling arguments of RandomTranslation, RandomRotation and RandomZoom, with Keras's defaults. */
    private static <L extends AffineAugmentation<L>> L sampling(Args a, L layer) {
        return layer.fillMode(a.parsed("fill_mode", FillMode.REFLECT.kerasName(), FillMode::fromKerasName))
                .interpolation(a.interpolation())
                .fillValue(a.number("fill_value", 0));
    }

    /** Normalization: {@code axis} an integer, a list of them or null; {@code mean} and {@code variance} numbers or nested lists, both or neither. */
    private static Normalization normalization(Args a) {
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

    /** Typed access to one config, with messages that name the type and the key. */
    private record Args(String type, Map<String, ?> config) {

        /** Fails on any key besides {@code name} and {@code keys}. */
        void allow(String... keys) {
            Set<String> known = new TreeSet<>(List.of(keys));
            known.add("name");
            for (String key : config.keySet()) {
                if (!known.contains(key)) {
                    throw new IllegalArgumentException(type + " config: unknown key '" + key + "', expected "
                            + known);
                }
            }
        }

        Object required(String key) {
            Object v = config.get(key);
            if (v == null) {
                throw new IllegalArgumentException(type + " config: expected key '" + key + "', found none");
            }
            return v;
        }

        int integer(String key) {
            return toInt(key, required(key));
        }

        double number(String key) {
            if (required(key) instanceof Number n) {
                return n.doubleValue();
            }
            throw wrong(key, "a number");
        }

        double number(String key, double absent) {
            return config.get(key) == null ? absent : number(key);
        }

        /** A Keras factor: a number or a pair of numbers. */
        Factor factor(String key) {
            Object v = required(key);
            if (v instanceof Number n) {
                return Factor.of(n.doubleValue());
            }
            double[] pair = numberPair(key, null);
            return Factor.of(pair[0], pair[1]);
        }

        /** Two numbers {@code [a, b]}; {@code absent} when missing (null: required). */
        double[] numberPair(String key, double[] absent) {
            Object v = absent == null ? required(key) : config.get(key);
            if (v == null) {
                return absent;
            }
            if (v instanceof List<?> list && list.size() == 2 && list.get(0) instanceof Number a
                    && list.get(1) instanceof Number b) {
                return new double[] {a.doubleValue(), b.doubleValue()};
            }
            throw wrong(key, "a number or two numbers");
        }

        /** A number or nested lists of numbers, row-major, its shape added to {@code shape}. */
        float[] array(String key, Object v, List<Integer> shape) {
            List<Float> values = new ArrayList<>();
            collect(key, v, 0, shape, values);
            float[] out = new float[values.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = values.get(i);
            }
            return out;
        }

        private void collect(String key, Object v, int depth, List<Integer> shape, List<Float> into) {
            if (v instanceof Number n) {
                if (depth != shape.size()) {
                    throw wrong(key, "a number or nested lists of numbers of one shape");
                }
                into.add(n.floatValue());
                return;
            }
            if (!(v instanceof List<?> list) || list.isEmpty() || depth > Json.MAX_DEPTH) {
                throw wrong(key, "a number or nested lists of numbers of one shape");
            }
            if (depth == shape.size() && into.isEmpty()) {
                shape.add(list.size());
            } else if (depth >= shape.size() || shape.get(depth) != list.size()) {
                throw wrong(key, "a number or nested lists of numbers of one shape");
            }
            for (Object item : list) {
                collect(key, item, depth + 1, shape, into);
            }
        }

        /** A string option parsed by {@code parse}, {@code absent} when missing; a parse error names the key. */
        <T> T parsed(String key, String absent, Function<String, T> parse) {
            try {
                return parse.apply(string(key, absent));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(type + " config: key '" + key + "': " + e.getMessage(), e);
            }
        }

        Interpolation interpolation() {
            return parsed("interpolation", Interpolation.BILINEAR.kerasName(), Interpolation::fromKerasName);
        }

        boolean bool(String key, boolean absent) {
            Object v = config.get(key);
            if (v == null) {
                return absent;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            throw wrong(key, "true or false");
        }

        String string(String key, String absent) {
            Object v = absent == null ? required(key) : config.get(key);
            if (v == null) {
                return absent;
            }
            if (v instanceof String s) {
                return s;
            }
            throw wrong(key, "a string");
        }

        Padding padding() {
            try {
                return Padding.fromKerasName(string("padding", "valid"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(type + " config: key 'padding': " + e.getMessage(), e);
            }
        }

        Activation activation() {
            try {
                return Activation.fromKerasName(string("activation", "linear"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(type + " config: key 'activation': " + e.getMessage(), e);
            }
        }

        /** A pair {@code [h, w]}, or one integer for both as Keras allows; {@code absent} when missing (null: required). */
        int[] pair(String key, int[] absent) {
            Object v = absent == null ? required(key) : config.get(key);
            if (v == null) {
                return absent;
            }
            if (v instanceof List<?> list) {
                if (list.size() != 2) {
                    throw wrong(key, "two integers [height, width]");
                }
                return new int[] {toInt(key, list.get(0)), toInt(key, list.get(1))};
            }
            int both = toInt(key, v);
            return new int[] {both, both};
        }

        int toInt(String key, Object v) {
            if (v instanceof Number n) {
                double d = n.doubleValue();
                if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                    return (int) d;
                }
            }
            throw wrong(key, "an integer");
        }

        private IllegalArgumentException wrong(String key, String expected) {
            return new IllegalArgumentException(type + " config: key '" + key + "': expected " + expected
                    + ", found " + config.get(key));
        }
    }
}
