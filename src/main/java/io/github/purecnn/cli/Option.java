package io.github.purecnn.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * One option of a command: {@code --name VALUE} (also written {@code --name=VALUE}), or a flag
 * {@code --name} without a value. An option knows how to read its value and which values are
 * allowed, so that every command checks its arguments the same way and says the same things.
 *
 * @param <T> the type of the value
 * @param name         the name without the leading dashes, such as {@code "epochs"}
 * @param valueName    how the help shows the value, such as {@code "N"}; null for a flag
 * @param help         one line for the command's help
 * @param defaultValue the value when the option is absent; null when absent means "not given"
 * @param reader       turns the text after the option into its value
 */
record Option<T>(String name, String valueName, String help, T defaultValue, Reader<T> reader) {

    /** Reads an option's value from its text, or says what was expected. */
    @FunctionalInterface
    interface Reader<T> {
        /** @throws IllegalArgumentException whose message says what was expected (without the option name) */
        T read(String text);
    }

    /** An integer option whose values lie in {@code [min, max]}. */
    static Option<Integer> integer(String name, String help, Integer defaultValue, int min, int max) {
        return new Option<>(name, "N", help, defaultValue, text -> {
            int value;
            try {
                value = Integer.parseInt(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer, found '" + text + "'");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("expected " + range(min, max) + ", found " + value);
            }
            return value;
        });
    }

    /** A long integer option, any value. */
    static Option<Long> longInteger(String name, String help, Long defaultValue) {
        return new Option<>(name, "N", help, defaultValue, text -> {
            try {
                return Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer, found '" + text + "'");
            }
        });
    }

    /**
     * A decimal option whose values lie above {@code min} (or at it, when {@code minIncluded})
     * and below {@code max}.
     */
    static Option<Double> decimal(String name, String help, Double defaultValue, double min, boolean minIncluded,
                                  double max) {
        String allowed = (minIncluded ? "a number in [" : "a number in (") + plain(min) + ", " + plain(max) + ")";
        return new Option<>(name, "F", help, defaultValue, text -> {
            double value;
            try {
                value = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number, found '" + text + "'");
            }
            // Double.parseDouble also accepts "NaN" and "Infinity": the range check refuses them.
            boolean aboveMin = minIncluded ? value >= min : value > min;
            if (!(aboveMin && value < max)) {
                throw new IllegalArgumentException("expected " + allowed + ", found " + text);
            }
            return value;
        });
    }

    /** A file or folder option; {@code valueName} is {@code "DIR"} or {@code "FILE"}. */
    static Option<Path> path(String name, String valueName, String help, Path defaultValue) {
        return new Option<>(name, valueName, help, defaultValue, text -> {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("expected a path, found an empty string");
            }
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("expected a path, found '" + text + "' (" + e.getReason() + ")");
            }
        });
    }

    /** A flag: present or not, no value. */
    static Option<Boolean> flag(String name, String help) {
        return new Option<>(name, null, help, false, text -> true);
    }

    boolean isFlag() {
        return valueName == null;
    }

    /** The default as the help shows it ({@code 0.001}, {@code 0}, {@code mnist-data}, {@code unit}); null when there is none to show. */
    String defaultText() {
        if (defaultValue == null || isFlag()) {
            return null;
        }
        if (defaultValue instanceof Enum<?> e) {
            return e.name().toLowerCase(java.util.Locale.ROOT);
        }
        return defaultValue instanceof Double d ? plain(d) : defaultValue.toString();
    }

    /** {@code --epochs N}, or {@code --debug} for a flag. */
    String synopsis() {
        return "--" + name + (isFlag() ? "" : " " + valueName);
    }

    private static String range(int min, int max) {
        if (max == Integer.MAX_VALUE) {
            return "an integer of at least " + min;
        }
        return "an integer from " + min + " to " + max;
    }

    /** 1.0 as "1", 0.5 as "0.5": ranges read as people write them. */
    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
