package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Loads CIFAR-10 and CIFAR-100 in their binary format (the "binary version" of the data sets, not
 * the Python pickles): 32 x 32 colour images, handed out NHWC (32, 32, 3).
 *
 * <p>Each file is a run of records. A CIFAR-10 record is one label byte (0 to 9) and 3072 pixel
 * bytes; a CIFAR-100 record is a coarse label byte (0 to 19), a fine label byte (0 to 99) and
 * 3072 pixel bytes. The pixels are stored as planes, red then green then blue, each 32 rows of 32;
 * the reader reorders them to (height, width, channels).
 *
 * <p>The reader is strict, like {@link IdxReader}: a file must hold a whole, non-zero number of
 * records, every label must be in range, and a file may be gzip-compressed, which is decided by its
 * first two bytes, never by its name. Anything else raises a {@link DatasetFormatException} naming
 * the file (and the record). The data sets are not bundled: they are 163 and 161 MB.
 */
public final class Cifar {
    /** Pixel bytes per record: 3 planes of 32 x 32. */
    static final int PIXELS = 3 * 32 * 32;
    /** One image's shape as handed out. */
    public static final Shape IMAGE_SHAPE = Shape.of(32, 32, 3);
    /** The training files of CIFAR-10, in order. */
    public static final List<String> CIFAR10_TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin",
            "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
    /** The test file of CIFAR-10. */
    public static final String CIFAR10_TEST = "test_batch.bin";
    /** The training file of CIFAR-100. */
    public static final String CIFAR100_TRAIN = "train.bin";
    /** The test file of CIFAR-100. */
    public static final String CIFAR100_TEST = "test.bin";

    private static final int BUFFER = 1 << 16;

    /** Which labels a file's records carry, and which of them to hand out. */
    public enum Labels {
        /** CIFAR-10: one label byte, 10 classes. */
        CIFAR10(1, 0, 10),
        /** CIFAR-100, the 20 superclasses (first label byte). */
        CIFAR100_COARSE(2, 0, 20),
        /** CIFAR-100, the 100 classes (second label byte). */
        CIFAR100_FINE(2, 1, 100);

        private final int labelBytes;
        private final int which;
        private final int classes;

        Labels(int labelBytes, int which, int classes) {
            this.labelBytes = labelBytes;
            this.which = which;
            this.classes = classes;
        }

        /**
         * The number of classes handed out.
         *
         * @return 10, 20 or 100: one more than the largest label a record may carry
         */
        public int numClasses() {
            return classes;
        }

        int recordBytes() {
            return labelBytes + PIXELS;
        }
    }

    private Cifar() {
    }

    /**
     * Loads CIFAR-10 from a folder holding {@code data_batch_1.bin} to {@code data_batch_5.bin} and
     * {@code test_batch.bin} (the folder {@code cifar-10-batches-bin} of the archive), each under
     * its name or with {@code .gz} appended.
     *
     * @param dir   the folder holding the six files
     * @param scale how pixels are handed out: 0..1 (as {@link Mnist#load}) or 0..255 (as Keras's
     *     {@code cifar10.load_data()} arrays)
     * @return the training set (the records of the five training files in order: 50,000 images for
     *     the published data set) and the test set (10,000), with 10 classes
     * @throws NoSuchFileException if the folder or a file is missing (the message lists the names tried)
     * @throws NotDirectoryException if {@code dir} is not a folder
     * @throws DatasetFormatException if a file is not a whole number of CIFAR-10 records, has a label
     *     out of range or a corrupt gzip stream; the message names the file
     * @throws IOException if a file cannot be read
     */
    public static Mnist.TrainTest load10(Path dir, PixelScale scale) throws IOException {
        checkDir(dir);
        List<Path> train = new ArrayList<>();
        for (String name : CIFAR10_TRAIN) {
            train.add(Mnist.find(dir, name));
        }
        return new Mnist.TrainTest(read(train, Labels.CIFAR10, scale),
                read(List.of(Mnist.find(dir, CIFAR10_TEST)), Labels.CIFAR10, scale));
    }

    /**
     * Loads CIFAR-100 from a folder holding {@code train.bin} and {@code test.bin} (the folder
     * {@code cifar-100-binary} of the archive), each under its name or with {@code .gz} appended.
     *
     * @param dir    the folder holding the two files
     * @param labels {@link Labels#CIFAR100_FINE} or {@link Labels#CIFAR100_COARSE}
     * @param scale  how pixels are handed out: 0..1 or 0..255 (as Keras's {@code cifar100.load_data()})
     * @return the training set (50,000 images for the published data set) and the test set (10,000),
     *     with 100 or 20 classes
     * @throws IllegalArgumentException if {@code labels} is {@link Labels#CIFAR10}
     * @throws NoSuchFileException if the folder or a file is missing (the message lists the names tried)
     * @throws NotDirectoryException if {@code dir} is not a folder
     * @throws DatasetFormatException if a file is not a whole number of CIFAR-100 records, has a label
     *     out of range or a corrupt gzip stream; the message names the file
     * @throws IOException if a file cannot be read
     */
    public static Mnist.TrainTest load100(Path dir, Labels labels, PixelScale scale) throws IOException {
        if (labels == Labels.CIFAR10) {
            throw new IllegalArgumentException("CIFAR-100 has coarse or fine labels, not " + labels);
        }
        checkDir(dir);
        return new Mnist.TrainTest(read(List.of(Mnist.find(dir, CIFAR100_TRAIN)), labels, scale),
                read(List.of(Mnist.find(dir, CIFAR100_TEST)), labels, scale));
    }

