package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.util.Arrays;

/**
 * A labelled set of images, each of shape (height, width, channels), each with one class label in
 * {@code [0, numClasses)}. Immutable, so one dataset may be read from several threads.
 *
 * <p>Images are handed out as float NHWC tensors. They are stored in one of two ways:
 * <ul>
 *   <li>{@link #ofBytes}: unsigned bytes, one per pixel (47 MB for MNIST's training set instead of
 *       188 MB as floats), scaled to 0..1 by {@code / 255} as they are handed out;</li>
 *   <li>{@link #of}: floats as the caller gave them, handed out unchanged.</li>
 * </ul>
 *
 * <p>Training gathers shuffled batches with {@link #copyImages} and {@link #copyLabels}, which
 * write into caller-owned buffers and allocate nothing.
 */
public final class Dataset {
    /**
     * {@code UNIT[b] == b / 255f}, computed as float division so that the scaled pixels equal
     * Keras's {@code x.astype("float32") / 255} bit for bit (255 gives exactly 1.0f).
     */
    private static final float[] UNIT = new float[256];

    static {
        for (int b = 0; b < UNIT.length; b++) {
            UNIT[b] = b / 255f;
        }
    }

    // Exactly one of bytePixels and floatPixels is non-null. Both are laid out
    // (storage samples, height, width, channels), shared by a dataset and its subsets.
    private final byte[] bytePixels;
    private final float[] floatPixels;
    /** Labels of all storage samples, shared like the pixels. */
    private final int[] labels;
    /** The storage index of this dataset's sample 0; non-zero for a subset. */
    private final int first;
    private final int size;
    private final Shape sampleShape;
    private final int sampleSize;
    private final int numClasses;

    private Dataset(byte[] bytePixels, float[] floatPixels, int[] labels, int first, int size,
                    Shape sampleShape, int numClasses) {
        this.bytePixels = bytePixels;
        this.floatPixels = floatPixels;
        this.labels = labels;
        this.first = first;
        this.size = size;
        this.sampleShape = sampleShape;
        this.sampleSize = sampleShape.size();
        this.numClasses = numClasses;
    }

    /**
     * A dataset of unsigned-byte pixels (0 to 255), handed out scaled to 0..1 by {@code / 255}.
     * Both arrays are copied.
     *
     * @param pixels {@code labels.length * height * width * channels} bytes, NHWC, read unsigned
     * @param labels one class per image, each in {@code [0, numClasses)}; at least one image
     * @throws IllegalArgumentException if the sizes disagree or a label is out of range
     */
    public static Dataset ofBytes(byte[] pixels, int[] labels, int height, int width, int channels, int numClasses) {
        return adoptBytes(pixels.clone(), labels.clone(), height, width, channels, numClasses);
    }

    /** {@link #ofBytes} without the copies: the dataset takes ownership of both arrays. */
    static Dataset adoptBytes(byte[] pixels, int[] labels, int height, int width, int channels, int numClasses) {
        Shape sample = sampleShape(height, width, channels);
        checkLabels(labels, numClasses);
        long expected = (long) labels.length * sample.size();
        if (pixels.length != expected) {
            throw new IllegalArgumentException(labels.length + " images of shape " + sample + " need " + expected
                    + " pixel bytes, found " + pixels.length);
        }
        return new Dataset(pixels, null, labels, 0, labels.length, sample, numClasses);
    }

    /**
     * A dataset of float images, kept as given (no scaling). Both the tensor's data and the labels
     * are copied.
     *
     * @param images shape (n, height, width, channels)
     * @param labels n classes, each in {@code [0, numClasses)}
     * @throws IllegalArgumentException if the tensor is not 4-D, the counts disagree or a label is
     *     out of range
     */
    public static Dataset of(Tensor images, int[] labels, int numClasses) {
        Shape shape = images.shape();
        if (shape.rank() != 4) {
            throw new IllegalArgumentException("images must be a 4-D tensor (n, height, width, channels), found shape "
                    + shape);
        }
        if (shape.dim(0) != labels.length) {
            throw new IllegalArgumentException("images of shape " + shape + " hold " + shape.dim(0)
                    + " images, but there are " + labels.length + " labels");
        }
        checkLabels(labels, numClasses);
        return new Dataset(null, images.data().clone(), labels.clone(), 0, labels.length, shape.withoutBatch(),
                numClasses);
    }

