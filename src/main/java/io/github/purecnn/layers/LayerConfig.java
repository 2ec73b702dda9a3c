package io.github.purecnn.layers;

import io.github.purecnn.image.Interpolation;
import io.github.purecnn.io.internal.Json;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Typed access to one layer's config (its Keras arguments by name), with messages that name the
 * layer type and the key: what {@link Layers#fromConfig} reads, and what a custom layer's factory
 * gets (see {@link Layers#register}). Integers may come as any {@link Number} with an integral
 * value, as JSON gives them; a pair {@code [h, w]} may come as one integer for both, as Keras
 * allows. The keys read are remembered, so that a key nobody read can be refused.
 */
public final class LayerConfig {
    private final String type;
    private final Map<String, ?> config;
    private final Set<String> read = new HashSet<>();

    LayerConfig(String type, Map<String, ?> config) {
        this.type = type;
        this.config = config;
    }

    /**
     * The layer type the config belongs to.
     *
     * @return the Keras class name, such as {@code "Conv2D"} or a registered custom type
     */
    public String type() {
        return type;
    }

    /**
     * Whether the key is present (and not null).
     *
     * @param key the Keras argument name
     * @return true if the config holds a non-null value for {@code key}
     */
    public boolean has(String key) {
        read.add(key);
        return config.get(key) != null;
    }

    /** The keys besides {@code name} and {@code trainable} that were never read, in order. */
    Set<String> unread() {
        Set<String> left = new TreeSet<>(config.keySet());
        left.removeAll(read);
        left.remove("name");
        left.remove("trainable");
        return left;
    }

    /** The config as given (for the factories that read keys of several forms). */
    Map<String, ?> config() {
        return config;
    }

    /** Fails on any key besides {@code name}, {@code trainable} and {@code keys}. */
    void allow(String... keys) {
        Set<String> known = new TreeSet<>(List.of(keys));
        known.add("name");
        known.add("trainable");
        for (String key : config.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(type + " config: unknown key '" + key + "', expected " + known);
            }
        }
    }

    private Object get(String key) {
        read.add(key);
        return config.get(key);
    }

    private Object required(String key) {
        Object v = get(key);
        if (v == null) {
            throw new IllegalArgumentException(type + " config: expected key '" + key + "', found none");
        }
        return v;
    }

    /**
     * A required integer.
     *
     * @param key the Keras argument name
     * @return the value
     * @throws IllegalArgumentException naming the type and key if the key is missing or its value is not an
     *     integer (in {@code int} range)
     */
    public int integer(String key) {
        return toInt(key, required(key));
    }

    /**
     * An integer, {@code absent} when the key is missing.
     *
     * @param key the Keras argument name
     * @param absent the value when the key is missing or null
     * @return the value, or {@code absent}
     * @throws IllegalArgumentException naming the type and key if the value is not an integer (in {@code int}
     *     range)
     */
    public int integer(String key, int absent) {
        Object v = get(key);
        return v == null ? absent : toInt(key, v);
    }

    /**
     * A required number.
     *
     * @param key the Keras argument name
     * @return the value
     * @throws IllegalArgumentException naming the type and key if the key is missing or its value is not a
     *     number
     */
    public double number(String key) {
        if (required(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw wrong(key, "a number");
    }

    /**
     * A number, {@code absent} when the key is missing.
     *
     * @param key the Keras argument name
     * @param absent the value when the key is missing or null
     * @return the value, or {@code absent}
     * @throws IllegalArgumentException naming the type and key if the value is not a number
     */
    public double number(String key, double absent) {
        return get(key) == null ? absent : number(key);
    }

    /**
     * true or false, {@code absent} when the key is missing.
     *
     * @param key the Keras argument name
     * @param absent the value when the key is missing or null
     * @return the value, or {@code absent}
     * @throws IllegalArgumentException naming the type and key if the value is not a boolean
     */
    public boolean bool(String key, boolean absent) {
        Object v = get(key);
        if (v == null) {
            return absent;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrong(key, "true or false");
    }

    /**
     * A string, {@code absent} when the key is missing; a null {@code absent} makes the key required.
     *
     * @param key the Keras argument name
     * @param absent the value when the key is missing or null, or null to make the key required
     * @return the value, or {@code absent}
     * @throws IllegalArgumentException naming the type and key if the value is not a string, or a required
     *     key is missing
     */
    public String string(String key, String absent) {
        Object v = absent == null ? required(key) : get(key);
        if (v == null) {
            return absent;
        }
        if (v instanceof String s) {
            return s;
        }
        throw wrong(key, "a string");
    }

    /**
     * A pair {@code [h, w]}, or one integer for both; {@code absent} when missing (a null {@code absent}: required).
     *
     * @param key the Keras argument name
     * @param absent the pair when the key is missing or null, or null to make the key required
     * @return a new array {@code {h, w}}, or {@code absent} itself
     * @throws IllegalArgumentException naming the type and key if the value is neither an integer nor a list
     *     of two integers, or a required key is missing
     */
    public int[] pair(String key, int[] absent) {
        Object v = absent == null ? required(key) : get(key);
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

    /**
     * A required list of integers.
     *
     * @param key the Keras argument name
     * @return a new array of the values, in order
     * @throws IllegalArgumentException naming the type and key if the key is missing, or its value is not a
     *     list of integers
     */
    public int[] integers(String key) {
        if (!(required(key) instanceof List<?> list)) {
            throw wrong(key, "a list of integers");
        }
        int[] values = new int[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = toInt(key, list.get(i));
        }
        return values;
    }

    /**
     * Margins as Keras writes them: one integer for all four sides, {@code [rows, cols]}, or
     * {@code [[top, bottom], [left, right]]}; {@code absent} (all four) when missing.
     */
    int[] margins(String key, int absent) {
        Object v = get(key);
        if (v == null) {
            return new int[] {absent, absent, absent, absent};
        }
        if (v instanceof List<?> list && list.size() == 2 && list.get(0) instanceof List<?> rows
                && list.get(1) instanceof List<?> cols) {
            if (rows.size() != 2 || cols.size() != 2) {
                throw wrong(key, "[[top, bottom], [left, right]]");
            }
            return new int[] {toInt(key, rows.get(0)), toInt(key, rows.get(1)), toInt(key, cols.get(0)), toInt(key, cols.get(1))};
        }
        int[] pair = pair(key, null);
        return new int[] {pair[0], pair[0], pair[1], pair[1]};
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
        Object v = absent == null ? required(key) : get(key);
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

    int toInt(String key, Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && d >= Integer.MIN_VALUE && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw wrong(key, "an integer");
    }

    /**
     * An error naming the type, the key, what was expected and what was found.
     *
     * @param key the Keras argument name whose value is wrong
     * @param expected what the value should be, such as {@code "a positive integer"}
     * @return the exception, for the caller to throw; its message also shows the value found
     */
    public IllegalArgumentException wrong(String key, String expected) {
        return new IllegalArgumentException(type + " config: key '" + key + "': expected " + expected
                + ", found " + config.get(key));
    }

    @Override
    public String toString() {
        return type + " config " + new ArrayList<>(config.keySet());
    }
}
