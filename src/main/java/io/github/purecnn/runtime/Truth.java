package io.github.purecnn.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a batch of predictions is measured against, Keras's {@code y_true} and
 * {@code sample_weight}, laid out as losses and metrics read it. A model's output per sample has
 * {@code rows * cols} values: {@code cols} is its last dimension, the one losses reduce over
 * (classes, or regression values), and {@code rows} the product of the others (1 for a flat
 * output, the pixels of an image-shaped one).
 * <ul>
 *   <li>{@link #values()}: the target values, (n, rows, cols), always present; for class labels,
 *       their one-hot encodings (or the label itself where cols is 1).</li>
 *   <li>{@link #labels()}: one class index per row, (n, rows), when the targets are class labels
 *       ({@link #hasLabels()}): what {@code sparse_categorical_crossentropy} and the sparse
 *       metrics read.</li>
 *   <li>{@link #weight(int)}: each sample's weight; 1 unless weighted.</li>
 * </ul>
 * The model keeps one instance per buffer set and refills it for every shard of every batch, so
 * training allocates nothing: the arrays are sized for the largest shard and only their first
 * n samples mean anything.
 */
public final class Truth {
    private final int rows;
    private final int cols;
    private final int[] labels;
    private final float[] values;
    private final float[] weights;
    private boolean hasLabels;
    private boolean weighted;

    /** Empty buffers for up to {@code capacity} samples of {@code rows x cols} output values. */
    public Truth(int capacity, int rows, int cols) {
        if (capacity < 1 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("capacity, rows and cols must be at least 1, found " + capacity + ", "
                    + rows + " and " + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.labels = new int[Math.multiplyExact(capacity, rows)];
        this.values = new float[Math.multiplyExact(Math.multiplyExact(capacity, rows), cols)];
        this.weights = new float[capacity];
    }

    /** Class labels, one per sample of a flat output of {@code classes} values, unweighted (copied). */
    public static Truth ofLabels(int[] labels, int classes) {
        Truth t = new Truth(Math.max(1, labels.length), 1, classes);
        System.arraycopy(labels, 0, t.labels, 0, labels.length);
        t.encodeLabels(labels.length);
        return t;
    }

    /** Target values, {@code rows x cols} per sample, unweighted (copied). */
    public static Truth ofValues(float[] values, int rows, int cols) {
        int n = values.length / (rows * cols);
        if (n * rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values are not whole samples of " + rows + " x " + cols);
        }
        Truth t = new Truth(Math.max(1, n), rows, cols);
        System.arraycopy(values, 0, t.values, 0, values.length);
        t.useValues();
        return t;
    }

    /** These targets, with a weight per sample (copied): as Keras's {@code sample_weight}. */
    public Truth weighted(float[] sampleWeights) {
        Objects.requireNonNull(sampleWeights, "sample weights");
        if (sampleWeights.length > weights.length) {
            throw new IllegalArgumentException(sampleWeights.length + " weights for at most " + weights.length + " samples");
        }
        System.arraycopy(sampleWeights, 0, weights, 0, sampleWeights.length);
        weighted = true;
        return this;
    }

    /** Rows per sample: the output's size over its last dimension. */
    public int rows() {
        return rows;
    }

    /** Values per row: the output's last dimension. */
    public int cols() {
        return cols;
    }

    /** Whether {@link #labels()} holds class indices for the current samples. */
    public boolean hasLabels() {
        return hasLabels;
    }

    /** (capacity, rows): the class of each row; the model writes it, losses and metrics read it. */
    public int[] labels() {
        return labels;
    }

    /** (capacity, rows, cols): the target values; the model writes them, losses and metrics read them. */
    public float[] values() {
        return values;
    }

    /** (capacity): the weights, when {@link #setWeighted} says they are used; the model writes them. */
    public float[] weights() {
        return weights;
    }

    /** Sample {@code s}'s weight: 1 unless the samples are weighted. */
    public float weight(int s) {
        return weighted ? weights[s] : 1f;
    }

    /** Whether {@link #weights()} holds the current samples' weights (otherwise every weight is 1). */
    public void setWeighted(boolean on) {
        weighted = on;
    }

    /**
     * The first {@code n * rows} entries of {@link #labels()} hold the current classes: writes
     * their encodings into {@link #values()} (one-hot, or the class itself where cols is 1).
     */
    public void encodeLabels(int n) {
        hasLabels = true;
        int count = n * rows;
        if (cols == 1) {
            for (int r = 0; r < count; r++) {
                values[r] = labels[r];
            }
            return;
        }
        Arrays.fill(values, 0, count * cols, 0f);
        for (int r = 0; r < count; r++) {
            values[r * cols + labels[r]] = 1f;
        }
    }

    /** {@link #values()} holds the current targets, and there are no class labels. */
    public void useValues() {
        hasLabels = false;
    }
}
