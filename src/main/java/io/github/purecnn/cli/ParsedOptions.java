package io.github.purecnn.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one command line, read against the options its command accepts: no library,
 * GNU-style long options only ({@code --name VALUE} or {@code --name=VALUE}), each at most once,
 * and, for commands that take them, operands (words that are not options, such as the files of
 * {@code convert IN OUT}), in their order.
 */
final class ParsedOptions {
    private final Map<String, Object> values;
    private final List<String> operands;
    private final boolean help;

    private ParsedOptions(Map<String, Object> values, List<String> operands, boolean help) {
        this.values = values;
        this.operands = operands;
        this.help = help;
    }

    /** Reads {@code args} (the command name excluded) of a command that takes no operands. */
    static ParsedOptions parse(List<Option<?>> accepted, List<String> args) throws UsageException {
        return parse(accepted, List.of(), args);
    }

    /**
     * Reads {@code args} (the command name excluded) of a command whose operands are named
     * {@code operandNames}; all of them must be given, unless {@code --help} is.
     *
     * @throws UsageException naming the first argument that is not an accepted option, lacks its
     *     value, has a value the option refuses, or repeats an option, or the operands that are
     *     missing or too many
     */
    static ParsedOptions parse(List<Option<?>> accepted, List<String> operandNames, List<String> args)
            throws UsageException {
        Map<String, Option<?>> byName = new LinkedHashMap<>();
        for (Option<?> o : accepted) {
            byName.put(o.name(), o);
        }
        Map<String, Object> values = new HashMap<>();
        List<String> operands = new ArrayList<>();
        boolean help = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                if (operands.size() < operandNames.size() && !arg.equals("--")) {
                    operands.add(arg);
                    continue;
                }
                throw new UsageException("unexpected argument '" + arg + "': options start with '--'"
                        + (operandNames.isEmpty() ? "" : ", and the operands " + String.join(" ", operandNames)
                        + " are given already"));
            }
            int equals = arg.indexOf('=');
            String name = arg.substring(2, equals < 0 ? arg.length() : equals);
            Option<?> option = byName.get(name);
            if (option == null) {
                throw new UsageException("unknown option '--" + name + "'");
            }
            if (values.containsKey(name)) {
                throw new UsageException("option '--" + name + "' is given twice");
            }
            String text;
            if (option.isFlag()) {
                if (equals >= 0) {
                    throw new UsageException("option '--" + name + "' takes no value, found '" + arg + "'");
                }
                text = "";
            } else if (equals >= 0) {
                text = arg.substring(equals + 1);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                text = args.get(++i);
            } else {
                throw new UsageException("option '--" + name + "' needs a value " + option.valueName()
                        + (i + 1 < args.size() ? ", found '" + args.get(i + 1) + "'" : ", found the end of the line"));
            }
            try {
                values.put(name, option.reader().read(text));
            } catch (IllegalArgumentException e) {
                throw new UsageException("option '--" + name + "': " + e.getMessage());
            }
        }
        if (!help && operands.size() < operandNames.size()) {
            throw new UsageException("expected the operands " + String.join(" ", operandNames) + ", found "
                    + (operands.isEmpty() ? "none" : "only " + String.join(" ", operands)));
        }
        return new ParsedOptions(values, List.copyOf(operands), help);
    }

    /** The operands, in the order given. */
    List<String> operands() {
        return operands;
    }

    /** Whether {@code --help} was given. */
    boolean help() {
        return help;
    }

    /** The option's value, its default when absent, or null when absent without default. */
    <T> T get(Option<T> option) {
        @SuppressWarnings("unchecked")
        T value = (T) values.get(option.name());
        return value != null ? value : option.defaultValue();
    }

    /** Whether the option was given on the command line. */
    boolean has(Option<?> option) {
        return values.containsKey(option.name());
    }
}
