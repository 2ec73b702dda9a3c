package io.github.purecnn.io.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed, checked access to one Keras-style config: a JSON object as {@link Json} parses it (or a
 * map a caller built), the arguments of an optimizer, a schedule or a regularizer under their
 * Keras names. Every message names the owner and the key. An unknown key is an error rather than
 * ignored ({@link #allow}), since a key the library does not implement would change what the
 * object computes; a key that is absent or JSON null takes the caller's default.
 */
public final class ConfigReader {
    private final String owner;
    private final Map<String, ?> config;

    /**
     * @param owner  what the config is of, for messages: {@code "RMSprop config"}
     * @param config the keys and values; read, never changed
     */
    public ConfigReader(String owner, Map<String, ?> config) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.config = Objects.requireNonNull(config, owner);
    }

    /**
     * Fails on any key besides {@code keys}.
     *
     * @param keys the keys the config may hold
     * @throws IllegalArgumentException naming the first unknown key and the known ones
     */
    public void allow(String... keys) {
        Set<String> known = new TreeSet<>(List.of(keys));
        for (String key : config.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(owner + ": unknown key '" + key + "', expected " + known);
            }
        }
    }

    /**
     * @param key a key
     * @return whether the key is present with a value other than null
     */
    public boolean has(String key) {
        return config.get(key) != null;
    }

    /**
     * @param key a key
     * @return the raw value of the key, or null when absent
     */
    public Object get(String key) {
        return config.get(key);
    }

    /**
     * A required number.
     *
     * @param key the key
     * @return its value
     * @throws IllegalArgumentException when the key is absent, null or not a number
     */
    public double number(String key) {
        if (!has(key)) {
            throw new IllegalArgumentException(owner + ": expected key '" + key + "', found none");
        }
        return number(key, Double.NaN);
    }

    /**
     * @param key    the key
     * @param absent the value when the key is absent or null
     * @return the key's number, or {@code absent}
     * @throws IllegalArgumentException when the value is not a number
     */
    public double number(String key, double absent) {
        Object v = config.get(key);
        if (v == null) {
            return absent;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrong(key, "a number");
    }

    /**
     * @param key    the key
     * @param absent the value when the key is absent or null
     * @return the key's integer (any number with an integral value, as JSON gives them), or {@code absent}
     * @throws IllegalArgumentException when the value is not an integer
     */
    public long integer(String key, long absent) {
        Object v = config.get(key);
        if (v == null) {
            return absent;
        }
        return toLong("key '" + key + "'", v);
    }

    /**
     * @param key    the key
     * @param absent the value when the key is absent or null
     * @return the key's {@code true} or {@code false}, or {@code absent}
     * @throws IllegalArgumentException when the value is not a boolean
     */
    public boolean bool(String key, boolean absent) {
        Object v = config.get(key);
        if (v == null) {
            return absent;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrong(key, "true or false");
    }

    /**
     * @param key the key
     * @return its string
     * @throws IllegalArgumentException when the key is absent or not a string
     */
    public String string(String key) {
        Object v = config.get(key);
        if (v instanceof String s) {
            return s;
        }
        throw v == null ? new IllegalArgumentException(owner + ": expected key '" + key + "', found none")
                : wrong(key, "a string");
    }

    /**
     * @param key the key
     * @return its list of numbers
     * @throws IllegalArgumentException when the key is absent or not a list of numbers
     */
    public double[] numbers(String key) {
        List<?> list = list(key);
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number n)) {
                throw new IllegalArgumentException(owner + ": key '" + key + "'[" + i + "]: expected a number, found "
                        + list.get(i));
            }
            out[i] = n.doubleValue();
        }
        return out;
    }

    /**
     * @param key the key
     * @return its list of integers
     * @throws IllegalArgumentException when the key is absent or not a list of integers
     */
    public long[] integers(String key) {
        List<?> list = list(key);
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = toLong("key '" + key + "'[" + i + "]", list.get(i));
        }
        return out;
    }

    private List<?> list(String key) {
        Object v = config.get(key);
        if (v instanceof List<?> l) {
            return l;
        }
        throw v == null ? new IllegalArgumentException(owner + ": expected key '" + key + "', found none")
                : wrong(key, "a list");
    }

    /** @param what the key and position, for the message: {@code key 'boundaries'[2]} */
    private long toLong(String what, Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) <= 0x1p53) {
                return (long) d;
            }
        }
        throw new IllegalArgumentException(owner + ": " + what + ": expected an integer, found " + v);
    }

    /**
     * @param key      the key
     * @param expected what it should have held, for the message: {@code "a number"}
     * @return an error saying what the key should have held and what it holds
     */
    public IllegalArgumentException wrong(String key, String expected) {
        return new IllegalArgumentException(owner + ": key '" + key + "': expected " + expected + ", found "
                + config.get(key));
    }
}
