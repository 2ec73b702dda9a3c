package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.util.Objects;

/**
 * What a data set's samples should be mapped to, Keras's {@code y}: either one integer class label
 * per sample (for {@code sparse_categorical_crossentropy}), or float values of one shape per
 * sample (regression values, one-hot or soft labels). Immutable; the factories copy what they are
 * given.
 */
public final class Targets {
    // Exactly one of labels and values is non-null.
    private final int[] labels;
    private final int numClasses;
    private final SampleStore values;

    private Targets(int[] labels, int numClasses, SampleStore values) {
        this.labels = labels;
        this.numClasses = numClasses;
        this.values = values;
    }

    /**
     * One class label per sample, each in {@code [0, numClasses)}. The array is copied.
     *
     * @param labels     one class per sample, at least one
     * @param numClasses the number of classes, at least 1 (the width of the model's output)
     * @return class-label targets for {@code labels.length} samples
     * @throws IllegalArgumentException if there is no label, {@code numClasses < 1}, or a label is
     *     out of range (the message gives its index and value)
     */
    public static Targets classes(int[] labels, int numClasses) {
        return adoptClasses(labels.clone(), numClasses);
    }

    /** {@link #classes} without the copy: the targets take ownership of {@code labels}. */
    static Targets adoptClasses(int[] labels, int numClasses) {
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
        return new Targets(labels, numClasses, null);
    }

    /**
     * Float targets, Keras's {@code y} array: {@code y} of shape (n, ...) gives each of the n
     * samples the values of shape (...); a 1-D {@code y} of shape (n,) gives each sample one value,
     * shape (1,), as Keras treats a column of regression values. The data is copied.
     *
     * @param y the targets, batch first: shape (n, ...) or (n,)
     * @return float targets for n samples
     * @throws NullPointerException if {@code y} is null
     */
    public static Targets values(Tensor y) {
        Objects.requireNonNull(y, "y");
        Shape shape = y.shape();
        Shape perSample = shape.rank() == 1 ? Shape.of(1) : shape.withoutBatch();
        return new Targets(null, 0, new FloatSamples(y.data().clone(), perSample));
    }

    /**
     * One-hot float targets of shape (numClasses,) from class labels, as Keras's
     * {@code to_categorical} and {@code label_mode="categorical"} make them.
     *
     * @param labels     one class per sample, at least one, each in {@code [0, numClasses)}
     * @param numClasses the number of classes, at least 1: the length of each one-hot vector
     * @return float targets of shape (numClasses,) per sample: 1 at the label, 0 elsewhere
     * @throws IllegalArgumentException as {@link #classes} does
     */
    public static Targets oneHot(int[] labels, int numClasses) {
        adoptClasses(labels, numClasses); // checks only: the labels are not kept
        float[] hot = new float[Math.multiplyExact(labels.length, numClasses)];
        for (int i = 0; i < labels.length; i++) {
            hot[i * numClasses + labels[i]] = 1f;
        }
        return new Targets(null, 0, new FloatSamples(hot, Shape.of(numClasses)));
    }

    /** Float targets held in {@code store}, which the caller has checked. */
    static Targets ofStore(SampleStore store) {
        if (store.byteScale() != null) {
            throw new IllegalArgumentException("float targets need a store of floats, found " + store.describe());
        }
        return new Targets(null, 0, store);
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

    /**
     * The number of samples these targets are for.
     *
     * @return the number of samples, at least 1
     */
    public int count() {
        return labels != null ? labels.length : values.count();
    }

    /**
     * Whether these are integer class labels (otherwise float values).
     *
     * @return true for class labels (as {@link #classes} makes), false for float values (as
     *     {@link #values} and {@link #oneHot} make)
     */
    public boolean areClassLabels() {
        return labels != null;
    }

    /**
     * The number of classes of class labels.
     *
     * @return the number the labels were checked against, at least 1
     * @throws IllegalStateException for float targets
     */
    public int numClasses() {
        requireLabels("numClasses()");
        return numClasses;
    }

    /**
     * The shape of one sample's float targets, such as (1,) for one regression value or (10,) for
     * one-hot labels of ten classes.
     *
     * @return the shape of one sample's values, without the batch dimension
     * @throws IllegalStateException for class labels, which have no float shape
     */
    public Shape shape() {
        requireValues("shape()");
        return values.sampleShape();
    }

    /** The labels, shared: for {@link Dataset}, which never writes them. */
    int[] labelArray() {
        return labels;
    }

    /** The float values, shared: for {@link Dataset}. */
    SampleStore valueStore() {
        return values;
    }

    void requireLabels(String what) {
        if (labels == null) {
            throw new IllegalStateException(what + " needs integer class labels, but the targets are floats of shape "
                    + values.sampleShape() + " per sample");
        }
    }

    void requireValues(String what) {
        if (labels != null) {
            throw new IllegalStateException(what + " needs float targets, but the targets are integer class labels"
                    + " of " + numClasses + " classes");
        }
    }

    /** For example {@code 10 classes} or {@code floats of (3,)}. */
    @Override
    public String toString() {
        return labels != null ? numClasses + " classes" : "float targets of " + values.sampleShape();
    }
}
