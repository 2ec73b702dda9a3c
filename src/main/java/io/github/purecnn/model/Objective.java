package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.runtime.Truth;
import io.github.purecnn.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a model's outputs on a data set are measured against, for one fit or evaluation: the
 * data set's targets as the loss and the metrics read them, the per-sample weights, the loss, and
 * the metrics resolved for the targets (Keras's {@code "accuracy"} becomes binary, sparse or
 * categorical accuracy). Made once, after checking that targets and output fit together, so
 * that a bad call fails before any step with a message naming both shapes; then
 * {@link #fill} gathers a shard's targets and weights into a {@link Truth} without allocating.
 *
 * <p>The targets take one of three forms:
 * <ul>
 *   <li>class labels, one per sample (a {@link Dataset} of class labels), for a flat output: its
 *       classes (several outputs) or its value (one output, as a binary or regression target);</li>
 *   <li>class indices as floats, of the output's shape with last dimension 1 (or without it):
 *       one class per row, such as a class per pixel of an image-shaped output;</li>
 *   <li>float values of the output's shape: regression values, one-hot or soft labels.</li>
 * </ul>
 */
final class Objective {
    private enum Form { LABELS, FLOAT_LABELS, VALUES }

    private final Dataset data;
    private final Loss loss;
    private final Metric[] metrics;
    private final String[] names;
    private final float[] sampleWeights;
    private final Form form;
    private final int rows;
    private final int cols;

    private Objective(Dataset data, Loss loss, Metric[] metrics, String[] names, float[] sampleWeights, Form form,
                      int rows, int cols) {
        this.data = data;
        this.loss = loss;
        this.metrics = metrics;
        this.names = names;
        this.sampleWeights = sampleWeights;
        this.form = form;
        this.rows = rows;
        this.cols = cols;
    }

    /**
     * The objective of a model's outputs on {@code data}.
     *
     * @param what          the data's role, for messages: {@code "training data"}
     * @param model         the model's name, for messages
     * @param output        the model's output shape per sample
     * @param sampleWeights one weight per sample of data, finite and at least 0; null for none
     * @throws IllegalArgumentException naming the shapes, the sample or the argument, when the
     *     targets do not fit the output, the loss or a metric, or a weight is bad
     */
    static Objective of(String what, String model, Dataset data, Shape output, Loss loss, List<Metric> compiled,
                        float[] sampleWeights) {
        Objects.requireNonNull(loss, "loss");
        int cols = output.dim(output.rank() - 1);
        int rows = output.size() / cols;
        Form form = form(what, model, data, output, cols, rows);
        boolean labels = form != Form.VALUES;
        if (loss.needsLabels() && !labels) {
            throw new IllegalArgumentException(what + ": " + loss.kerasName() + " needs class labels (integers, or class"
                    + " indices of shape " + labelShape(output) + "), the targets are floats of shape " + data.targetShape()
                    + " like the output: use categorical_crossentropy for one-hot or soft targets");
        }
        if (loss.needsLabels() && cols == 1) {
            throw new IllegalArgumentException(what + ": " + loss.kerasName() + " needs an output of several classes,"
                    + " model '" + model + "' outputs " + output + ": use binary_crossentropy for one output");
        }
        List<Metric> resolved = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Metric m : compiled) {
            if (m.needsLabels() && !labels) {
                throw new IllegalArgumentException(what + ": metric " + m.kerasName() + " needs class labels, the targets"
                        + " are floats of shape " + data.targetShape() + ": use " + (m == Metric.SPARSE_CATEGORICAL_ACCURACY
                        ? "categorical_accuracy" : "top_k_categorical_accuracy") + " for one-hot or soft targets");
            }
            resolved.add(m.resolve(cols == 1, labels && cols > 1));
            names.add(m.kerasName());
        }
        return new Objective(data, loss, resolved.toArray(new Metric[0]), names.toArray(new String[0]),
                checkWeights(what, data, sampleWeights), form, rows, cols);
    }

    private static Form form(String what, String model, Dataset data, Shape output, int cols, int rows) {
        if (data.hasClassLabels()) {
            if (rows != 1) {
                throw new IllegalArgumentException(what + " has one class label per sample, model '" + model
                        + "' outputs " + output + " per sample: give float targets of shape " + output
                        + " or class indices of shape " + labelShape(output));
            }
            if (cols > 1 && data.numClasses() > cols) {
                int[] labels = data.labels();
                for (int i = 0; i < labels.length; i++) {
                    if (labels[i] >= cols) {
                        throw new IllegalArgumentException(what + ": label " + labels[i] + " at index " + i
                                + " is out of range for model '" + model + "' with " + cols + " outputs");
                    }
                }
            }
            return Form.LABELS;
        }
        Shape target = data.targetShape();
        if (target.equals(output)) {
            return Form.VALUES;
        }
        if (cols > 1 && (target.equals(labelShape(output)) || target.equals(withoutLast(output)))) {
            checkClassIndices(what, data, cols);
            return Form.FLOAT_LABELS;
        }
        throw new IllegalArgumentException(what + " has targets of shape " + target + " per sample, model '" + model
                + "' outputs " + output + ": expected targets of shape " + output
                + (cols > 1 ? " or class indices of shape " + labelShape(output) : ""));
    }

    /** The output's shape with its last dimension 1: one class index per row. */
    private static Shape labelShape(Shape output) {
        int[] dims = output.dims();
        dims[dims.length - 1] = 1;
        return Shape.of(dims);
    }

    private static Shape withoutLast(Shape output) {
        int[] dims = output.dims();
        return dims.length == 1 ? output : Shape.of(java.util.Arrays.copyOf(dims, dims.length - 1));
    }

    /** Every target must be a class index; read a block of samples at a time, so that a mapped data set is not copied whole. */
    private static void checkClassIndices(String what, Dataset data, int classes) {
        int each = data.targetShape().size();
        int block = Math.max(1, Math.min(data.size(), (1 << 16) / each));
        float[] buffer = new float[block * each];
        for (int first = 0; first < data.size(); first += block) {
            int count = Math.min(block, data.size() - first);
            data.copyTargets(null, first, count, buffer);
            for (int i = 0; i < count * each; i++) {
                float v = buffer[i];
                if (!(v >= 0 && v < classes && v == Math.rint(v))) {
                    throw new IllegalArgumentException(what + ": sample " + (first + i / each) + " has the class index "
                            + v + ", expected an integer from 0 to " + (classes - 1));
                }
            }
        }
    }

    private static float[] checkWeights(String what, Dataset data, float[] weights) {
        if (weights == null) {
            return null;
        }
        if (weights.length != data.size()) {
            throw new IllegalArgumentException(what + " has " + data.size() + " samples, sample_weight has "
                    + weights.length + " weights");
        }
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] >= 0) || Float.isInfinite(weights[i])) {
                throw new IllegalArgumentException(what + ": sample_weight[" + i + "] is " + weights[i]
                        + ", expected a finite number of at least 0");
            }
        }
        return weights;
    }

    Dataset data() {
        return data;
    }

    Loss loss() {
        return loss;
    }

    /** The metrics as computed, resolved ({@code accuracy} to its kind), in compile order. */
    Metric[] metrics() {
        return metrics;
    }

    /** The metrics' names, as compiled ({@code "accuracy"} stays {@code "accuracy"}), in order. */
    String[] metricNames() {
        return names;
    }

    int rows() {
        return rows;
    }

    int cols() {
        return cols;
    }

    /**
     * Gathers the targets and weights of samples {@code order[from .. from+count)} (or
     * {@code from ..} in stored order when order is null) into {@code truth}. Allocates nothing.
     */
    void fill(Truth truth, int[] order, int from, int count) {
        switch (form) {
            case LABELS -> {
                data.copyLabels(order, from, count, truth.labels());
                truth.encodeLabels(count);
            }
            case FLOAT_LABELS -> {
                // the indices arrive as floats in the values buffer, which the encoding then overwrites
                float[] values = truth.values();
                int[] labels = truth.labels();
                data.copyTargets(order, from, count, values);
                for (int i = 0; i < count * rows; i++) {
                    labels[i] = (int) values[i];
                }
                truth.encodeLabels(count);
            }
            case VALUES -> {
                data.copyTargets(order, from, count, truth.values());
                truth.useValues();
            }
        }
        if (sampleWeights != null) {
            float[] w = truth.weights();
            for (int k = 0; k < count; k++) {
                w[k] = sampleWeights[order == null ? from + k : order[from + k]];
            }
        }
        truth.setWeighted(sampleWeights != null);
    }

    /** The weight of the rows of the first n samples in truth: what the metrics' sums are divided by. */
    double rowWeight(Truth truth, int n) {
        double w = 0;
        for (int s = 0; s < n; s++) {
            w += truth.weight(s);
        }
        return w * rows;
    }
}