    /**
     * Reads the records of {@code files}, in order, into one data set.
     *
     * @param files  CIFAR binary files, each plain or gzip-compressed; all of the same variant
     * @param labels the variant of the records and which label to hand out
     * @param scale  how pixels are handed out: 0..1 or 0..255
     * @return the images of all files, in order, as (32, 32, 3) samples with their class labels
     * @throws DatasetFormatException if a file is empty, is not a whole number of records, has a
     *     label out of range, or its gzip stream is corrupt, or the files together hold more pixels
     *     than one array holds; the message names the file
     * @throws IOException if a file cannot be read
     */
    public static Dataset read(List<Path> files, Labels labels, PixelScale scale) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        long records = 0;
        for (Path file : files) {
            byte[] content = content(file, labels.recordBytes(), ByteSamples.MAX_BYTES - records * PIXELS);
            contents.add(content);
            records += content.length / labels.recordBytes();
        }
        byte[] pixels = new byte[(int) (records * PIXELS)];
        int[] classes = new int[(int) records];
        int r = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] content = contents.get(f);
            for (int at = 0; at < content.length; at += labels.recordBytes(), r++) {
                int label = content[at + labels.which] & 0xFF;
                if (label >= labels.classes) {
                    throw new DatasetFormatException(files.get(f) + ": record " + (at / labels.recordBytes())
                            + " has label " + label + ", expected 0 to " + (labels.classes - 1) + " (" + labels + ")");
                }
                classes[r] = label;
                planesToHwc(content, at + labels.labelBytes, pixels, r * PIXELS);
            }
            contents.set(f, null);
        }
        return Dataset.adoptBytes(pixels, IMAGE_SHAPE, scale, Targets.adoptClasses(classes, labels.classes));
    }

    /** One record's (3, 32, 32) planes at {@code src[from..]} into (32, 32, 3) at {@code dst[to..]}. */
    private static void planesToHwc(byte[] src, int from, byte[] dst, int to) {
        for (int c = 0; c < 3; c++) {
            int plane = from + c * 1024;
            for (int p = 0; p < 1024; p++) {
                dst[to + 3 * p + c] = src[plane + p];
            }
        }
    }

    /**
     * The (uncompressed) content of a file of whole records, at most {@code maxBytes} long. A plain
     * file's length is checked before it is read; a gzip stream is read in growing chunks, so a
     * corrupt stream never costs more memory than it really inflates to.
     */
    private static byte[] content(Path file, int recordBytes, long maxBytes) throws IOException {
        try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            if (!gzip) {
                long size = Files.size(file);
                checkLength(file, size, recordBytes, "file", maxBytes);
                return in.readNBytes((int) size);
            }
            try (InputStream inflating = new GZIPInputStream(in, BUFFER)) {
                byte[] buf = new byte[BUFFER];
                int filled = 0;
                while (true) {
                    if (filled == buf.length) {
                        if (filled > maxBytes) {
                            throw new DatasetFormatException(file + ": uncompressed content is more than " + maxBytes
                                    + " bytes, more images than one array holds");
                        }
                        buf = Arrays.copyOf(buf, (int) Math.min(2L * buf.length, maxBytes + 1));
                    }
                    int n = inflating.read(buf, filled, buf.length - filled);
                    if (n < 0) {
                        break;
                    }
                    filled += n;
                }
                checkLength(file, filled, recordBytes, "uncompressed content", maxBytes);
                return Arrays.copyOf(buf, filled);
            } catch (DatasetFormatException e) {
                throw e;
            } catch (IOException e) {
                throw new DatasetFormatException(file + ": corrupt or truncated gzip stream: " + e.getMessage(), e);
            }
        }
    }

    private static void checkLength(Path file, long length, int recordBytes, String what, long maxBytes)
            throws DatasetFormatException {
        if (length == 0) {
            throw new DatasetFormatException(file + ": " + what + " is empty: expected records of " + recordBytes
                    + " bytes");
        }
        if (length % recordBytes != 0) {
            throw new DatasetFormatException(file + ": " + what + " is " + length + " bytes long, not a whole number"
                    + " of " + recordBytes + "-byte records: " + length / recordBytes + " records and "
                    + length % recordBytes + " bytes (truncated, or not this CIFAR variant)");
        }
        if (length / recordBytes * PIXELS > maxBytes) {
            throw new DatasetFormatException(file + ": " + what + " holds " + length / recordBytes
                    + " records, more images than one array holds");
        }
    }

    private static void checkDir(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such CIFAR directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
    }
}
