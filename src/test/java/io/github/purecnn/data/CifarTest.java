package io.github.purecnn.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.github.purecnn.data.IdxFiles.gzip;
import static io.github.purecnn.data.IdxReaderTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** CIFAR binary files written record by record by the test, independently of the reader. */
class CifarTest {
    @TempDir
    Path dir;

    /** The stored value of plane c, row y, column x of image {@code id}. */
    private static int value(int id, int c, int y, int x) {
        return (id * 31 + c * 101 + y * 7 + x) & 0xFF;
    }

    /** Records of images {@code ids}: the label bytes, then planes R, G, B of 32 rows of 32. */
    private static byte[] records(int[][] labels, int... ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int r = 0; r < ids.length; r++) {
            for (int label : labels[r]) {
                out.write(label);
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        out.write(value(ids[r], c, y, x));
                    }
                }
            }
        }
        return out.toByteArray();
    }

    private static float[] expectedImage(int id) {
        float[] f = new float[32 * 32 * 3];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                for (int c = 0; c < 3; c++) {
                    f[(y * 32 + x) * 3 + c] = value(id, c, y, x);
                }
            }
        }
        return f;
    }

    @Test
    void cifar10BatchesInOrderPlanesToNhwcGzipByContent() throws IOException {
        for (int b = 1; b <= 5; b++) {
            byte[] content = records(new int[][] {{b}, {9 - b}}, 2 * b, 2 * b + 1);
            // Batch 3 is compressed, under its plain name: content decides.
            Files.write(dir.resolve("data_batch_" + b + ".bin"), b == 3 ? gzip(content) : content);
        }
        Files.write(dir.resolve("test_batch.bin.gz"), gzip(records(new int[][] {{7}}, 99)));
        Mnist.TrainTest cifar = Cifar.load10(dir, PixelScale.RAW);
        Dataset train = cifar.train();
        assertEquals(10, train.size());
        assertEquals(Cifar.IMAGE_SHAPE, train.sampleShape());
        assertEquals(10, train.numClasses());
        assertArrayEquals(new int[] {1, 8, 2, 7, 3, 6, 4, 5, 5, 4}, train.labels());
        assertArrayEquals(expectedImage(2), train.image(0));
        assertArrayEquals(expectedImage(7), train.image(5));
        assertArrayEquals(expectedImage(99), cifar.test().image(0));
        assertArrayEquals(new int[] {7}, cifar.test().labels());
        assertEquals(value(2, 1, 0, 0) / 255f, Cifar.load10(dir, PixelScale.UNIT).train().image(0)[1]);
    }

    @Test
    void cifar100CoarseOrFineLabels() throws IOException {
        Files.write(dir.resolve("train.bin"), records(new int[][] {{19, 99}, {0, 42}}, 1, 2));
        Files.write(dir.resolve("test.bin"), records(new int[][] {{5, 55}}, 3));
        Mnist.TrainTest fine = Cifar.load100(dir, Cifar.Labels.CIFAR100_FINE, PixelScale.UNIT);
        assertArrayEquals(new int[] {99, 42}, fine.train().labels());
        assertEquals(100, fine.train().numClasses());
        Mnist.TrainTest coarse = Cifar.load100(dir, Cifar.Labels.CIFAR100_COARSE, PixelScale.UNIT);
        assertArrayEquals(new int[] {19, 0}, coarse.train().labels());
        assertArrayEquals(new int[] {5}, coarse.test().labels());
        assertEquals(20, coarse.test().numClasses());
    }

    private DatasetFormatException refused(Path file, Cifar.Labels labels) {
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> Cifar.read(List.of(file), labels, PixelScale.UNIT));
        assertMentions(e, file.toString());
        return e;
    }

    @Test
    void lengthsThatAreNotWholeRecordsAreRefused() throws IOException {
        byte[] two = records(new int[][] {{1}, {2}}, 1, 2);
        Path file = Files.write(dir.resolve("cut.bin"), Arrays.copyOf(two, two.length - 1));
        assertMentions(refused(file, Cifar.Labels.CIFAR10), "6145 bytes long", "3073-byte records",
                "1 records and 3072 bytes");
        // A CIFAR-10 file read as CIFAR-100 (3074-byte records) is caught by its length too.
        Files.write(file, two);
        assertMentions(refused(file, Cifar.Labels.CIFAR100_FINE), "3074-byte records");
        Files.write(file, gzip(Arrays.copyOf(two, 4000)));
        assertMentions(refused(file, Cifar.Labels.CIFAR10), "uncompressed content is 4000 bytes long");
        Files.write(file, new byte[0]);
        assertMentions(refused(file, Cifar.Labels.CIFAR10), "empty");
    }

    @Test
    void labelsOutOfRangeAreRefused() throws IOException {
        Path file = Files.write(dir.resolve("bad.bin"), records(new int[][] {{3}, {10}}, 1, 2));
        assertMentions(refused(file, Cifar.Labels.CIFAR10), "record 1 has label 10", "expected 0 to 9");
        Files.write(file, records(new int[][] {{20, 1}}, 1));
        assertMentions(refused(file, Cifar.Labels.CIFAR100_COARSE), "record 0 has label 20", "0 to 19");
    }

    @Test
    void corruptGzipIsRefused() throws IOException {
        byte[] gz = gzip(records(new int[][] {{1}}, 1));
        Path file = Files.write(dir.resolve("corrupt.bin"), Arrays.copyOf(gz, gz.length / 2));
        assertMentions(refused(file, Cifar.Labels.CIFAR10), "corrupt or truncated gzip");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        Files.write(dir.resolve("data_batch_1.bin"), records(new int[][] {{1}}, 1));
        assertMentions(assertThrows(java.nio.file.NoSuchFileException.class, () -> Cifar.load10(dir, PixelScale.UNIT)),
                "data_batch_2.bin", "data_batch_2.bin.gz");
    }
}
