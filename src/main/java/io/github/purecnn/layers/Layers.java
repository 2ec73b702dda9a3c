package io.github.purecnn.layers;


import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Makes layers from their Keras type name and config, the inverse of {@link Layer#typeName()}
 * and {@link Layer#config()}: {@code fromConfig(l.typeName(), l.config())} is an unbuilt layer
 * with the same config. Used to read model files, whose architecture is such a list.
 *
 * <p>Keys Keras gives defaults ({@code strides}, {@code padding}, {@code dilation_rate}, {@code activation},
 * {@code use_bias}, {@code name}) may be absent; the others are required. An unknown key is an
 * error rather than ignored, since a key this library does not implement would change what the
 * layer computes. Integers may come as any {@link Number} with an integral value, as JSON gives them.
 */
public final class Layers {
    /** The type names {@link #fromConfig} knows. */
    public static final Set<String> TYPES = Set.of("Conv2D", "Dense", "MaxPooling2D", "AveragePooling2D", "Flatten",
            "Dropout", "Activation");

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
                a.allow("filters", "kernel_size", "strides", "padding", "dilation_rate", "activation", "use_bias");
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
                a.allow("units", "activation", "use_bias");
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
            default -> throw new IllegalArgumentException("unknown layer type '" + type + "', expected one of "
                    + new TreeSet<>(TYPES));
        };
        Object name = config.get("name");
        if (name != null) {
            layer.named(a.string("name", null));
        }
        layer.trainable(a.bool("trainable", true));
        return layer;
    }

    /** Typed access to one config, with messages that name the type and the key. */
    private record Args(String type, Map<String, ?> config) {

        /** Fails on any key besides {@code name}, {@code trainable} and {@code keys}. */
        void allow(String... keys) {
            Set<String> known = new TreeSet<>(List.of(keys));
            known.add("name");
            known.add("trainable");
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

        private int toInt(String key, Object v) {
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
