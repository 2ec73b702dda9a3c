package io.github.purecnn.model;

import io.github.purecnn.losses.Loss;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes the golden model file and its expected values for {@link GoldenModelFileTest}. A
 * generator, not a test: its tag keeps it out of every build, and it is run by hand, once per new
 * format version (then add a new golden file and keep the old ones):
 * <pre>{@code mvn -q test -Dpurecnn.excludedGroups= -Dgroups=generator -Dtest=GoldenModelFileWriter}</pre>
 */
@Tag("generator")
class GoldenModelFileWriter {

    @Test
    void writeGoldenFiles() throws Exception {
        Sequential model = GoldenModelFileTest.tiny(20261127);
        // since 1.2: a schedule, AMSGrad, weight decay and clipping in the optimizer's config
        model.compile(GoldenModelFileTest.goldenAdam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        model.fit(GoldenModelFileTest.inputs(12), GoldenModelFileTest.labels(12),
                new FitOptions().epochs(3).batchSize(4).verbose(0));
        // Named after the format version being written, so a run never replaces an older golden file.
        String stem = "golden_model_v" + ModelFile.MAJOR + "." + ModelFile.MINOR;
        Path dir = Path.of("src/test/resources/fixtures");
        Path file = dir.resolve(stem + ".purecnn");
        model.save(file);
        try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(stem + ".txt")), true,
                StandardCharsets.UTF_8)) {
            out.println("# Expected values of " + file.getFileName() + ", written with it by");
            out.println("# GoldenModelFileWriter: the optimizer's step count, the Adam first moment of");
            out.println("# conv2d/kernel, and the probabilities for GoldenModelFileTest.inputs(4).");
            write(out, "iterations", new float[] {model.optimizer().iterations()}, 1);
            write(out, "conv2d_kernel_m", model.optimizer().state().get("conv2d/kernel/m"), 18);
            write(out, "probabilities", model.predict(GoldenModelFileTest.inputs(4)).data(), 4, 3);
        }
        assertTrue(Files.size(file) < 16_000, "the golden file stays small");
        writeTrainingFile(dir);
    }

    /** Since 1.2: the training features a file may hold beside Adam, in a second golden file. */
    private static void writeTrainingFile(Path dir) throws Exception {
        Sequential model = GoldenModelFileTest.regularizedTiny(20261209);
        model.compile(GoldenModelFileTest.goldenNadam(), Loss.huber(0.5), Metric.MAE, Metric.BINARY_ACCURACY);
        model.fit(io.github.purecnn.data.Dataset.of(GoldenModelFileTest.inputs(12), GoldenModelFileTest.oneHotTargets(12)),
                new FitOptions().epochs(3).batchSize(4).verbose(0));
        String stem = "golden_training_v" + ModelFile.MAJOR + "." + ModelFile.MINOR;
        Path file = dir.resolve(stem + ".purecnn");
        model.save(file);
        try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve(stem + ".txt")), true,
                StandardCharsets.UTF_8)) {
            out.println("# Expected values of " + file.getFileName() + ", written with it by");
            out.println("# GoldenModelFileWriter: the step count, Nadam's running product u_product, its first");
            out.println("# moment of dense/kernel, and the outputs for GoldenModelFileTest.inputs(4).");
            write(out, "iterations", new float[] {model.optimizer().iterations()}, 1);
            write(out, "u_product", new float[] {model.optimizer().scalars().get("u_product")}, 1);
            float[] m = model.optimizer().state().get("dense/kernel/m");
            write(out, "dense_kernel_m", m, m.length);
            write(out, "outputs", model.predict(GoldenModelFileTest.inputs(4)).data(), 4, 3);
        }
    }

    private static void write(PrintStream out, String name, float[] values, int... dims) {
        StringBuilder head = new StringBuilder("@" + name);
        for (int d : dims) {
            head.append(' ').append(d);
        }
        out.println(head);
        for (int i = 0; i < values.length; i += 8) {
            StringBuilder line = new StringBuilder();
            for (int k = i; k < Math.min(values.length, i + 8); k++) {
                line.append(k > i ? " " : "").append(String.format(Locale.ROOT, "%.9g", values[k]));
            }
            out.println(line);
        }
    }
}
