package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * Loads MNIST, or any data set in its format (Fashion-MNIST, KMNIST, ...), the way Keras's
 * {@code mnist.load_data()} does: a training and a test set of 28x28 grey images with 10 classes.
 *
 * <p>A directory holds the four standard files, each under its own name or with {@code .gz}
 * appended; the uncompressed name is tried first. Whether a file is compressed is decided by
 * its contents (see {@link IdxReader}).
 */
public final class Mnist {
    /** The number of classes of every MNIST-format data set: digits 0 to 9. */
    public static final int NUM_CLASSES = 10;

    private static final Logger log = LoggerFactory.getLogger(Mnist.class);

    /**
     * The training and the test set, as Keras's {@code (x_train, y_train), (x_test, y_test)}.
     *
     * @param train the training set (MNIST: 60,000 images)
     * @param test  the test set (MNIST: 10,000 images)
     */
    public record TrainTest(Dataset train, Dataset test) {
    }

    private Mnist() {
    }

    /**
     * Loads the training set ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte})
     * and the test set ({@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}) from
     * {@code dir}. Pixels are handed out scaled to 0..1.
     *
     * Each file may hold at most {@link IdxReader#DEFAULT_MAX_BYTES} of data.
     *
     * @param dir the folder holding the four files
     * @return the training and the test set
     * @throws NoSuchFileException if the directory or one of the files is missing; the message
     *     lists the names tried
     * @throws IdxFormatException if a file is malformed or not what MNIST needs (see
     *     {@link #loadPair})
     * @throws IOException if a file cannot be read
     */
    public static TrainTest load(Path dir) throws IOException {
        return load(dir, IdxReader.DEFAULT_MAX_BYTES);
    }

    /**
     * As {@link #load(Path)}, with a limit on the data of each file, checked against its header
     * before anything is read.
     *
     * @param dir the folder holding the four files
     * @param maxBytes the most data bytes each file may declare (see {@link IdxReader#read(Path, long)})
     * @return the training and the test set
     * @throws NoSuchFileException if the directory or one of the files is missing
     * @throws IdxFormatException if a file is malformed, exceeds the limit, or is not what MNIST needs
     * @throws IOException if a file cannot be read
     */
    public static TrainTest load(Path dir, long maxBytes) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such MNIST directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        long start = System.nanoTime();
        Dataset train = loadPair(find(dir, "train-images-idx3-ubyte"), find(dir, "train-labels-idx1-ubyte"), maxBytes);
        Dataset test = loadPair(find(dir, "t10k-images-idx3-ubyte"), find(dir, "t10k-labels-idx1-ubyte"), maxBytes);
        log.debug("loaded {} and {} from {} in {} ms", train, test, dir, (System.nanoTime() - start) / 1_000_000);
        return new TrainTest(train, test);
    }

    /**
     * Loads one MNIST-format set from an image file (3-D unsigned bytes: n, height, width) and a
     * label file (1-D unsigned bytes: n labels, each 0 to 9). The images get one channel.
     *
     * Each file may hold at most {@link IdxReader#DEFAULT_MAX_BYTES} of data.
     *
     * @param imageFile the images, {@code (n, height, width)} unsigned bytes
     * @param labelFile the labels, {@code (n,)} unsigned bytes
     * @return the images, with one channel, and their labels
     * @throws IdxFormatException if either file is malformed, has the wrong type or rank, the
     *     counts disagree, or a label is out of range; the message names the file
     * @throws IOException if a file cannot be read
     */
    public static Dataset loadPair(Path imageFile, Path labelFile) throws IOException {
        return loadPair(imageFile, labelFile, IdxReader.DEFAULT_MAX_BYTES);
    }

    private static Dataset loadPair(Path imageFile, Path labelFile, long maxBytes) throws IOException {
        IdxArray images = IdxReader.read(imageFile, maxBytes);
        checkKind(imageFile, images, 3, "image file (n, height, width)");
        IdxArray labels = IdxReader.read(labelFile, maxBytes);
        checkKind(labelFile, labels, 1, "label file (n,)");
        Shape imageShape = images.shape();
        int n = imageShape.dim(0);
        if (labels.size() != n) {
            throw new IdxFormatException("image file " + imageFile + " holds " + n + " images but label file "
                    + labelFile + " holds " + labels.size() + " labels");
        }
        int[] classes = labels.toInts();
        int bad = Targets.firstLabelOutside(classes, NUM_CLASSES);
        if (bad >= 0) {
            throw new IdxFormatException(labelFile + ": label at index " + bad + " is " + classes[bad]
                    + ", expected 0 to " + (NUM_CLASSES - 1));
        }
        return Dataset.adoptBytes(images.bytes(), classes, imageShape.dim(1), imageShape.dim(2), 1, NUM_CLASSES);
    }

    private static void checkKind(Path file, IdxArray array, int rank, String what) throws IdxFormatException {
        if (array.type() != IdxType.UNSIGNED_BYTE || array.shape().rank() != rank) {
            throw new IdxFormatException(file + ": expected an MNIST " + what + " of " + rank + "-D "
                    + IdxType.UNSIGNED_BYTE + " elements, found " + array.shape().rank() + "-D " + array.type()
                    + " elements of shape " + array.shape());
        }
    }

    /** {@code dir/name}, else {@code dir/name.gz}; the message lists both names when neither exists. */
    static Path find(Path dir, String name) throws NoSuchFileException {
        Path plain = dir.resolve(name);
        if (Files.exists(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.exists(gz)) {
            return gz;
        }
        throw new NoSuchFileException(plain.toString(), null, "tried " + name + " and " + name + ".gz in " + dir);
    }
}
