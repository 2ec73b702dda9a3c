package io.github.purecnn.keras;

import io.github.purecnn.cli.Main;
import io.github.purecnn.model.ModelFileFormat;
import io.github.purecnn.model.ModelFiles;
import io.github.purecnn.model.Sequential;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core's command line with this module on the class path, as in the complete command-line
 * jar: {@code predict} and {@code evaluate} take {@code .keras} and {@code .h5} models (told
 * apart by content, whatever their names), and {@code convert} moves models between the formats.
 */
class KerasCommandLineTest {
    @TempDir
    static Path dir;
    private static Path purecnn;
    /** A small mnist-format folder of random digits: the commands only need its format. */
    private static Path mnist;

    private record Run(int code, String out, String err) {
    }

    @BeforeAll
    static void saveModel() throws IOException {
        purecnn = dir.resolve("lenet.purecnn");
        TestModels.trainedLeNet().save(purecnn);
        mnist = Files.createDirectory(dir.resolve("mnist"));
        SplittableRandom random = new SplittableRandom(4);
        for (String set : List.of("train", "t10k")) {
            int n = 60;
            ByteBuffer images = ByteBuffer.allocate(16 + n * 28 * 28).putInt(0x803).putInt(n).putInt(28).putInt(28);
            ByteBuffer labels = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
            for (int i = 0; i < n; i++) {
                labels.put((byte) random.nextInt(10));
                for (int p = 0; p < 28 * 28; p++) {
                    images.put((byte) random.nextInt(256));
                }
            }
            Files.write(mnist.resolve(set + "-images-idx3-ubyte"), images.array());
            Files.write(mnist.resolve(set + "-labels-idx1-ubyte"), labels.array());
        }
    }

    @Test
    void theKerasFormatIsFoundThroughTheCoresServiceInterface() {
        List<ModelFileFormat> formats = ModelFiles.formats();
        assertEquals(1, formats.size());
        assertTrue(formats.get(0) instanceof KerasModelFileFormat);
    }

    @Test
    void predictAndEvaluateTakeKerasFilesByContentWithTheSameResults() {
        Path keras = dir.resolve("lenet.keras");
        Path h5 = dir.resolve("lenet.h5");
        Path misnamed = dir.resolve("keras-archive.bin");
        assertEquals(0, run("convert", purecnn, keras).code());
        assertEquals(0, run("convert", keras, h5).code());
        assertEquals(0, run("convert", h5, misnamed.resolveSibling("tmp.keras")).code());
        assertTrue(misnamed.resolveSibling("tmp.keras").toFile().renameTo(misnamed.toFile()));

        Run reference = run("predict", "--model", purecnn, "--data", mnist, "--limit", 12);
        assertEquals(0, reference.code(), reference.err());
        assertEquals(13, reference.out().lines().count());
        for (Path model : List.of(keras, h5, misnamed)) {
            Run r = run("predict", "--model", model, "--data", mnist, "--limit", 12);
            assertEquals(0, r.code(), r.err());
            assertEquals(reference.out(), r.out(), model + ": the same probabilities, bit for bit");
        }
        Run evaluated = run("evaluate", "--model", h5, "--data", mnist);
        assertEquals(0, evaluated.code(), evaluated.err());
        Run evaluatedReference = run("evaluate", "--model", purecnn, "--data", mnist);
        assertEquals(line(evaluatedReference.out(), "test loss"), line(evaluated.out(), "test loss"));
        assertEquals(line(evaluatedReference.out(), "test accuracy"), line(evaluated.out(), "test accuracy"));
    }

    @Test
    void convertWritesEachFormatAndNamesWhatItCannotRead() throws IOException {
        Path keras = dir.resolve("c.keras");
        Run r = run("convert", Resources.file("keras2_sequential.h5"), keras);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote " + keras), r.out());
        Sequential back = KerasModels.load(keras);
        assertEquals("small_cnn", back.name());

        Path broken = dir.resolve("broken.keras");
        byte[] bytes = Files.readAllBytes(keras);
        Files.write(broken, Arrays.copyOf(bytes, bytes.length / 2));
        Run failed = run("convert", broken, dir.resolve("x.h5"));
        assertEquals(1, failed.code());
        assertTrue(failed.err().contains(broken.toString()), failed.err());
        assertTrue(!Files.exists(dir.resolve("x.h5")), "nothing written");

        Run unsupported = run("predict", "--model", TestModels.unsupportedModelFile(dir), "--data", mnist);
        assertEquals(1, unsupported.code());
        assertTrue(unsupported.err().contains("layer 'norm' (LayerNormalization): purecnn has no such layer"),
                unsupported.err());

        Run help = run("convert", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("Keras 3 archive (.keras)"), help.out());
    }

    private static Run run(Object... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(Arrays.stream(args).map(String::valueOf).toArray(String[]::new), o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(
                () -> new AssertionError("no line '" + prefix + "' in:\n" + text));
    }
}
