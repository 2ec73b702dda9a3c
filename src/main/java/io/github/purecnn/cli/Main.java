package io.github.purecnn.cli;

import java.io.PrintStream;

/**
 * The command line: {@code java --add-modules jdk.incubator.vector -jar target/purecnn-cli.jar <command>}.
 * Data goes to standard output, progress and logs to standard error. Exit codes: 0 success,
 * 1 failure, 2 usage error.
 */
public final class Main {
    static final int OK = 0;
    static final int FAILURE = 1;
    static final int USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command and returns its exit code; never calls {@code System.exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? USAGE : OK;
        }
        err.println("purecnn: unknown command '" + args[0] + "'");
        usage(err);
        return USAGE;
    }

    private static void usage(PrintStream s) {
        s.println("usage: java --add-modules jdk.incubator.vector -jar purecnn-cli.jar <command> [options]");
        s.println();
        s.println("commands:");
        s.println("  tutorial   the seed MNIST tutorial end to end (not yet available in this version)");
        s.println();
        s.println("Run a command with --help for its options.");
    }
}
