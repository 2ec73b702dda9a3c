package io.github.purecnn.cli;

import java.io.PrintStream;
import java.util.List;

/** One command of the command line: its name, its options and what it does. */
interface Command {

    /** The word that selects the command, such as {@code "train"}. */
    String name();

    /** One line for the list of commands. */
    String summary();

    /** A few sentences for the command's help, below the synopsis. */
    String description();

    /** The options the command accepts, in the order its help lists them ({@code --help} and {@code --debug} excluded). */
    List<Option<?>> options();

    /** The names of the operands the command takes after its name, such as {@code IN OUT}; none by default. */
    default List<String> operands() {
        return List.of();
    }

    /**
     * Runs the command: data to {@code out}, progress to {@code err}.
     *
     * @throws UsageException when an argument turns out to be unusable only once data is loaded
     *     (an index past the end of the data set, say)
     * @throws Exception on any failure; its message names the file or the cause
     */
    void run(ParsedOptions args, PrintStream out, PrintStream err) throws Exception;
}
