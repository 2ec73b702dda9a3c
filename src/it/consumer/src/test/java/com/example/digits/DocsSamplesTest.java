package com.example.digits;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compiles and runs the Java samples of the user guide ({@code docs/*.md}) against the installed
 * artifacts, so that the guide cannot drift from the library. The Markdown is the one source
 * (GitHub cannot include a file into a page, so samples kept as separate sources would be copies):
 * each page's {@code ```java} blocks, in order, become the body of one program's {@code main},
 * which the JDK's compiler compiles with this project's class path and a new JVM runs in a fresh
 * folder holding a link to the bundled MNIST data. A sample fails the test by not compiling, by
 * throwing (they check what they promise with {@code AssertionError}s), or by running longer
 * than two minutes. The guide's relative links are checked too: each reaches a file, and each
 * anchor a heading.
 */
class DocsSamplesTest {
    private static final Path REPOSITORY = Path.of(System.getProperty("purecnn.repository")).toAbsolutePath().normalize();
    private static final Pattern FENCED_BLOCK = Pattern.compile("^```.*?^```$", Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$", Pattern.MULTILINE);
    private static final Pattern JAVA_BLOCK = Pattern.compile("^```java\\n(.*?)^```$", Pattern.MULTILINE | Pattern.DOTALL);
    /** What every page's program imports: the library's API packages, the Keras module, and the JDK's usual ones. */
    private static final String IMPORTS = """
            import io.github.purecnn.data.*;
            import io.github.purecnn.image.*;
            import io.github.purecnn.io.*;
            import io.github.purecnn.keras.*;
            import io.github.purecnn.layers.*;
            import io.github.purecnn.losses.*;
            import io.github.purecnn.model.*;
            import io.github.purecnn.optimizers.*;
            import io.github.purecnn.optimizers.schedules.*;
            import io.github.purecnn.regularizers.*;
            import io.github.purecnn.tensor.*;
            import java.awt.Color;
            import java.awt.image.BufferedImage;
            import java.nio.file.*;
            import java.util.*;
            import java.util.concurrent.*;
            import java.util.concurrent.atomic.*;
            import javax.imageio.ImageIO;
            import static io.github.purecnn.layers.Activation.*;
            """;
    /** The guide's one helper, which its first page introduces. */
    private static final String ARGMAX = """
                static int argmax(float[] p) {
                    int best = 0;
                    for (int k = 1; k < p.length; k++) {
                        if (p[k] > p[best]) {
                            best = k;
                        }
                    }
                    return best;
                }
            """;

    @TestFactory
    Stream<DynamicTest> everyJavaSampleOfTheGuideCompilesAndRuns() throws IOException {
        List<Path> pages;
        try (Stream<Path> files = Files.list(REPOSITORY.resolve("docs"))) {
            pages = files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        }
        assertFalse(pages.isEmpty(), "no pages in " + REPOSITORY.resolve("docs"));
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : pages) {
            List<String> blocks = javaBlocks(Files.readString(page, StandardCharsets.UTF_8));
            if (!blocks.isEmpty()) {
                tests.add(DynamicTest.dynamicTest("docs/" + page.getFileName(), () -> compileAndRun(page, blocks)));
            }
        }
        return tests.stream();
    }

    /**
     * Every relative link of the guide reaches a file of the repository, and every {@code #anchor}
     * a heading of its page (as GitHub makes anchors of headings), so that moving or renaming a
     * section cannot leave a page pointing nowhere. Links inside code blocks are not links.
     */
    @TestFactory
    Stream<DynamicTest> everyLinkOfTheGuideResolves() throws IOException {
        List<Path> pages;
        try (Stream<Path> files = Files.list(REPOSITORY.resolve("docs"))) {
            pages = files.filter(f -> f.toString().endsWith(".md")).sorted().toList();
        }
        return pages.stream().map(page -> DynamicTest.dynamicTest("links of docs/" + page.getFileName(), () -> {
            String text = FENCED_BLOCK.matcher(Files.readString(page, StandardCharsets.UTF_8)).replaceAll("");
            Matcher link = LINK.matcher(text);
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                int hash = target.indexOf('#');
                Path file = hash == 0 ? page : page.resolveSibling(hash < 0 ? target : target.substring(0, hash)).normalize();
                assertTrue(Files.exists(file), "docs/" + page.getFileName() + " links to " + target + ": no such file");
                if (hash >= 0) {
                    String anchor = target.substring(hash + 1);
                    assertTrue(anchors(file).contains(anchor), "docs/" + page.getFileName() + " links to " + target
                            + ": no heading of " + file.getFileName() + " has that anchor; it has " + anchors(file));
                }
            }
        }));
    }

    /** The anchors GitHub gives the headings of a Markdown file: lower case, punctuation dropped, spaces as hyphens. */
    private static List<String> anchors(Path markdown) throws IOException {
        String text = FENCED_BLOCK.matcher(Files.readString(markdown, StandardCharsets.UTF_8)).replaceAll("");
        List<String> anchors = new ArrayList<>();
        Matcher heading = HEADING.matcher(text);
        while (heading.find()) {
            anchors.add(heading.group(1).strip().toLowerCase(java.util.Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
        }
        return anchors;
    }

    static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = JAVA_BLOCK.matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static void compileAndRun(Path page, List<String> blocks) throws Exception {
        String name = page.getFileName().toString().replace(".md", "");
        String className = "Guide_" + name.replaceAll("[^A-Za-z0-9]", "_");
        Path work = Path.of("target", "docs-samples", name).toAbsolutePath();
        deleteTree(work);
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path run = Files.createDirectories(work.resolve("run"));
        Files.createSymbolicLink(run.resolve("mnist-data"), REPOSITORY.resolve("mnist-data"));

        StringBuilder source = new StringBuilder(IMPORTS)
                .append("\npublic class ").append(className).append(" {\n")
                .append("    public static void main(String[] args) throws Exception {\n");
        for (String block : blocks) {
            source.append(block);
        }
        source.append("    }\n\n").append(ARGMAX).append("}\n");
        Path file = work.resolve(className + ".java");
        Files.writeString(file, source);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        String classPath = System.getProperty("java.class.path");
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean compiled = compiler.getTask(null, files, diagnostics,
                    List.of("-d", classes.toString(), "-classpath", classPath, "--release", "17"), null,
                    files.getJavaFileObjects(file)).call();
            StringBuilder errors = new StringBuilder();
            String[] lines = source.toString().split("\n", -1);
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors.append("\n  ").append(d.getMessage(null)).append("\n    at: ")
                            .append(lines[(int) d.getLineNumber() - 1].strip());
                }
            }
            assertTrue(compiled, "docs/" + page.getFileName() + ": its samples do not compile:" + errors);
        }

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "-cp", classes + File.pathSeparator + classPath, className)
                .directory(run.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve("output.txt").toFile()).start();
        boolean finished = process.waitFor(2, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(work.resolve("output.txt"));
        assertTrue(finished, "docs/" + page.getFileName() + ": its samples ran longer than 2 minutes:\n" + output);
        assertEquals(0, process.exitValue(), "docs/" + page.getFileName() + ": its samples failed:\n" + output);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
