package io.github.purecnn.keras;

import io.github.purecnn.io.internal.Json;

import java.util.List;

/** Comparing and describing config values as Keras means them. */
final class KerasValues {
    private static final int DESCRIPTION_LIMIT = 200;

    private KerasValues() {
    }

    /**
     * Whether a config value equals {@code expected} as Keras reads them: numbers by value
     * ({@code 1} and {@code 1.0}), lists element by element, and one integer standing for a pair
     * of equal integers ({@code 1} and {@code [1, 1]}), as Keras's {@code normalize_tuple} reads it.
     */
    static boolean same(Object expected, Object actual) {
        if (expected == null || actual == null) {
            return expected == actual;
        }
        if (expected instanceof Number a && actual instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        if (expected instanceof List<?> a && actual instanceof Number) {
            return a.stream().allMatch(e -> same(e, actual));
        }
        if (expected instanceof List<?> a && actual instanceof List<?> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(actual);
    }

    /** A value as JSON, cut short when long, for messages. */
    static String describe(Object value) {
        String text;
        try {
            text = Json.write(value);
        } catch (RuntimeException e) {
            text = String.valueOf(value);
        }
        return text.length() <= DESCRIPTION_LIMIT ? text : text.substring(0, DESCRIPTION_LIMIT) + "...";
    }
}
