package io.github.purecnn;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build's Javadoc check: every public and protected type and member of the packages listed in
 * the POM's {@code doclint.packages} has a comment with its {@code @param}, {@code @return} and
 * {@code @throws}, and no comment anywhere in them is malformed. javadoc itself cannot fail the
 * build on these, since it always also warns that the incubator module is used; here the compiler
 * runs the same checks (doclint) on those packages' sources, and any warning fails.
 */
class JavadocTest {
    private static final Path SOURCES = Path.of("src/main/java");

    @Test
    void thePackagesUnderDoclintHaveCompleteJavadoc() throws IOException {
        String packages = doclintPackages();
        assertFalse(packages.isBlank());
        // Only these packages' sources are compiled, against the classes of the rest.
        List<Path> files = new ArrayList<>();
        for (String p : packages.split(",")) {
            try (Stream<Path> list = Files.list(SOURCES.resolve(p.trim().replace('.', '/')))) {
                list.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("doclint");
        List<String> options = List.of("--add-modules", "jdk.incubator.vector", "-proc:none",
                "-Xdoclint:all/protected", "-Xdoclint/package:" + packages, "-d", out.toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        boolean compiled;
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, null)) {
            compiled = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
        }
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            // The one warning without a source is the notice that the incubator module is used.
            if (d.getKind() != Diagnostic.Kind.NOTE && d.getSource() != null) {
                problems.add((d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                        + d.getMessage(Locale.ROOT));
            }
        }
        assertTrue(compiled, String.join("\n", problems));
        assertEquals(List.of(), problems, "doclint problems in " + packages);
    }

    /** The list from the POM, the one place it is kept. */
    private static String doclintPackages() throws IOException {
        Matcher m = Pattern.compile("<doclint.packages>([^<]*)</doclint.packages>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "pom.xml sets doclint.packages");
        return m.group(1).trim();
    }
}
