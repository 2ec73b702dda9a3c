package io.github.purecnn;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build's Javadoc check. Every public and protected type and member of the packages the
 * module exports has a comment, and no comment in them is malformed; those of the packages
 * listed in the POM's {@code doclint.packages} (exported or not) also have every {@code @param},
 * {@code @return} and {@code @throws} (the list grows as packages get them). javadoc itself cannot fail the build
 * on these, since it always also warns that the incubator module is used; here the compiler runs
 * the same checks (doclint) on those packages' sources, on the class path (where doclint checks
 * every package, as javadoc does), and any warning fails.
 */
class JavadocTest {
    private static final Path SOURCES = Path.of("src/main/java");

    @Test
    void theApiPackagesHaveJavadoc() throws IOException {
        Set<String> complete = new TreeSet<>(List.of(doclintPackages().split(",")));
        Set<String> checked = new TreeSet<>(PublicApiTest.exportedPackages());
        checked.addAll(complete);
        List<String> problems = new ArrayList<>();
        for (String problem : doclint(checked)) {
            // Missing tags are allowed, for now, outside the packages listed as complete.
            boolean missingTag = MISSING_TAG.matcher(problem).find();
            if (!missingTag || complete.stream().anyMatch(p -> problem.startsWith(p.replace('.', '/') + "/")
                    && problem.indexOf('/', p.length() + 1) < 0)) {
                problems.add(problem);
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " doclint problems:\n" + String.join("\n", problems));
    }

    private static final Pattern MISSING_TAG = Pattern.compile(": no @(param|return|throws)\\b");

    /** The doclint warnings of these packages' sources, each as {@code path/File.java:line: message}. */
    private static List<String> doclint(Set<String> packages) throws IOException {
        // Only these packages' sources are compiled, against the classes of the rest.
        List<Path> files = new ArrayList<>();
        for (String p : packages) {
            try (Stream<Path> list = Files.list(SOURCES.resolve(p.replace('.', '/')))) {
                list.filter(f -> f.toString().endsWith(".java")).forEach(files::add);
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("doclint");
        List<String> options = List.of("--add-modules", "jdk.incubator.vector", "-proc:none", "-Xmaxwarns", "100000",
                "-Xdoclint:all/protected", "-Xdoclint/package:" + String.join(",", packages), "-d", out.toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        boolean compiled;
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, null)) {
            compiled = javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromPaths(files)).call();
        }
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            // The one warning without a source is the notice that the incubator module is used.
            if (d.getKind() != Diagnostic.Kind.NOTE && d.getSource() != null) {
                String file = SOURCES.toAbsolutePath().relativize(Path.of(d.getSource().toUri())).toString();
                problems.add(file + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
            }
        }
        assertTrue(compiled, String.join("\n", problems));
        return problems;
    }

    /** The list from the POM, the one place it is kept. */
    private static String doclintPackages() throws IOException {
        Matcher m = Pattern.compile("<doclint.packages>([^<]*)</doclint.packages>").matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "pom.xml sets doclint.packages");
        return m.group(1).trim();
    }
}
