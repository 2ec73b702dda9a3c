package io.github.purecnn.cli;

import io.github.purecnn.io.Npy;
import io.github.purecnn.io.NpyArray;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.BatchNormalization;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Cropping2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.DepthwiseConv2D;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.GlobalMaxPooling2D;
import io.github.purecnn.layers.LeakyReLU;
import io.github.purecnn.layers.Padding;
import io.github.purecnn.layers.Reshape;
import io.github.purecnn.layers.SeparableConv2D;
import io.github.purecnn.layers.SpatialDropout2D;
import io.github.purecnn.layers.UpSampling2D;
import io.github.purecnn.layers.ZeroPadding2D;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.testing.ScaleLayer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.github.purecnn.cli.MainTest.args;
import static io.github.purecnn.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --save}, {@code evaluate} and {@code predict} end to end through {@link Main#run}
 * on a small MNIST cut: one model trained and saved once, then evaluated and used to predict
 * in every output form; usage errors exit 2, unreadable model files exit 1 naming the file.
 */
class ModelCommandsTest {
    private static final int TEST_IMAGES = 300;

    @TempDir
    static Path shared;
    private static Path data;
    private static Path model;
    private static MainTest.Run train;

    @BeforeAll
    static void trainAndSave() throws IOException {
        data = Files.createDirectory(shared.resolve("mnist"));
        SmallMnist.write(data, 1000, TEST_IMAGES);
        model = shared.resolve("models/lenet.purecnn");
        Files.createDirectories(model.getParent());
        train = run(args("train --data", data, "--epochs 1 --threads 2 --save", model));
    }

    @Test
    void trainSavesTheTrainedModel() throws IOException {
        train.assertCode(Main.OK);
        assertTrue(train.out().contains("model: " + model), train.out());
        Sequential loaded = Sequential.load(model);
        assertTrue(loaded.isCompiled());
        assertEquals(16, loaded.optimizer().iterations(), "1000 images in batches of 64");
    }

    @Test
    void evaluatePrintsLossAccuracyAndTheConfusionMatrixAsTrainDid() {
        MainTest.Run r = run(args("evaluate --model", model, "--data", data));
        r.assertCode(Main.OK);
        String testLoss = line(train.out(), "test loss: ");
        String testAccuracy = line(train.out(), "test accuracy: ");
        assertTrue(r.out().contains(testLoss + " (sparse_categorical_crossentropy)"), r.out());
        assertTrue(r.out().contains(testAccuracy), "the same accuracy as right after training:\n" + r.out());
        assertTrue(r.out().contains("(" + TEST_IMAGES + " test images)"), r.out());
        assertTrue(r.out().contains("true \\ predicted"), r.out());
        assertTrue(r.out().contains("recall"), r.out());
        assertTrue(r.out().contains("precision"), r.out());
    }

    @Test
    void predictWritesAnNpyArrayOfProbabilities() throws IOException {
        Path out = shared.resolve("p.npy");
        MainTest.Run r = run(args("predict --model", model, "--data", data, "--limit 25 --output", out));
        r.assertCode(Main.OK);
        assertTrue(r.out().contains("wrote 25 predictions to " + out), r.out());
        NpyArray p = Npy.read(out);
        assertEquals(NpyArray.DType.FLOAT32, p.dtype());
        assertArrayEquals(new int[] {25, 10}, p.shape());
        float[] values = p.toFloats();
        for (int i = 0; i < 25; i++) {
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                sum += values[i * 10 + c];
            }
            assertEquals(1, sum, 1e-5, "row " + i + " is a probability distribution");
        }
    }

    @Test
    void predictWritesACsvTableAndPrintsTheSameWithoutOutput() throws IOException {
        Path out = shared.resolve("p.csv");
        run(args("predict --model", model, "--data", data, "--limit 5 --output", out)).assertCode(Main.OK);
        List<String> lines = Files.readAllLines(out);
        assertEquals("index,label,predicted,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9", lines.get(0));
        assertEquals(6, lines.size());
        String[] first = lines.get(1).split(",");
        assertEquals(13, first.length);
        assertEquals("0", first[0]);
        assertEquals("7", first[1], "the first test digit is a 7");

        MainTest.Run printed = run(args("predict --model", model, "--data", data, "--limit 5"));
        printed.assertCode(Main.OK);
        assertEquals(String.join("\n", lines) + "\n", printed.out());
    }

    @Test
    void predictWithKerasWeightsMatchesTheModelFile() throws IOException {
        Path weights = shared.resolve("w.npz");
        Sequential.load(model).saveWeights(weights);
        MainTest.Run fromWeights = run(args("predict --weights", weights, "--data", data, "--limit 20"));
        MainTest.Run fromModel = run(args("predict --model", model, "--data", data, "--limit 20"));
        fromWeights.assertCode(Main.OK);
        assertEquals(fromModel.out(), fromWeights.out());
    }

    /**
     * A model of the layers of issue 17, saved by the library: the command line loads it for
     * evaluate, predict and train --model like any other; a model with a custom layer its process
     * has not registered fails to load, naming the layer type.
     */
    @Test
    void theCommandLineLoadsModelsWithTheNewLayers() throws IOException {
        Sequential m = new Sequential(3, Shape.of(28, 28, 1),
                new ZeroPadding2D(1), new Conv2D(4, 3).strides(2), new BatchNormalization(), new LeakyReLU(),
                new DepthwiseConv2D(3).padding(Padding.SAME).depthMultiplier(2).dilationRate(2),
                new SeparableConv2D(8, 3).padding(Padding.SAME).activation(Activation.GELU), new SpatialDropout2D(0.1),
                new Cropping2D(1), new UpSampling2D(2), new GlobalMaxPooling2D().keepDims(true), new Reshape(-1),
                new Dense(10).activation(Activation.SOFTMAX));
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        Path file = shared.resolve("models/new-layers.purecnn");
        m.save(file);
        MainTest.Run evaluate = run(args("evaluate --model", file, "--data", data));
        evaluate.assertCode(Main.OK);
        assertTrue(evaluate.out().contains("(" + TEST_IMAGES + " test images)"), evaluate.out());
        run(args("predict --model", file, "--data", data, "--limit 5")).assertCode(Main.OK);
        Path trained = shared.resolve("models/new-layers-trained.purecnn");
        run(args("train --model", file, "--data", data, "--epochs 1 --train-limit 128 --threads 2 --save", trained))
                .assertCode(Main.OK);
        assertEquals(2, Sequential.load(trained).stepsTrained(), "128 images in batches of 64");

        Path custom = shared.resolve("models/custom.purecnn");
        new Sequential(3, Shape.of(28, 28, 1), new ScaleLayer("UnregisteredScale", 0.5), new Flatten(), new Dense(10)).save(custom);
        MainTest.Run r = run(args("evaluate --model", custom, "--data", data));
        r.assertCode(Main.FAILURE);
        assertTrue(r.err().contains("unknown layer type 'UnregisteredScale'"), r.err());
        assertTrue(r.err().contains("Layers.register"), r.err());
    }

    @Test
    void usageErrorsExitWith2() {
        assertUsage(run(args("predict --model", model, "--output", shared.resolve("p.txt"))),
                "expected a file name ending in .npy or .csv, found '" + shared.resolve("p.txt") + "'");
        assertUsage(run(args("predict --data", data)), "expected exactly one of '--model FILE' and '--weights FILE', found neither");
        assertUsage(run(args("predict --model", model, "--weights", model)), "found both");
        assertUsage(run(args("evaluate --data", data)), "option '--model' is required");
        assertUsage(run(args("predict --model", model, "--data", data, "--limit 301")),
                "option '--limit': expected at most 300");
        assertUsage(run(args("predict --model", model, "--limit 0")), "option '--limit': expected an integer of at least 1");
    }

    @Test
    void missingOrCorruptModelFilesExitWith1NamingTheFile() throws IOException {
        Path missing = shared.resolve("absent.purecnn");
        MainTest.Run r = run(args("evaluate --model", missing, "--data", data));
        r.assertCode(Main.FAILURE);
        assertTrue(r.err().contains(missing + ": no such file or folder"), r.err());

        Path corrupt = shared.resolve("corrupt.purecnn");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(corrupt, Arrays.copyOf(bytes, bytes.length - 5000));
        r = run(args("predict --model", corrupt, "--data", data));
        r.assertCode(Main.FAILURE);
        assertTrue(r.err().contains(corrupt + " entry '"), r.err());
        assertFalse(r.err().contains("--debug"), "a file problem, not a bug:\n" + r.err());
    }

    @Test
    void convertCopiesAModelFileAndChecksItsOperands() throws IOException {
        Path copy = shared.resolve("copy.purecnn");
        MainTest.Run r = run(args("convert", model, copy));
        r.assertCode(Main.OK);
        assertTrue(r.out().contains("wrote " + copy), r.out());
        assertEquals(run(args("predict --model", model, "--data", data, "--limit 5")).out(),
                run(args("predict --model", copy, "--data", data, "--limit 5")).out());

        assertUsage(run(args("convert", model)), "expected the operands IN OUT, found only " + model);
        assertUsage(run(args("convert", model, copy, copy)), "the operands IN OUT are given already");
        assertUsage(run(args("convert", model, shared.resolve("m.keras"))), "operand OUT: ");
        MainTest.Run help = run("convert", "--help");
        help.assertCode(Main.OK);
        assertTrue(help.out().contains("usage: purecnn convert [--debug] IN OUT"), help.out());
    }

    @Test
    void helpAndUsageListTheNewCommands() {
        MainTest.Run usage = run("--help");
        assertTrue(usage.out().contains("evaluate"), usage.out());
        assertTrue(usage.out().contains("predict"), usage.out());
        for (String command : List.of("evaluate", "predict", "train")) {
            MainTest.Run help = run(command, "--help");
            help.assertCode(Main.OK);
            assertTrue(help.out().contains(command.equals("train") ? "--save FILE" : "--model FILE"), help.out());
        }
    }

    private static void assertUsage(MainTest.Run r, String fragment) {
        r.assertCode(Main.USAGE);
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in:\n" + r.err());
    }

    private static String line(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting '" + prefix + "' in:\n" + text));
    }
}
