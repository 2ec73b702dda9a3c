package io.github.purecnn.cli;

import io.github.purecnn.io.NpyArray;
import io.github.purecnn.io.Npz;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static io.github.purecnn.cli.MainTest.args;
import static io.github.purecnn.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --data} on each kind of data the command line recognises, and {@code train --model}. */
class TrainDataTest {
    @TempDir
    Path dir;

    private static void assertSays(MainTest.Run r, String... parts) {
        for (String part : parts) {
            assertTrue(r.out().contains(part) || r.err().contains(part),
                    () -> "expected '" + part + "' in\nstdout:\n" + r.out() + "\nstderr:\n" + r.err());
        }
    }

    /** 20 RGB PNGs of 12 x 10 per class, two classes: bright or dark. */
    private Path imageTree() throws IOException {
        Path tree = dir.resolve("pictures");
        SplittableRandom random = new SplittableRandom(1);
        for (String cls : new String[] {"bright", "dark"}) {
            Files.createDirectories(tree.resolve(cls));
            for (int k = 0; k < 20; k++) {
                BufferedImage image = new BufferedImage(12, 10, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 10; y++) {
                    for (int x = 0; x < 12; x++) {
                        int v = cls.equals("bright") ? 180 + random.nextInt(75) : random.nextInt(75);
                        image.setRGB(x, y, v * 0x010101);
                    }
                }
                ImageIO.write(image, "png", tree.resolve(cls).resolve(k + ".png").toFile());
            }
        }
        return tree;
    }

    @Test
    void imageFoldersTrainTheSeedModelResizedToItsInput() throws IOException {
        MainTest.Run r = run(args("train --data", imageTree(), "--epochs 2 --batch-size 8 --threads 1"));
        r.assertCode(Main.OK);
        assertSays(r, "2 classes [bright, dark]; 8 files held out as the test set", "seed 1",
                "Dataset(32 images of (28, 28, 1), 2 classes) for training", "test accuracy");
    }

    @Test
    void imageOptionsThatDoNotFitTheSeedModelAreUsageErrors() throws IOException {
        Path tree = imageTree();
        MainTest.Run rgb = run(args("train --data", tree, "--color-mode rgb --epochs 1"));
        rgb.assertCode(Main.USAGE);
        assertSays(rgb, "shape (28, 28, 3)", "the model takes (28, 28, 1)", "--model FILE");
        MainTest.Run size = run(args("train --data", tree, "--image-size 28by28"));
        size.assertCode(Main.USAGE);
        assertSays(size, "option '--image-size'", "HEIGHTxWIDTH", "28by28");
        MainTest.Run mode = run(args("train --data", tree, "--color-mode cmyk"));
        mode.assertCode(Main.USAGE);
        assertSays(mode, "grayscale, rgb, rgba", "cmyk");
    }

    @Test
    void npzArchivesAreRecognisedByContent() throws IOException {
        SplittableRandom random = new SplittableRandom(2);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (String set : new String[] {"train", "test"}) {
            int n = set.equals("train") ? 64 : 16;
            byte[] x = new byte[n * 28 * 28];
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = i % 2;
                for (int p = 0; p < 28 * 28; p++) {
                    x[i * 784 + p] = (byte) (y[i] == 1 ? 200 + random.nextInt(50) : random.nextInt(50));
                }
            }
            arrays.put("x_" + set, NpyArray.ofUint8(x, n, 28, 28));
            arrays.put("y_" + set, NpyArray.of(y, n));
        }
        Path file = dir.resolve("digits.data"); // no .npz suffix: the content decides
        Npz.write(file, arrays);
        MainTest.Run r = run(args("train --data", file, "--epochs 1 --threads 1"));
        r.assertCode(Main.OK);
        assertSays(r, "NumPy archive " + file, "64 images of (28, 28, 1), 2 classes) for training", "16 images");
        MainTest.Run sized = run(args("train --data", file, "--image-size 28x28"));
        sized.assertCode(Main.USAGE);
        assertSays(sized, "option '--image-size' applies to image folders; the data is an .npz archive");
    }

    /** CIFAR-10 records (label byte, 3072 pixel bytes) in all six files. */
    private Path cifarFolder() throws IOException {
        Path cifar = Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
        SplittableRandom random = new SplittableRandom(3);
        for (String name : new String[] {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int r = 0; r < 8; r++) {
                out.write(r % 3);
                for (int p = 0; p < 3072; p++) {
                    out.write(random.nextInt(256));
                }
            }
            Files.write(cifar.resolve(name), out.toByteArray());
        }
        return cifar;
    }

    @Test
    void cifarNeedsAModelForItsShapeAndTrainsTheSavedOne() throws IOException {
        Path cifar = cifarFolder();
        MainTest.Run seed = run(args("train --data", cifar, "--epochs 1"));
        seed.assertCode(Main.USAGE);
        assertSays(seed, "shape (32, 32, 3)", "the seed LeNet needs 28x28");

        Path modelFile = dir.resolve("small.purecnn");
        new Sequential(5, Shape.of(32, 32, 3), new Conv2D(4, 3).activation(Activation.RELU), new MaxPooling2D(2),
                new Flatten(), new Dense(10).activation(Activation.SOFTMAX)).save(modelFile);
        Path trained = dir.resolve("trained.purecnn");
        MainTest.Run r = run(args("train --data", cifar, "--model", modelFile, "--epochs 1 --threads 1 --save", trained));
        r.assertCode(Main.OK);
        assertSays(r, "CIFAR-10 folder", "model: " + modelFile, "40 images of (32, 32, 3), 10 classes) for training",
                "test accuracy");
        assertTrue(Sequential.load(trained).epochsTrained() == 1);
    }

    @Test
    void unrecognisedFilesAndKerasFilesAreNamed() throws IOException {
        Path text = Files.writeString(dir.resolve("data.csv"), "1,2,3");
        MainTest.Run r = run(args("train --data", text));
        r.assertCode(Main.FAILURE);
        assertSays(r, "cannot load data from " + text, "not a data file purecnn recognises");
        Path h5 = Files.write(dir.resolve("model.h5"), new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n', 0});
        MainTest.Run keras = run(args("train --model", h5));
        keras.assertCode(Main.FAILURE);
        assertSays(keras, h5.toString(), "an HDF5 file", "purecnn-keras module");
    }
}
