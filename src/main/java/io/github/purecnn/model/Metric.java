package io.github.purecnn.model;

import io.github.purecnn.runtime.Truth;

/**
 * Metrics reported next to the loss during training and evaluation, as Keras's
 * {@code MeanMetricWrapper} metrics: per row of a prediction (its last dimension) a value, and
 * over an epoch or an evaluation their mean weighted by the samples' weights
 * ({@code sum(w * value) / sum(w)}, 0 when the weights sum to 0).
 */
public enum Metric {
    /**
     * Keras's {@code "accuracy"}: resolved from the targets' shape as Keras resolves it
     * ({@link #resolve}): binary accuracy for a single output value per row, sparse categorical
     * accuracy for class labels, categorical accuracy for one-hot or soft targets.
     */
    ACCURACY("accuracy"),
    /** The fraction of values whose prediction, thresholded at 0.5, equals the target. */
    BINARY_ACCURACY("binary_accuracy"),
    /** Whether the highest prediction (first on ties) is at the target's highest value. */
    CATEGORICAL_ACCURACY("categorical_accuracy"),
    /** Whether the highest prediction (first on ties) is at the label; needs class labels. */
    SPARSE_CATEGORICAL_ACCURACY("sparse_categorical_accuracy"),
    /** Whether the target's class (the highest target value) is among the 5 highest predictions; ties count as in. */
    TOP_K_CATEGORICAL_ACCURACY("top_k_categorical_accuracy"),
    /** Whether the label is among the 5 highest predictions; ties count as in; needs class labels. */
    SPARSE_TOP_K_CATEGORICAL_ACCURACY("sparse_top_k_categorical_accuracy"),
    /** Mean absolute error: the mean over a row of {@code |p - t|}. */
    MAE("mae"),
    /** Mean squared error: the mean over a row of {@code (p - t)^2}. */
    MSE("mse");

    /** Keras's default k of the top-k accuracies. */
    public static final int TOP_K = 5;

    private final String kerasName;

    Metric(String kerasName) {
        this.kerasName = kerasName;
    }

    /**
     * The name Keras logs the metric under: {@code "accuracy"}, {@code "mae"}, ...
     *
     * @return the name the epoch logs and evaluations use, with {@code val_} before it for the
     *     value on the validation data
     */
    public String kerasName() {
        return kerasName;
    }

    /**
     * The metric of a Keras name or alias ({@code acc}, {@code mean_absolute_error},
     * {@code mean_squared_error}, {@code top_k_categorical_accuracy}, ...).
     *
     * @param name the string Keras's {@code compile(metrics=[...])} takes
     * @return the metric it names
     * @throws IllegalArgumentException for a metric purecnn does not have, listing those it has
     */
    public static Metric fromKerasName(String name) {
        switch (name) {
            case "acc":
                return ACCURACY;
            case "mean_absolute_error":
                return MAE;
            case "mean_squared_error":
                return MSE;
            default:
                break;
        }
        for (Metric m : values()) {
            if (m.kerasName.equals(name)) {
                return m;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Metric m : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(m.kerasName);
        }
        throw new IllegalArgumentException("unknown metric '" + name + "', expected one of " + known);
    }

    /** Whether the metric reads class labels ({@link Truth#labels()}). */
    boolean needsLabels() {
        return this == SPARSE_CATEGORICAL_ACCURACY || this == SPARSE_TOP_K_CATEGORICAL_ACCURACY;
    }

    /**
     * The metric that computes this one for targets of a form, as Keras's {@code get_metric}
     * resolves {@code "accuracy"}: binary when the output has one value per row, sparse when the
     * targets are class labels (of lower rank than the output, or of last dimension 1 against
     * several outputs), categorical otherwise. Other metrics are themselves.
     */
    Metric resolve(boolean binary, boolean sparse) {
        if (this != ACCURACY) {
            return this;
        }
        return binary ? BINARY_ACCURACY : sparse ? SPARSE_CATEGORICAL_ACCURACY : CATEGORICAL_ACCURACY;
    }

    /**
     * The sum over n samples of each sample's weight times the sum of its rows' values, in double
     * (the model divides the total by the summed weights of the rows). Not for {@link #ACCURACY},
     * which is resolved first.
     */
    double sum(float[] pred, Truth truth, int n) {
        int rows = truth.rows();
        int cols = truth.cols();
        double total = 0;
        for (int s = 0; s < n; s++) {
            double sample = 0;
            for (int r = s * rows; r < (s + 1) * rows; r++) {
                sample += rowValue(pred, r * cols, truth, r, cols);
            }
            total += truth.weight(s) * sample;
        }
        return total;
    }

    private double rowValue(float[] p, int base, Truth truth, int row, int cols) {
        float[] t = truth.values();
        switch (this) {
            case BINARY_ACCURACY: {
                int equal = 0;
                for (int j = base; j < base + cols; j++) {
                    if ((p[j] > 0.5f ? 1f : 0f) == t[j]) {
                        equal++;
                    }
                }
                return (double) equal / cols;
            }
            case CATEGORICAL_ACCURACY:
                return argmax(p, base, cols) == argmax(t, base, cols) ? 1 : 0;
            case SPARSE_CATEGORICAL_ACCURACY:
                return argmax(p, base, cols) == truth.labels()[row] ? 1 : 0;
            case TOP_K_CATEGORICAL_ACCURACY:
                return inTopK(p, base, cols, argmax(t, base, cols)) ? 1 : 0;
            case SPARSE_TOP_K_CATEGORICAL_ACCURACY:
                return inTopK(p, base, cols, truth.labels()[row]) ? 1 : 0;
            case MAE: {
                double s = 0;
                for (int j = base; j < base + cols; j++) {
                    s += Math.abs((double) p[j] - t[j]);
                }
                return s / cols;
            }
            case MSE: {
                double s = 0;
                for (int j = base; j < base + cols; j++) {
                    double d = (double) p[j] - t[j];
                    s += d * d;
                }
                return s / cols;
            }
            default:
                throw new IllegalStateException(kerasName + " is resolved before it is computed");
        }
    }

    /** The index of the largest value (the first on ties), as NumPy's argmax. */
    static int argmax(float[] x, int base, int len) {
        int best = 0;
        for (int j = 1; j < len; j++) {
            if (x[base + j] > x[base + best]) {
                best = j;
            }
        }
        return best;
    }

    /** Whether fewer than k values are strictly above the target's, as TensorFlow's in_top_k counts ties. */
    private static boolean inTopK(float[] p, int base, int cols, int target) {
        float v = p[base + target];
        int above = 0;
        for (int j = base; j < base + cols; j++) {
            if (p[j] > v) {
                above++;
            }
        }
        return above < TOP_K && !Float.isNaN(v);
    }
}
