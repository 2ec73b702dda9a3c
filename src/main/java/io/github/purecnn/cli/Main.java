package io.github.purecnn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The command line: {@code java --add-modules jdk.incubator.vector -jar target/purecnn-cli.jar <command>}.
 * Data goes to standard output, progress and logs to standard error. Exit codes: 0 success,
 * 1 failure, 2 usage error.
 *
 * <p>Each command is one {@link Command}; adding one is a class and a line in {@link #COMMANDS}.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    static final String PROGRAM = "purecnn";
    private static final String INVOCATION = "java --add-modules jdk.incubator.vector -jar purecnn-cli.jar";

    /** The command line's logging configuration, a resource in the jar. */
    static final String LOGGING = "io/github/purecnn/cli/logback.xml";
    private static final String LOGGING_PROPERTY = "logback.configurationFile";

    /** Accepted by every command: failures then show their stack trace. */
    static final Option<Boolean> DEBUG = Option.flag("debug", "on a failure, print the stack trace too");

    private static final List<Command> COMMANDS = List.of(new TutorialCommand(), new TrainCommand(), new EvaluateCommand(),
            new PredictCommand(), new ConvertCommand(), new ShowCommand());

    private Main() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the command and its options
     */
    public static void main(String[] args) {
        useQuietLogging();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Without a configuration, logback prints every DEBUG line of the library, and to standard
     * output, where a command's data goes. Unless the user chose one (the system property
     * {@code logback.configurationFile}, or a {@code logback.xml} of their own on the class path),
     * the command line uses {@value #LOGGING}: INFO and above, on standard error. It sits beside
     * this class, where logback does not look by itself, so the library jar imposes nothing on
     * programs that use the library.
     */
    static void useQuietLogging() {
        ClassLoader loader = Main.class.getClassLoader();
        if (System.getProperty(LOGGING_PROPERTY) == null && loader.getResource("logback.xml") == null
                && loader.getResource("logback-test.xml") == null) {
            System.setProperty(LOGGING_PROPERTY, LOGGING);
        }
    }

    /**
     * Runs one command and returns its exit code; never calls {@code System.exit}.
     *
     * @param args the command and its options
     * @param out where results go
     * @param err where progress, logs and messages go
     * @return 0 on success, 1 on a failure, 2 on a usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            usage(err);
            return USAGE;
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(out);
            return OK;
        }
        Command command = COMMANDS.stream().filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
        if (command == null) {
            err.println(PROGRAM + ": unknown command '" + args[0] + "'");
            usage(err);
            return USAGE;
        }
        List<Option<?>> accepted = new ArrayList<>(command.options());
        accepted.add(DEBUG);
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        ParsedOptions parsed;
        try {
            parsed = ParsedOptions.parse(accepted, command.operands(), rest);
        } catch (UsageException e) {
            return usageError(command, e, err);
        }
        if (parsed.help()) {
            help(command, accepted, out);
            return OK;
        }
        try {
            command.run(parsed, out, err);
            out.flush();
            return OK;
        } catch (UsageException e) {
            return usageError(command, e, err);
        } catch (Exception | OutOfMemoryError e) {
            out.flush();
            err.println(PROGRAM + " " + command.name() + ": " + describe(e));
            if (parsed.get(DEBUG)) {
                e.printStackTrace(err);
            } else if (!(e instanceof IOException)) {
                // Not a file problem: perhaps a bug, so point at the way to learn more.
                err.println("(run with --debug for the stack trace)");
            }
            return FAILURE;
        }
    }

    private static int usageError(Command command, UsageException e, PrintStream err) {
        err.println(PROGRAM + " " + command.name() + ": " + e.getMessage());
        err.println("Run '" + PROGRAM + " " + command.name() + " --help' for its options.");
        return USAGE;
    }

    /**
     * A failure in one line. File-system exceptions often carry only the file name as their
     * message, so the kind of failure is spelled out for them.
     */
    static String describe(Throwable e) {
        if (e instanceof FileSystemException fs && fs.getReason() == null) {
            String kind = e instanceof NoSuchFileException ? "no such file or folder"
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NotDirectoryException ? "not a folder"
                    : e.getClass().getSimpleName();
            return fs.getFile() + (fs.getOtherFile() == null ? "" : " -> " + fs.getOtherFile()) + ": " + kind;
        }
        if (e instanceof OutOfMemoryError) {
            return "out of memory (" + e.getMessage() + "): give the JVM more with -Xmx, or use --train-limit";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message;
    }

    private static void usage(PrintStream s) {
        s.println("usage: " + INVOCATION + " <command> [options]");
        s.println();
        s.println("commands:");
        int width = COMMANDS.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Command c : COMMANDS) {
            s.printf("  %-" + width + "s   %s%n", c.name(), c.summary());
        }
        s.println();
        s.println("Run a command with --help for its options. Data goes to standard output, progress and logs to");
        s.println("standard error. Exit status: 0 success, 1 failure, 2 usage error.");
    }

    private static void help(Command command, List<Option<?>> options, PrintStream s) {
        StringBuilder synopsis = new StringBuilder();
        for (Option<?> o : options) {
            synopsis.append(synopsis.length() == 0 ? "" : " ").append('[').append(o.synopsis()).append(']');
        }
        for (String operand : command.operands()) {
            synopsis.append(' ').append(operand);
        }
        s.println(wrap("usage: " + PROGRAM + " " + command.name(), synopsis.toString(), 8));
        s.println();
        s.println(wrap("", command.description(), 0));
        s.println();
        s.println("options:");
        int width = "-h, --help".length();
        for (Option<?> o : options) {
            width = Math.max(width, o.synopsis().length());
        }
        for (Option<?> o : options) {
            String text = o.help() + (o.defaultText() == null ? "" : " (default " + o.defaultText() + ")");
            s.println(wrap(String.format(Locale.ROOT, "  %-" + width + "s  ", o.synopsis()), text, width + 5));
        }
        s.printf("  %-" + width + "s   %s%n", "-h, --help", "show this help");
        s.println();
        s.println("(" + PROGRAM + " stands for: " + INVOCATION + ")");
    }

    /**
     * {@code prefix} then the words of {@code text}, broken into lines of at most 100 characters
     * where possible; continuation lines are indented by {@code indent}.
     */
    private static String wrap(String prefix, String text, int indent) {
        StringBuilder out = new StringBuilder(prefix);
        int lineStart = 0;
        boolean first = prefix.isEmpty();
        for (String word : text.split(" ")) {
            if (first) {
                first = false;
            } else if (out.length() - lineStart + 1 + word.length() > 100) {
                out.append('\n');
                lineStart = out.length();
                out.append(" ".repeat(indent));
            } else {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }
}
