package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static io.github.purecnn.data.IdxFiles.bytes;
import static io.github.purecnn.data.IdxFiles.gzip;
import static io.github.purecnn.data.IdxFiles.idx;
import static io.github.purecnn.data.IdxFiles.write;
import static io.github.purecnn.data.IdxReaderTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The bundled MNIST through the public API, against values computed once, independently, with
 * Python's {@code gzip} and {@code struct} from the same files.
 */
class MnistTest {
    private static final int[] TRAIN_HISTOGRAM = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
    private static final int[] TEST_HISTOGRAM = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};
    private static final int[] TRAIN_FIRST_LABELS = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4};
    private static final int[] TEST_FIRST_LABELS = {7, 2, 1, 0, 4, 1, 4, 9, 5, 9};

    /** Sums of the raw pixel bytes (0 to 255). */
    private static final long TRAIN_BYTE_SUM = 1_567_298_545L;
    private static final long TEST_BYTE_SUM = 264_923_200L;
    private static final long FIRST_TRAIN_IMAGE_BYTE_SUM = 27_525L;
    private static final int FIRST_TRAIN_IMAGE_NONZERO = 166;

    /**
     * Each handed-out pixel is {@code b / 255f}, within half a float ulp (below 3e-8) of the exact
     * {@code b / 255}; a mean of such values, summed in double, is therefore within 3e-8 of the
     * exact mean {@code byteSum / 255 / pixels}. 1e-7 leaves room without hiding a wrong scale.
     */
    private static final double MEAN_TOLERANCE = 1e-7;

    private static Mnist.TrainTest mnist;

    @BeforeAll
    static void loadBundledMnist() throws IOException {
        mnist = Mnist.load(Path.of("mnist-data"));
    }

    @Test
    void countsAndShapes() {
        assertEquals(60_000, mnist.train().size());
        assertEquals(10_000, mnist.test().size());
        assertEquals(Shape.of(28, 28, 1), mnist.train().sampleShape());
        assertEquals(Shape.of(28, 28, 1), mnist.test().sampleShape());
        assertEquals(10, mnist.train().numClasses());
        assertEquals(Shape.of(10_000, 28, 28, 1), mnist.test().images().shape());
    }

    @Test
    void labelHistograms() {
        assertArrayEquals(TRAIN_HISTOGRAM, mnist.train().labelHistogram());
        assertArrayEquals(TEST_HISTOGRAM, mnist.test().labelHistogram());
    }

    @Test
    void firstLabels() {
        assertArrayEquals(TRAIN_FIRST_LABELS, IntStream.range(0, 10).map(mnist.train()::label).toArray());
        assertArrayEquals(TEST_FIRST_LABELS, IntStream.range(0, 10).map(mnist.test()::label).toArray());
    }

    @Test
    void trainingPixelStatistics() {
        Dataset train = mnist.train();
        int batch = 1000;
        int[] order = IntStream.range(0, train.size()).toArray();
        float[] buffer = new float[batch * 784];
        PixelStats stats = new PixelStats();
        for (int from = 0; from < train.size(); from += batch) {
            train.copyImages(order, from, batch, buffer);
            stats.add(buffer);
        }
        assertEquals(0f, stats.min);
        assertEquals(1f, stats.max);
        assertEquals(TRAIN_BYTE_SUM, stats.byteSum);
        assertEquals(TRAIN_BYTE_SUM / 255.0 / (60_000 * 784), stats.sum / (60_000 * 784), MEAN_TOLERANCE);
        assertEquals(0.1307, stats.sum / (60_000 * 784), 1e-4, "the mean Keras tutorials quote");
    }

    @Test
    void testPixelStatistics() {
        Tensor images = mnist.test().images();
        PixelStats stats = new PixelStats();
        stats.add(images.data());
        assertEquals(0f, stats.min);
        assertEquals(1f, stats.max);
        assertEquals(TEST_BYTE_SUM, stats.byteSum);
        assertEquals(TEST_BYTE_SUM / 255.0 / (10_000 * 784), stats.sum / (10_000 * 784), MEAN_TOLERANCE);
    }

    @Test
    void firstTrainingImage() {
        float[] image = mnist.train().image(0);
        PixelStats stats = new PixelStats();
        stats.add(image);
        assertEquals(FIRST_TRAIN_IMAGE_BYTE_SUM, stats.byteSum);
        assertEquals(FIRST_TRAIN_IMAGE_NONZERO, stats.nonZero);
        assertEquals(FIRST_TRAIN_IMAGE_BYTE_SUM / 255.0 / 784, stats.sum / 784, MEAN_TOLERANCE);
        // Row 5 of the "5" holds 3, 18, 18, 18 from column 12 and 255 at column 21: pins row-major HWC.
        Tensor first = mnist.train().images(0, 1);
        assertEquals(3 / 255f, first.get(0, 5, 12, 0));
        assertEquals(18 / 255f, first.get(0, 5, 13, 0));
        assertEquals(1f, first.get(0, 5, 21, 0));
        assertEquals(30 / 255f, first.get(0, 6, 8, 0));
        assertEquals(0f, first.get(0, 0, 0, 0));
    }

    private static final class PixelStats {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        double sum;
        /** Each pixel mapped back to its byte: exact, since b / 255f * 255 rounds to b. */
        long byteSum;
        int nonZero;

        void add(float[] pixels) {
            for (float p : pixels) {
                min = Math.min(min, p);
                max = Math.max(max, p);
                sum += p;
                byteSum += Math.round(p * 255.0);
                nonZero += p != 0 ? 1 : 0;
            }
        }
    }

    // ---- MNIST-format directories written by the test ----

    @TempDir
    Path dir;

    /** A tiny MNIST-format set: 2x3 images, train 3 images, test 2, files mixed plain and gzip. */
    private void writeTinyMnist(byte[] trainLabels) throws IOException {
        write(dir, "train-images-idx3-ubyte", idx(0x08, new int[] {3, 2, 3}, bytes(
                0, 255, 0, 0, 0, 0,
                1, 2, 3, 4, 5, 6,
                255, 255, 255, 255, 255, 255)));
        write(dir, "train-labels-idx1-ubyte.gz", gzip(idx(0x08, new int[] {trainLabels.length}, trainLabels)));
        write(dir, "t10k-images-idx3-ubyte.gz", gzip(idx(0x08, new int[] {2, 2, 3}, new byte[12])));
        write(dir, "t10k-labels-idx1-ubyte", idx(0x08, new int[] {2}, bytes(9, 0)));
    }

    @Test
    void loadsAnyMnistFormatDirectoryWithPlainAndGzipFiles() throws IOException {
        writeTinyMnist(bytes(7, 0, 9));
        Mnist.TrainTest tiny = Mnist.load(dir);
        assertEquals(Shape.of(2, 3, 1), tiny.train().sampleShape());
        assertArrayEquals(new int[] {7, 0, 9}, tiny.train().labels());
        assertArrayEquals(new int[] {9, 0}, tiny.test().labels());
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0}, tiny.train().image(0));
        assertEquals(2, tiny.test().size());
    }

    @Test
    void labelOutOfRangeNamesFileIndexAndValue() throws IOException {
        writeTinyMnist(bytes(7, 10, 9));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.load(dir));
        assertMentions(e, dir.resolve("train-labels-idx1-ubyte.gz").toString(), "index 1 is 10", "0 to 9");
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        writeTinyMnist(bytes(7, 0, 9, 1));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.load(dir));
        assertMentions(e, dir.resolve("train-images-idx3-ubyte").toString(), "3 images",
                dir.resolve("train-labels-idx1-ubyte.gz").toString(), "4 labels");
    }

    @Test
    void imageFileMustBeThreeDimensionalUnsignedBytes() throws IOException {
        Path images = write(dir, "images", idx(0x08, new int[] {3, 6}, new byte[18]));
        Path labels = write(dir, "labels", idx(0x08, new int[] {3}, new byte[3]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.loadPair(images, labels));
        assertMentions(e, images.toString(), "3-D unsigned byte (0x08)", "found 2-D unsigned byte (0x08)", "(3, 6)");
    }

    @Test
    void labelFileMustBeUnsignedBytes() throws IOException {
        Path images = write(dir, "images", idx(0x08, new int[] {1, 1, 1}, new byte[1]));
        Path labels = write(dir, "labels", idx(0x0C, new int[] {1}, new byte[4]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> Mnist.loadPair(images, labels));
        assertMentions(e, labels.toString(), "1-D unsigned byte (0x08)", "found 1-D int (0x0C)");
    }

    @Test
    void missingFileListsTheNamesTried() throws IOException {
        writeTinyMnist(bytes(7, 0, 9));
        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir));
        assertMentions(e, dir.resolve("t10k-images-idx3-ubyte").toString(),
                "t10k-images-idx3-ubyte and t10k-images-idx3-ubyte.gz");
    }

    @Test
    void missingDirectory() {
        Path absent = dir.resolve("no-such-dir");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(absent));
        assertMentions(e, absent.toString());
    }

    @Test
    void aFileIsNotADirectory() throws IOException {
        Path file = write(dir, "plain-file", new byte[1]);
        assertThrows(NotDirectoryException.class, () -> Mnist.load(file));
    }
}
