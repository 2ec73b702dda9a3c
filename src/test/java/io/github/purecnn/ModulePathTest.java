package io.github.purecnn;

import io.github.purecnn.model.Sequential;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The library as another program uses it: a consumer module ({@code requires io.github.purecnn;})
 * compiled against the library's classes on the module path builds, trains and predicts, on the
 * module path and on the class path, with and without {@code --add-modules jdk.incubator.vector}
 * (the Vector API stays optional: {@code requires static}); and it cannot import the kernels.
 */
class ModulePathTest {
    private static final String MODULE_INFO = "module consumer {\n    requires io.github.purecnn;\n}\n";

    private static final String DEMO = """
            package demo;

            import io.github.purecnn.data.Dataset;
            import io.github.purecnn.layers.Activation;
            import io.github.purecnn.layers.Conv2D;
            import io.github.purecnn.layers.Dense;
            import io.github.purecnn.layers.Flatten;
            import io.github.purecnn.layers.MaxPooling2D;
            import io.github.purecnn.layers.Padding;
            import io.github.purecnn.losses.Loss;
            import io.github.purecnn.model.FitOptions;
            import io.github.purecnn.model.Metric;
            import io.github.purecnn.model.Sequential;
            import io.github.purecnn.optimizers.Adam;
            import io.github.purecnn.tensor.Shape;
            import io.github.purecnn.tensor.Tensor;

            public class Demo {
                public static void main(String[] args) {
                    Sequential model = new Sequential(1, Shape.of(6, 6, 1),
                            new Conv2D(2, 3).padding(Padding.SAME).activation(Activation.RELU),
                            new MaxPooling2D(2), new Flatten(), new Dense(3).activation(Activation.SOFTMAX));
                    model.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
                    float[] x = new float[4 * 36];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (i * 7 % 11) / 11f;
                    }
                    Dataset data = Dataset.of(Tensor.of(x, 4, 6, 6, 1), new int[] {0, 1, 2, 1}, 3);
                    model.fit(data, new FitOptions().epochs(2).batchSize(4).verbose(0));
                    float[] p = model.predict(data.images()).data();
                    System.out.println(model.kernelPath() + " " + Float.floatToIntBits(p[0]) + " " + p.length);
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void aConsumerModuleRunsOnTheModulePathAndTheClassPathWithAndWithoutTheVectorApi() throws Exception {
        Path library = libraryClasses();
        String slf4j = classPathEntry("slf4j-api");
        Path out = compile(DEMO, List.of(library.toString(), slf4j));

        String modulePath = String.join(File.pathSeparator, library.toString(), slf4j, out.toString());
        String classPath = String.join(File.pathSeparator, library.toString(), slf4j, out.resolve("consumer").toString());
        String plainOnModules = run(List.of("-p", modulePath, "-m", "consumer/demo.Demo"));
        String vectorOnModules = run(List.of("--add-modules", "jdk.incubator.vector", "-p", modulePath, "-m", "consumer/demo.Demo"));
        String plainOnClassPath = run(List.of("-cp", classPath, "demo.Demo"));
        String vectorOnClassPath = run(List.of("--add-modules", "jdk.incubator.vector", "-cp", classPath, "demo.Demo"));

        assertTrue(plainOnModules.startsWith("PLAIN_JAVA "), plainOnModules);
        assertTrue(vectorOnModules.startsWith("VECTOR_API "), vectorOnModules);
        assertTrue(plainOnClassPath.startsWith("PLAIN_JAVA "), plainOnClassPath);
        assertTrue(vectorOnClassPath.startsWith("VECTOR_API "), vectorOnClassPath);
        // The same bits on every path, as everywhere in the library.
        String result = plainOnModules.substring("PLAIN_JAVA ".length());
        assertEquals(result, vectorOnModules.substring("VECTOR_API ".length()));
        assertEquals(result, plainOnClassPath.substring("PLAIN_JAVA ".length()));
        assertEquals(result, vectorOnClassPath.substring("VECTOR_API ".length()));
    }

    @Test
    void aConsumerModuleCannotImportTheKernels() throws Exception {
        String source = """
                package demo;

                public class Demo {
                    public static void main(String[] args) {
                        System.out.println(io.github.purecnn.kernels.KernelsProvider.get());
                    }
                }
                """;
        List<String> errors = compileErrors(source, List.of(libraryClasses().toString(), classPathEntry("slf4j-api")));
        assertFalse(errors.isEmpty(), "compiled against an internal package");
        assertTrue(errors.get(0).contains("io.github.purecnn.kernels") && errors.get(0).contains("not visible"), errors.toString());
    }

    private Path compile(String demo, List<String> modulePath) throws IOException {
        List<String> errors = compileErrors(demo, modulePath);
        assertEquals(List.of(), errors);
        return dir.resolve("out");
    }

    private List<String> compileErrors(String demo, List<String> modulePath) throws IOException {
        Path src = dir.resolve("src/consumer");
        Files.createDirectories(src.resolve("demo"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("demo/Demo.java"), demo);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean ok;
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-d", dir.resolve("out").toString(), "--module-source-path", dir.resolve("src").toString(),
                    "-p", String.join(File.pathSeparator, modulePath), "--module", "consumer", "-proc:none");
            ok = javac.getTask(null, fm, diagnostics, options, null, null).call();
        }
        List<String> errors = new ArrayList<>();
        diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == javax.tools.Diagnostic.Kind.ERROR)
                .forEach(d -> errors.add(d.getMessage(Locale.ROOT)));
        assertEquals(ok, errors.isEmpty(), errors.toString());
        return errors;
    }

    /** Runs the JVM with these arguments; its standard output, once it exited with 0. */
    private static String run(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] err = p.getErrorStream().readAllBytes();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), String.join(" ", command) + "\n" + new String(err, StandardCharsets.UTF_8));
        return out;
    }

    private static Path libraryClasses() throws URISyntaxException {
        return Path.of(Sequential.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String classPathEntry(String name) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(cp.split(File.pathSeparator)).filter(e -> Path.of(e).getFileName().toString().startsWith(name))
                .findFirst().orElseThrow(() -> new IllegalStateException(name + " is not on the test class path: " + cp));
    }
}
