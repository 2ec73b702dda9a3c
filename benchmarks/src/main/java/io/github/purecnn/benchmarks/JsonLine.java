package io.github.purecnn.benchmarks;

import java.util.Locale;

/**
 * One flat JSON object on one line, for results that scripts read ({@code benchmarks/compare.py}
 * takes every standard-output line that starts with a brace). Keys and string values are plain
 * identifiers here, so only quotes and backslashes are escaped.
 */
public final class JsonLine {
    private final StringBuilder text = new StringBuilder("{");

    /** Adds a string value; null becomes JSON's null. */
    public JsonLine put(String key, String value) {
        return raw(key, value == null ? "null" : '"' + escape(value) + '"');
    }

    /** Adds an integer value. */
    public JsonLine put(String key, long value) {
        return raw(key, Long.toString(value));
    }

    /** Adds a number with {@code decimals} digits after the point; NaN becomes null. */
    public JsonLine put(String key, double value, int decimals) {
        return raw(key, Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "null");
    }

    /** Adds a boolean value. */
    public JsonLine put(String key, boolean value) {
        return raw(key, Boolean.toString(value));
    }

    private JsonLine raw(String key, String json) {
        text.append(text.length() == 1 ? "" : ", ").append('"').append(escape(key)).append("\": ").append(json);
        return this;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The object, closed. */
    @Override
    public String toString() {
        return text + "}";
    }
}