    private static Shape sampleShape(int height, int width, int channels) {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("height, width and channels must be at least 1, found "
                    + height + ", " + width + ", " + channels);
        }
        return Shape.of(height, width, channels);
    }

    private static void checkLabels(int[] labels, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, found " + numClasses);
        }
        if (labels.length == 0) {
            throw new IllegalArgumentException("a dataset needs at least one image, found 0 labels");
        }
        int bad = firstLabelOutside(labels, numClasses);
        if (bad >= 0) {
            throw new IllegalArgumentException("label at index " + bad + " is " + labels[bad] + ", outside [0, "
                    + numClasses + ")");
        }
    }

    /** The index of the first label outside {@code [0, numClasses)}, or -1 if all are inside. */
    static int firstLabelOutside(int[] labels, int numClasses) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                return i;
            }
        }
        return -1;
    }

    /** The number of images. */
    public int size() {
        return size;
    }

    /** The shape of one image: (height, width, channels). */
    public Shape sampleShape() {
        return sampleShape;
    }

    public int numClasses() {
        return numClasses;
    }

    /** The class of image {@code i}. */
    public int label(int i) {
        checkIndex(i);
        return labels[first + i];
    }

    /** All labels, in order, as a new array. */
    public int[] labels() {
        return Arrays.copyOfRange(labels, first, first + size);
    }

    /** All images as a new float tensor (n, height, width, channels). */
    public Tensor images() {
        return images(0, size);
    }

    /** Images {@code [from, from + count)} as a new float tensor (count, height, width, channels). */
    public Tensor images(int from, int count) {
        checkRange(from, count, size, "images");
        // The shape comes first: it refuses more floats than one array holds, before any allocation.
        Shape shape = sampleShape.withBatch(count);
        float[] out = new float[shape.size()];
        for (int k = 0; k < count; k++) {
            copySample(first + from + k, out, k * sampleSize);
        }
        return new Tensor(shape, out);
    }

    /** Image {@code i} as a new array of height * width * channels floats, HWC order. */
    public float[] image(int i) {
        checkIndex(i);
        float[] out = new float[sampleSize];
        copySample(first + i, out, 0);
        return out;
    }

    /**
     * Gathers the images {@code order[from]}, ..., {@code order[from + count - 1]} into
     * {@code dst}, one after the other: a batch in NHWC layout. Allocates nothing.
     *
     * @param order sample indices of this dataset, e.g. a shuffled permutation; read; null for
     *     the images in their stored order ({@code from} is then an image index)
     * @param dst written: its first {@code count * sampleShape().size()} floats; may be longer
     *     (a batch buffer reused for a shorter last batch)
     */
    public void copyImages(int[] order, int from, int count, float[] dst) {
        checkRange(from, count, order == null ? size : order.length, order == null ? "images" : "entries of order");
        long needed = (long) count * sampleSize;
        if (dst.length < needed) {
            throw new IllegalArgumentException(count + " images of shape " + sampleShape + " need " + needed
                    + " floats, dst holds " + dst.length);
        }
        for (int k = 0; k < count; k++) {
            copySample(first + (order == null ? from + k : checkedOrderEntry(order, from + k)), dst, k * sampleSize);
        }
    }

    /**
     * Gathers the labels {@code order[from]}, ..., {@code order[from + count - 1]} into
     * {@code dst[0..count)}. Allocates nothing.
     *
     * @param order sample indices of this dataset; read; null for the stored order
     * @param dst written: its first {@code count} ints; may be longer
     */
    public void copyLabels(int[] order, int from, int count, int[] dst) {
        checkRange(from, count, order == null ? size : order.length, order == null ? "images" : "entries of order");
        if (dst.length < count) {
            throw new IllegalArgumentException(count + " labels do not fit in dst of length " + dst.length);
        }
        for (int k = 0; k < count; k++) {
            dst[k] = labels[first + (order == null ? from + k : checkedOrderEntry(order, from + k))];
        }
    }

    /**
     * Images {@code [from, from + count)} as a dataset of their own, e.g. a training limit or a
     * validation split. Shares this dataset's storage (no copy), which is safe because datasets
     * never change.
     */
    public Dataset subset(int from, int count) {
        checkRange(from, count, size, "images");
        return new Dataset(bytePixels, floatPixels, labels, first + from, count, sampleShape, numClasses);
    }

    /** How many images each class has: {@code numClasses()} counts, indexed by class. */
    public int[] labelHistogram() {
        int[] counts = new int[numClasses];
        for (int i = first; i < first + size; i++) {
            counts[labels[i]]++;
        }
        return counts;
    }

    /** Copies storage sample {@code s} into {@code dst[offset, offset + sampleSize)}, as floats. */
    private void copySample(int s, float[] dst, int offset) {
        int src = s * sampleSize;
        if (floatPixels != null) {
            System.arraycopy(floatPixels, src, dst, offset, sampleSize);
            return;
        }
        for (int k = 0; k < sampleSize; k++) {
            dst[offset + k] = UNIT[bytePixels[src + k] & 0xFF];
        }
    }

    private int checkedOrderEntry(int[] order, int position) {
        int i = order[position];
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("order[" + position + "] is " + i + ", not an index of a dataset of "
                    + size + " images");
        }
        return i;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("image " + i + " of a dataset of " + size + " images");
        }
    }

    private static void checkRange(int from, int count, int length, String what) {
        if (from < 0 || count < 1 || (long) from + count > length) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + ((long) from + count) + ") of " + length
                    + " " + what + (count < 1 ? ": count must be at least 1, found " + count : ""));
        }
    }

    /** For example {@code Dataset(60000 images of (28, 28, 1), 10 classes)}. */
    @Override
    public String toString() {
        return "Dataset(" + size + " images of " + sampleShape + ", " + numClasses + " classes)";
    }
}
