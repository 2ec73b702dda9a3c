package io.github.purecnn.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a class of this build in a JVM of its own, for what a test cannot check in its own JVM:
 * that memory stays bounded (the child gets a small heap), that nothing blocks (the child gets a
 * deadline), and how the command line behaves with another class path or a file size limit.
 */
public final class ChildJvm {

    /**
     * What the child did.
     *
     * @param code its exit status
     * @param out  its standard output
     * @param err  its standard error
     */
    public record Result(int code, String out, String err) {
        /** Both streams, for assertion messages. */
        public String describe() {
            return "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private final List<String> jvmOptions = new ArrayList<>();
    private boolean withTestClasses = true;
    private Long fileSizeLimitBlocks;
    private Duration deadline = Duration.ofMinutes(2);

    /** A child with the test JVM's class path. */
    public ChildJvm() {
    }

    /** Adds JVM options such as {@code -Xmx192m}. */
    public ChildJvm options(String... options) {
        jvmOptions.addAll(Arrays.asList(options));
        return this;
    }

    /** Leaves the test classes and resources off the class path: the library and its dependencies only. */
    public ChildJvm withoutTestClasses() {
        withTestClasses = false;
        return this;
    }

    /** Starts the child under {@code ulimit -f blocks} (1 KiB blocks): writes beyond fail as on a full disk. */
    public ChildJvm fileSizeLimit(long blocks) {
        fileSizeLimitBlocks = blocks;
        return this;
    }

    /** How long the child may take before it is killed and the run fails. */
    public ChildJvm deadline(Duration d) {
        deadline = d;
        return this;
    }

    /**
     * Runs {@code mainClass} with {@code args} and waits for it.
     *
     * @throws AssertionError if it does not end before the deadline
     */
    public Result run(Path workDir, String mainClass, List<String> args) throws IOException, InterruptedException {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(jvmOptions);
        java.add("-cp");
        java.add(classPath());
        java.add(mainClass);
        java.addAll(args);
        List<String> command = java;
        if (fileSizeLimitBlocks != null) {
            // The JVM ignores SIGXFSZ, so a write past the limit fails with EFBIG ("File too large"),
            // the same path through the code as ENOSPC.
            command = List.of("/bin/sh", "-c", "ulimit -f " + fileSizeLimitBlocks + " && exec \"$@\"", "sh");
            command = new ArrayList<>(command);
            command.addAll(java);
        }
        Path out = Files.createTempFile(workDir, "child", ".out");
        Path err = Files.createTempFile(workDir, "child", ".err");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the child " + mainClass + " " + args + " did not end within " + deadline
                    + ": it blocks or runs away; stderr so far:\n" + Files.readString(err, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * The test class path as surefire sets it, or this JVM's own; without the test output folder
     * when asked.
     */
    private String classPath() {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        if (withTestClasses) {
            return full;
        }
        return Arrays.stream(full.split(File.pathSeparator))
                .filter(e -> !Path.of(e).endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
