package io.github.purecnn.cli;

import io.github.purecnn.testing.ChildJvm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Runs many command lines through {@link Main#run} in one child JVM with a small heap, so that
 * every run is held to bounded memory and a deadline at the cost of one JVM start. The cases go
 * to the child as a file, one command line a line, words separated by tabs; the child writes one
 * line per case back: the exit status and both streams, base64-encoded.
 */
final class CliCases {
    /** The child's heap: far below what any hostile file here asks for, well above what a refusal needs. */
    static final String HEAP = "-Xmx192m";

    private CliCases() {
    }

    /** Runs every case in one child JVM with {@link #HEAP}; returns their results in order. */
    static List<MainTest.Run> run(Path workDir, List<List<String>> cases) throws IOException, InterruptedException {
        Path input = Files.createTempFile(workDir, "cases", ".txt");
        Path output = Files.createTempFile(workDir, "results", ".txt");
        StringBuilder text = new StringBuilder();
        for (List<String> args : cases) {
            for (String a : args) {
                if (a.contains("\t") || a.contains("\n")) {
                    throw new IllegalArgumentException("a case's words must not hold tabs or newlines: " + a);
                }
            }
            text.append(String.join("\t", args)).append('\n');
        }
        Files.writeString(input, text, StandardCharsets.UTF_8);
        ChildJvm.Result child = new ChildJvm().options(HEAP, "-XX:TieredStopAtLevel=1")
                .run(workDir, CliCases.class.getName(), List.of(input.toString(), output.toString()));
        if (child.code() != 0) {
            throw new AssertionError("the child running the cases failed: " + child.describe());
        }
        List<MainTest.Run> runs = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            runs.add(new MainTest.Run(Integer.parseInt(f[0]), decode(f[1]), decode(f[2])));
        }
        if (runs.size() != cases.size()) {
            throw new AssertionError("expected " + cases.size() + " results, found " + runs.size() + ": " + child.describe());
        }
        return runs;
    }

    /** The child: runs each case of the file {@code args[0]} and writes the results to {@code args[1]}. */
    public static void main(String[] args) throws IOException {
        StringBuilder results = new StringBuilder();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                code = Main.run(line.split("\t"), o, e);
            }
            results.append(code).append('\t').append(encode(out, 4000)).append('\t').append(encode(err, 100_000))
                    .append('\n');
        }
        Files.writeString(Path.of(args[1]), results, StandardCharsets.UTF_8);
    }

    /** The first {@code max} bytes: what a command prints on success can be long, and only its start is checked. */
    private static String encode(ByteArrayOutputStream stream, int max) {
        byte[] bytes = stream.toByteArray();
        byte[] head = bytes.length <= max ? bytes : java.util.Arrays.copyOf(bytes, max);
        return Base64.getEncoder().encodeToString(head);
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
