package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * A set of samples for training or evaluation, Keras's {@code (x, y)}: inputs of one shape per
 * sample (an image (height, width, channels), a feature vector (features,), anything) and
 * {@link Targets}, either one integer class label per sample or float values of one shape per
 * sample. Immutable, so one dataset may be read from several threads.
 *
 * <p>Inputs are handed out as float tensors, batch first. They are stored in one of three ways:
 * <ul>
 *   <li>unsigned bytes, one per value ({@link #ofBytes}; 47 MB for MNIST's training set instead
 *       of 188 MB as floats), handed out through a {@link PixelScale}: 0..1 or 0..255;</li>
 *   <li>floats as the caller gave them, handed out unchanged ({@link #of});</li>
 *   <li>a memory-mapped file ({@link DatasetFile#open}), for data sets larger than the heap.</li>
 * </ul>
 *
 * <p>Training gathers shuffled batches with {@link #copyImages} and {@link #copyLabels} (or
 * {@link #copyTargets} for float targets), which write into caller-owned buffers and allocate
 * nothing.
 */
public final class Dataset {
    private final SampleStore inputs;
    private final Targets targets;
    /** The storage index of this dataset's sample 0; non-zero for a subset. */
    private final int first;
    private final int size;
    private final Shape sampleShape;
    private final int sampleSize;

    private Dataset(SampleStore inputs, Targets targets, int first, int size) {
        this.inputs = inputs;
        this.targets = targets;
        this.first = first;
        this.size = size;
        this.sampleShape = inputs.sampleShape();
        this.sampleSize = sampleShape.size();
    }

    /** A dataset of all samples of {@code inputs}, after checking that the targets are as many. */
    static Dataset of(SampleStore inputs, Targets targets) {
        Objects.requireNonNull(targets, "targets");
        if (inputs.count() != targets.count()) {
            throw new IllegalArgumentException(inputs.count() + " samples of shape " + inputs.sampleShape()
                    + " but " + targets.count() + " targets (" + targets + ")");
        }
        if (inputs.count() == 0) {
            throw new IllegalArgumentException("a dataset needs at least one sample, found 0");
        }
        return new Dataset(inputs, targets, 0, inputs.count());
    }

    /**
     * A dataset of unsigned-byte pixels (0 to 255), handed out scaled to 0..1 by {@code / 255}.
     * Both arrays are copied.
     *
     * @param pixels {@code labels.length * height * width * channels} bytes, NHWC, read unsigned
     * @param labels one class per image, each in {@code [0, numClasses)}; at least one image
     * @param height     the images' height in pixels, at least 1
     * @param width      the images' width in pixels, at least 1
     * @param channels   the values per pixel (1 for grey, 3 for RGB), at least 1
     * @param numClasses the number of classes, at least 1
     * @return a new dataset of {@code labels.length} images of shape (height, width, channels)
     *     with class labels
     * @throws IllegalArgumentException if the sizes disagree or a label is out of range
     */
    public static Dataset ofBytes(byte[] pixels, int[] labels, int height, int width, int channels, int numClasses) {
        return adoptBytes(pixels.clone(), labels.clone(), height, width, channels, numClasses);
    }

    /**
     * A dataset of unsigned bytes of any shape per sample, with any targets. The bytes are copied.
     *
     * @param values {@code targets.count() * sampleShape.size()} bytes, sample after sample, read unsigned
     * @param sampleShape the shape of one sample, without the batch dimension
     * @param scale how the bytes are handed out as floats: 0..1 or 0..255
     * @param targets one target per sample: class labels or float values
     * @return a new dataset of {@code targets.count()} samples
     * @throws IllegalArgumentException if the sizes disagree
     * @throws NullPointerException if {@code scale} is null
     */
    public static Dataset ofBytes(byte[] values, Shape sampleShape, PixelScale scale, Targets targets) {
        return adoptBytes(values.clone(), sampleShape, scale, targets);
    }

    /** {@link #ofBytes(byte[], int[], int, int, int, int)} without the copies: the dataset takes ownership of both arrays. */
    static Dataset adoptBytes(byte[] pixels, int[] labels, int height, int width, int channels, int numClasses) {
        if (height < 1 || width < 1 || channels < 1) {
            throw new IllegalArgumentException("height, width and channels must be at least 1, found "
                    + height + ", " + width + ", " + channels);
        }
        return adoptBytes(pixels, Shape.of(height, width, channels), PixelScale.UNIT,
                Targets.adoptClasses(labels, numClasses));
    }

    /** {@link #ofBytes(byte[], Shape, PixelScale, Targets)} without the copy. */
    static Dataset adoptBytes(byte[] values, Shape sampleShape, PixelScale scale, Targets targets) {
        Objects.requireNonNull(scale, "scale");
        long expected = (long) targets.count() * sampleShape.size();
        if (values.length != expected) {
            throw new IllegalArgumentException(targets.count() + " images of shape " + sampleShape + " need "
                    + expected + " pixel bytes, found " + values.length);
        }
        return of(new ByteSamples(values, sampleShape, scale), targets);
    }

    /**
     * A dataset of float inputs of any shape with class labels, kept as given (no scaling). Both
     * the tensor's data and the labels are copied.
     *
     * @param x shape (n, ...): n samples of shape (...), e.g. (n, height, width, channels) images
     *     or (n, features) vectors
     * @param labels n classes, each in {@code [0, numClasses)}
     * @param numClasses the number of classes, at least 1
     * @return a new dataset of the n samples with class labels
     * @throws IllegalArgumentException if {@code x} has no sample dimensions, the counts disagree
     *     or a label is out of range
     */
    public static Dataset of(Tensor x, int[] labels, int numClasses) {
        return of(x, Targets.classes(labels, numClasses));
    }

    /**
     * A dataset of float inputs of any shape with any targets, Keras's {@code (x, y)}. The
     * tensor's data is copied.
     *
     * @param x shape (n, ...): n samples of shape (...)
     * @param targets n targets: class labels or float values
     * @return a new dataset of the n samples
     * @throws IllegalArgumentException if {@code x} has no sample dimensions or the counts disagree
     */
    public static Dataset of(Tensor x, Targets targets) {
        Shape shape = x.shape();
        if (shape.rank() < 2) {
            throw new IllegalArgumentException("x must have a batch dimension and at least one sample dimension,"
                    + " (n, ...), found shape " + shape);
        }
        if (shape.dim(0) != targets.count()) {
            throw new IllegalArgumentException("x of shape " + shape + " holds " + shape.dim(0)
                    + " samples, but there are " + targets.count() + " targets (" + targets + ")");
        }
        return of(new FloatSamples(x.data().clone(), shape.withoutBatch()), targets);
    }

    /** The index of the first label outside {@code [0, numClasses)}, or -1 if all are inside. */
    static int firstLabelOutside(int[] labels, int numClasses) {
        return Targets.firstLabelOutside(labels, numClasses);
    }

    /**
     * The number of samples.
     *
     * @return at least 1
     */
    public int size() {
        return size;
    }

    /**
     * The shape of one input sample, e.g. (height, width, channels) for images.
     *
     * @return the sample shape, without the batch dimension
     */
    public Shape sampleShape() {
        return sampleShape;
    }

    /**
     * Whether the targets are integer class labels ({@link #copyLabels}) rather than floats ({@link #copyTargets}).
     *
     * @return true for class labels, false for float targets
     */
    public boolean hasClassLabels() {
        return targets.areClassLabels();
    }

    /**
     * The number of classes.
     *
     * @return the number of classes the labels were checked against, at least 1
     * @throws IllegalStateException if the targets are floats
     */
    public int numClasses() {
        return targets.numClasses();
    }

    /**
     * The shape of one sample's float targets.
     *
     * @return the target shape, without the batch dimension, such as (1,) or (10,)
     * @throws IllegalStateException if the targets are class labels
     */
    public Shape targetShape() {
        return targets.shape();
    }

    /**
     * How the inputs are stored, for messages: {@code "bytes in memory"}, {@code "mapped bytes"}, ...
     *
     * @return a short description of the storage, not meant to be parsed
     */
    public String storage() {
        return inputs.describe();
    }

    /**
     * The class of sample {@code i}.
     *
     * @param i the sample's index, in {@code [0, size())}
     * @return its class, in {@code [0, numClasses())}
     * @throws IllegalStateException if the targets are floats
     * @throws IndexOutOfBoundsException if {@code i} is not a sample index
     */
    public int label(int i) {
        targets.requireLabels("label(i)");
        checkIndex(i);
        return targets.labelArray()[first + i];
    }

    /**
     * All labels, in order, as a new array.
     *
     * @return {@code size()} classes, each in {@code [0, numClasses())}
     * @throws IllegalStateException if the targets are floats
     */
    public int[] labels() {
        targets.requireLabels("labels()");
        return Arrays.copyOfRange(targets.labelArray(), first, first + size);
    }

    /**
     * The float targets of sample {@code i}, as a new array of {@code targetShape().size()} values.
     *
     * @param i the sample's index, in {@code [0, size())}
     * @return the values, row-major
     * @throws IllegalStateException if the targets are class labels
     * @throws IndexOutOfBoundsException if {@code i} is not a sample index
     */
    public float[] target(int i) {
        targets.requireValues("target(i)");
        checkIndex(i);
        float[] out = new float[targets.shape().size()];
        targets.valueStore().copy(first + i, out, 0);
        return out;
    }

    /**
     * All float targets as a new tensor (n, target shape).
     *
     * @return a new tensor of {@code size()} samples' targets
     * @throws IllegalStateException if the targets are class labels
     */
    public Tensor targets() {
        targets.requireValues("targets()");
        Shape shape = targets.shape().withBatch(size);
        float[] out = new float[shape.size()];
        copyTargets(null, 0, size, out);
        return new Tensor(shape, out);
    }

    /**
     * All inputs as a new float tensor (n, sample shape).
     *
     * @return a new tensor of {@code size()} samples, scaled as the storage hands them out
     * @throws IllegalArgumentException if the inputs are more floats than one array holds
     */
    public Tensor images() {
        return images(0, size);
    }

    /**
     * Inputs {@code [from, from + count)} as a new float tensor (count, sample shape).
     *
     * @param from  the first sample's index
     * @param count the number of samples, at least 1
     * @return a new tensor of those samples
     * @throws IndexOutOfBoundsException if the range is not inside the dataset or {@code count} is below 1
     * @throws IllegalArgumentException if the samples are more floats than one array holds
     */
    public Tensor images(int from, int count) {
        checkRange(from, count, size, "images");
        // The shape comes first: it refuses more floats than one array holds, before any allocation.
        Shape shape = sampleShape.withBatch(count);
        float[] out = new float[shape.size()];
        for (int k = 0; k < count; k++) {
            inputs.copy(first + from + k, out, k * sampleSize);
        }
        return new Tensor(shape, out);
    }

    /**
     * Input {@code i} as a new array of {@code sampleShape().size()} floats, row-major (HWC for images).
     *
     * @param i the sample's index, in {@code [0, size())}
     * @return the sample's values, scaled as the storage hands them out
     * @throws IndexOutOfBoundsException if {@code i} is not a sample index
     */
    public float[] image(int i) {
        checkIndex(i);
        float[] out = new float[sampleSize];
        inputs.copy(first + i, out, 0);
        return out;
    }

    /**
     * Gathers the inputs {@code order[from]}, ..., {@code order[from + count - 1]} into
     * {@code dst}, one after the other: a batch, batch first (NHWC for images). Allocates nothing.
     *
     * @param order sample indices of this dataset, e.g. a shuffled permutation; read; null for
     *     the samples in their stored order ({@code from} is then a sample index)
     * @param from  the first position in {@code order} (or the first sample) to gather
     * @param count the number of samples to gather, at least 1
     * @param dst written: its first {@code count * sampleShape().size()} floats; may be longer
     *     (a batch buffer reused for a shorter last batch)
     * @throws IndexOutOfBoundsException if {@code [from, from + count)} is not inside {@code order}
     *     (or the dataset), or an entry of {@code order} is not a sample index
     * @throws IllegalArgumentException if {@code dst} is too short
     */
    public void copyImages(int[] order, int from, int count, float[] dst) {
        gather(inputs, "images", order, from, count, dst);
    }

    /**
     * Gathers the labels {@code order[from]}, ..., {@code order[from + count - 1]} into
     * {@code dst[0..count)}. Allocates nothing.
     *
     * @param order sample indices of this dataset; read; null for the stored order
     * @param from  the first position in {@code order} (or the first sample) to gather
     * @param count the number of labels to gather, at least 1
     * @param dst written: its first {@code count} ints; may be longer
     * @throws IllegalStateException if the targets are floats
     * @throws IndexOutOfBoundsException if {@code [from, from + count)} is not inside {@code order}
     *     (or the dataset), or an entry of {@code order} is not a sample index
     * @throws IllegalArgumentException if {@code dst} is shorter than {@code count}
     */
    public void copyLabels(int[] order, int from, int count, int[] dst) {
        targets.requireLabels("copyLabels");
        checkGather(order, from, count);
        if (dst.length < count) {
            throw new IllegalArgumentException(count + " labels do not fit in dst of length " + dst.length);
        }
        int[] labels = targets.labelArray();
        for (int k = 0; k < count; k++) {
            dst[k] = labels[first + (order == null ? from + k : checkedOrderEntry(order, from + k))];
        }
    }

    /**
     * Gathers the float targets {@code order[from]}, ..., {@code order[from + count - 1]} into
     * {@code dst}, one after the other: (count, target shape). Allocates nothing.
     *
     * @param order sample indices of this dataset; read; null for the stored order
     * @param from  the first position in {@code order} (or the first sample) to gather
     * @param count the number of samples' targets to gather, at least 1
     * @param dst written: its first {@code count * targetShape().size()} floats; may be longer
     * @throws IllegalStateException if the targets are class labels
     * @throws IndexOutOfBoundsException if {@code [from, from + count)} is not inside {@code order}
     *     (or the dataset), or an entry of {@code order} is not a sample index
     * @throws IllegalArgumentException if {@code dst} is too short
     */
    public void copyTargets(int[] order, int from, int count, float[] dst) {
        targets.requireValues("copyTargets");
        gather(targets.valueStore(), "targets", order, from, count, dst);
    }

    private void gather(SampleStore store, String what, int[] order, int from, int count, float[] dst) {
        checkGather(order, from, count);
        int each = store.sampleShape().size();
        long needed = (long) count * each;
        if (dst.length < needed) {
            throw new IllegalArgumentException(count + " " + what + " of shape " + store.sampleShape() + " need "
                    + needed + " floats, dst holds " + dst.length);
        }
        for (int k = 0; k < count; k++) {
            store.copy(first + (order == null ? from + k : checkedOrderEntry(order, from + k)), dst, k * each);
        }
    }

    private void checkGather(int[] order, int from, int count) {
        checkRange(from, count, order == null ? size : order.length, order == null ? "images" : "entries of order");
    }

    /**
     * Samples {@code [from, from + count)} as a dataset of their own, e.g. a training limit or a
     * validation split. Shares this dataset's storage (no copy), which is safe because datasets
     * never change.
     *
     * @param from  the index of the subset's first sample
     * @param count the number of samples, at least 1
     * @return a dataset whose sample 0 is this dataset's sample {@code from}
     * @throws IndexOutOfBoundsException if the range is not inside the dataset or {@code count} is below 1
     */
    public Dataset subset(int from, int count) {
        checkRange(from, count, size, "images");
        return new Dataset(inputs, targets, first + from, count);
    }

    /**
     * How many samples each class has: {@code numClasses()} counts, indexed by class.
     *
     * @return a new array whose entry {@code c} is the number of samples of class {@code c}
     * @throws IllegalStateException if the targets are floats
     */
    public int[] labelHistogram() {
        targets.requireLabels("labelHistogram()");
        int[] counts = new int[targets.numClasses()];
        int[] labels = targets.labelArray();
        for (int i = first; i < first + size; i++) {
            counts[labels[i]]++;
        }
        return counts;
    }

    /** The storage behind the inputs, for {@link DatasetFile}. */
    SampleStore inputStore() {
        return inputs;
    }

    /** The targets of the whole storage, for {@link DatasetFile}; {@link #first()} gives this dataset's start. */
    Targets storedTargets() {
        return targets;
    }

    /** The storage index of sample 0. */
    int first() {
        return first;
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

    /**
     * For example {@code Dataset(60000 images of (28, 28, 1), 10 classes)} or
     * {@code Dataset(150 samples of (4,), float targets of (3,))}.
     */
    @Override
    public String toString() {
        return "Dataset(" + size + (sampleShape.rank() == 3 ? " images of " : " samples of ") + sampleShape + ", "
                + targets + ")";
    }
}
