package io.github.purecnn.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line end to end through {@link Main#run}, on a small cut of MNIST (3,000 training
 * and 1,000 test images, of which training uses 2,000) so that the class runs in seconds: exit
 * codes, what goes to each stream, the metrics JSON, the pictures, and the messages of usage
 * errors and failures.
 */
class MainTest {
    private static final int TRAIN_IMAGES = 3000;
    private static final int TEST_IMAGES = 1000;

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
        /** Fails with both streams in the message, so that a failing test shows what the command said. */
        void assertCode(int expected) {
            assertEquals(expected, code, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Command-line words: text is split at spaces, a path is one word whatever it holds. */
    static String[] args(Object... parts) {
        return Stream.of(parts)
                .flatMap(p -> p instanceof Path ? Stream.of(p.toString()) : Stream.of(String.valueOf(p).split(" ")))
                .toArray(String[]::new);
    }

    // ---- one small tutorial and one small train run, shared by the tests that read their output ----

    @TempDir
    static Path shared;
    private static Path data;
    /** The options of a small run: the small data, 2,000 training images, one epoch. */
    private static String small;
    private static Run tutorial;
    private static Run train;

    @BeforeAll
    static void runTutorialAndTrain() throws IOException {
        data = Files.createDirectory(shared.resolve("mnist"));
        SmallMnist.write(data, TRAIN_IMAGES, TEST_IMAGES);
        small = "--data " + data + " --train-limit 2000 --epochs 1";
        tutorial = run(args("tutorial " + small + " --report", shared.resolve("tutorial-report"),
                "--metrics-json", shared.resolve("tutorial.json")));
        train = run(args("train " + small + " --validation-split 0.1 --threads 1 --report",
                shared.resolve("train-report"), "--metrics-json", shared.resolve("out/train.json")));
    }

    @Test
    void tutorialShowsEachStepInOrder() {
        tutorial.assertCode(Main.OK);
        String out = tutorial.out();
        List<String> steps = List.of(
                "x_train (2000, 28, 28, 1)", "y_train (2000,)", "x_test (1000, 28, 28, 1)", "y_test (1000,)",
                "range from 0.0 to 1.0",
                "Model: \"sequential\"", "conv2d (Conv2D)", "(None, 26, 26, 6)", "Total params: 81,194",
                "validation data: the 1000 test images",
                "epoch    loss  accuracy  val_loss  val_accuracy  seconds",
                "training time:", "test loss:", "test accuracy:",
                "4. One test digit", "+--------", "true label", "<- predicted",
                "true \\ predicted", "precision",
                "6. Pictures in", "samples.png", "training-curves.png", "feature-maps.png", "confusion-matrix.png");
        int from = 0;
        for (String step : steps) {
            int at = out.indexOf(step, from);
            assertTrue(at >= 0, "expected '" + step + "' after offset " + from + " in the tutorial's output:\n" + out);
            from = at + step.length();
        }
        assertTrue(tutorial.err().contains("Epoch 1/1"), "progress goes to stderr:\n" + tutorial.err());
        assertFalse(out.contains("Epoch 1/1"), "progress is not data: it stays off stdout");
    }

    @Test
    void tutorialUsesTheTestSetForValidation() throws IOException {
        Map<String, Object> json = readJson(shared.resolve("tutorial.json"));
        Map<?, ?> epoch = (Map<?, ?>) ((List<?>) json.get("epochs")).get(0);
        assertEquals(List.of("epoch", "seconds", "loss", "accuracy", "val_loss", "val_accuracy"),
                List.copyOf(epoch.keySet()));
        // The validation data is the test set and the weights do not change after the last epoch.
        assertEquals((double) json.get("test_loss"), (double) epoch.get("val_loss"), 1e-9);
        assertEquals((double) json.get("test_accuracy"), (double) epoch.get("val_accuracy"), 1e-12);
    }

    @Test
    void tutorialPicturesDecodeWithTheirDocumentedSizes() throws IOException {
        Path report = shared.resolve("tutorial-report");
        // DigitGrid: 10 columns of 3 * 28 + 2 * 6 pixels and margins of 8 = 976 wide; margins, a
        // header of 22 and two rows (the first digits, then mistakes) of 3 * 28 + 6 + 20 = 258 high.
        assertPng(report.resolve("samples.png"), 976, 258);
        assertPng(report.resolve("training-curves.png"), 960, 380);
        // MapPanel: five rows, the longest of six tiles: 578 x 678.
        assertPng(report.resolve("feature-maps.png"), 578, 678);
        assertPng(report.resolve("confusion-matrix.png"), 522, 522);
    }

    @Test
    void trainWritesMetricsJsonWithTheDocumentedKeysAndValues() throws IOException {
        train.assertCode(Main.OK);
        assertTrue(train.out().contains("validation data: the last 200 of the 2000 training images"), train.out());
        assertTrue(train.out().contains("metrics: " + shared.resolve("out/train.json")), train.out());
        assertTrue(train.err().contains("Epoch 1/1"), train.err());

        Map<String, Object> json = readJson(shared.resolve("out/train.json"));
        assertEquals(List.of("epochs", "train_seconds", "test_loss", "test_accuracy"), List.copyOf(json.keySet()));
        List<?> epochs = (List<?>) json.get("epochs");
        assertEquals(1, epochs.size());
        Map<?, ?> epoch = (Map<?, ?>) epochs.get(0);
        assertEquals(List.of("epoch", "seconds", "loss", "accuracy", "val_loss", "val_accuracy"),
                List.copyOf(epoch.keySet()));
        assertEquals(1.0, epoch.get("epoch"));
        assertBetween(epoch, "seconds", 0, 600);
        assertBetween(epoch, "loss", 0, 2.4);
        assertBetween(epoch, "accuracy", 0.2, 1);
        assertBetween(epoch, "val_loss", 0, 2.4);
        assertBetween(epoch, "val_accuracy", 0.2, 1);
        assertBetween(json, "train_seconds", (double) epoch.get("seconds"), 600);
        assertBetween(json, "test_loss", 0, 2.4);
        // 1,800 images for one epoch already beat chance (0.1) by far.
        assertBetween(json, "test_accuracy", 0.5, 1);
        assertTrue(train.out().contains("(1000 test images)"), train.out());
        assertTrue(train.out().contains(String.format(java.util.Locale.ROOT, "test accuracy: %.2f%%",
                100 * (double) json.get("test_accuracy"))), train.out());

        for (String picture : List.of("samples.png", "training-curves.png", "feature-maps.png", "confusion-matrix.png")) {
            assertPng(shared.resolve("train-report").resolve(picture), -1, -1);
        }
    }

    @Test
    void trainWithoutValidationWritesNoValidationKeysAndNoPictures(@TempDir Path dir) throws IOException {
        Run r = run(args("train --data", data, "--train-limit 1000 --epochs 2 --metrics-json", dir.resolve("m.json")));
        r.assertCode(Main.OK);
        assertTrue(r.out().contains("validation data: none"), r.out());
        List<?> epochs = (List<?>) readJson(dir.resolve("m.json")).get("epochs");
        assertEquals(2, epochs.size());
        for (int i = 0; i < 2; i++) {
            Map<?, ?> epoch = (Map<?, ?>) epochs.get(i);
            assertEquals(List.of("epoch", "seconds", "loss", "accuracy"), List.copyOf(epoch.keySet()));
            assertEquals(i + 1.0, epoch.get("epoch"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("m.json")), files.toList(), "no pictures and no temporary files left");
        }
    }

    @Test
    void showDrawsOneDigitAsTextAndPng(@TempDir Path dir) throws IOException {
        Run r = run(args("show --index 0 --output", dir.resolve("digit.png")));
        r.assertCode(Main.OK);
        assertTrue(r.out().startsWith("training image 0 of 60000, label 5\n"), r.out());
        assertTrue(r.out().contains("@@"), "the digit's ink:\n" + r.out());
        // One DigitGrid cell without header: 2 * 8 + 3 * 28 + 2 * 6 wide, 2 * 8 + 3 * 28 + 6 + 20 high.
        assertPng(dir.resolve("digit.png"), 112, 126);
    }

    @Test
    void showWithoutIndexDrawsAGridOfTheFirstDigits(@TempDir Path dir) throws IOException {
        Run r = run(args("show --data", data, "--output", dir.resolve("grid.png")));
        r.assertCode(Main.OK);
        assertTrue(r.out().contains("#0  label 5"), r.out());
        assertTrue(r.out().contains("#7  label 3"), r.out());
        // 40 digits: 10 columns, 4 rows of 110 pixels.
        assertPng(dir.resolve("grid.png"), 976, 456);
    }

    // ---- usage errors: exit 2, naming the argument ----

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of("frobnicate", "'frobnicate'"),
                Arguments.of("train --bogus 3", "'--bogus'"),
                Arguments.of("train --epochs", "'--epochs' needs a value N"),
                Arguments.of("train --epochs --seed 3", "'--epochs' needs a value N, found '--seed'"),
                Arguments.of("train --epochs ten", "'--epochs': expected an integer, found 'ten'"),
                Arguments.of("train --epochs 0", "'--epochs': expected an integer from 1 to 10000, found 0"),
                Arguments.of("train --epochs=0", "'--epochs': expected an integer from 1 to 10000, found 0"),
                Arguments.of("train --epochs 1 --epochs 2", "'--epochs' is given twice"),
                Arguments.of("train --data=", "'--data': expected a path, found an empty string"),
                Arguments.of("train --batch-size -4", "'--batch-size': expected an integer from 1"),
                Arguments.of("train --learning-rate 0", "'--learning-rate': expected a number in (0, 10)"),
                Arguments.of("train --learning-rate NaN", "'--learning-rate': expected a number in (0, 10), found NaN"),
                Arguments.of("train --validation-split 1", "'--validation-split': expected a number in [0, 1)"),
                Arguments.of("train --seed 1.5", "'--seed': expected an integer, found '1.5'"),
                Arguments.of("train --debug=yes", "'--debug' takes no value"),
                Arguments.of("train 10", "unexpected argument '10'"),
                Arguments.of("tutorial --threads 0", "'--threads'"),
                Arguments.of("show --index -1", "'--index': expected an integer of at least 0, found -1"),
                Arguments.of("show --output digit.jpg", "'--output': expected a file name ending in .png"));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void usageErrorsExitWithTwoNamingTheArgument(String line, String message) {
        Run r = run(args(line));
        r.assertCode(Main.USAGE);
        assertTrue(r.err().contains(message), "expected '" + message + "' in:\n" + r.err());
        assertEquals("", r.out());
    }

    @Test
    void usageErrorsFoundOnceTheDataIsLoadedExitWithTwo() {
        Run index = run(args("show --data", data, "--index", TRAIN_IMAGES));
        index.assertCode(Main.USAGE);
        assertTrue(index.err().contains("'--index': expected 0 to 2999 (the 3000 training images in " + data + ")"),
                index.err());

        Run limit = run(args("train --data", data, "--train-limit", TRAIN_IMAGES + 1));
        limit.assertCode(Main.USAGE);
        assertTrue(limit.err().contains("'--train-limit': expected at most 3000"), limit.err());

        Run split = run(args("train --data", data, "--train-limit 5 --validation-split 0.1"));
        split.assertCode(Main.USAGE);
        assertTrue(split.err().contains("'--validation-split': 0.1 of 5 training images leaves 0 for validation"),
                split.err());
    }

    @Test
    void noArgumentsPrintsUsageAndExitsWithTwo() {
        Run r = run();
        r.assertCode(Main.USAGE);
        assertTrue(r.err().contains("usage:"), r.err());
    }

    @Test
    void helpListsTheCommandsOnStdout() {
        Run r = run("--help");
        r.assertCode(Main.OK);
        for (String command : List.of("tutorial", "train", "show")) {
            assertTrue(r.out().contains("\n  " + command + " "), r.out());
        }
        assertEquals("", r.err());
    }

    @Test
    void eachCommandHasHelpListingItsOptions() {
        for (String command : List.of("tutorial", "train", "show")) {
            Run r = run(command, "--help");
            r.assertCode(Main.OK);
            String data = command.equals("train") ? "[--data PATH]" : "[--data DIR]";
            assertTrue(r.out().startsWith("usage: purecnn " + command + " " + data), r.out());
            assertTrue(r.out().contains("  --debug "), r.out());
        }
        Run train = run("train", "--epochs", "3", "--help");
        train.assertCode(Main.OK);
        for (String option : List.of("--data PATH", "--epochs N", "--batch-size N", "--learning-rate F", "--seed N",
                "--threads N", "--train-limit N", "--validation-split F", "--image-size HxW", "--color-mode MODE",
                "--pixel-scale SCALE", "--model FILE", "--report DIR", "--metrics-json FILE")) {
            assertTrue(train.out().contains("\n  " + option + " "), "expected " + option + " in:\n" + train.out());
        }
    }

    // ---- failures: exit 1, naming the file, no stack trace unless --debug ----

    @Test
    void aMissingDataFolderFailsNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("no-such-folder");
        Run r = run(args("train --data", missing));
        r.assertCode(Main.FAILURE);
        assertTrue(r.err().contains("purecnn train: cannot load data from " + missing), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace without --debug:\n" + r.err());

        Run debug = run(args("show --debug --data", missing));
        debug.assertCode(Main.FAILURE);
        assertTrue(debug.err().contains("\tat io.github.purecnn."), "a stack trace with --debug:\n" + debug.err());
    }

    @Test
    void aCorruptIdxFileFailsNamingIt(@TempDir Path dir) throws IOException {
        for (String name : List.of("train-images-idx3-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            Files.copy(data.resolve(name), dir.resolve(name));
        }
        // A label file whose header announces three-byte elements of an unknown type.
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 0x42, 1, 0, 0, 0, 2, 7, 7});
        Run r = run(args("tutorial --epochs 1 --data", dir));
        r.assertCode(Main.FAILURE);
        assertTrue(r.err().contains(dir.resolve("train-labels-idx1-ubyte").toString()), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void anUnwritableReportFolderFailsNamingIt(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("report"), "a file, not a folder");
        Run r = run(args("train --data", data, "--train-limit 500 --epochs 1 --report", file));
        r.assertCode(Main.FAILURE);
        assertTrue(r.err().contains(file.resolve("samples.png").toString()), r.err());
    }

    // ---- helpers ----

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readJson(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "expected the metrics file " + file);
        return (Map<String, Object>) JsonParser.parse(Files.readString(file));
    }

    private static void assertBetween(Map<?, ?> json, String key, double min, double max) {
        Object v = json.get(key);
        assertNotNull(v, "expected key '" + key + "' in " + json);
        double d = (Double) v;
        assertTrue(d >= min && d <= max, "expected " + key + " in [" + min + ", " + max + "], found " + d);
    }

    /** The file is a PNG that decodes; of the given size unless that is -1. */
    private static void assertPng(Path file, int width, int height) throws IOException {
        assertTrue(Files.isRegularFile(file), "expected the picture " + file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, "ImageIO cannot decode " + file);
        if (width >= 0) {
            assertEquals(width + " x " + height, image.getWidth() + " x " + image.getHeight(), file.toString());
        }
    }
}
