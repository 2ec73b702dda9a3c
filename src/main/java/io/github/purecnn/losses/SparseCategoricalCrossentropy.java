package io.github.purecnn.losses;

import io.github.purecnn.layers.Activation;
import io.github.purecnn.runtime.Truth;

/**
 * Cross-entropy against class labels, Keras's {@code sparse_categorical_crossentropy}: per row
 * {@code -log(q[label])} on probabilities, where, as Keras 3 computes it, each row is first
 * rescaled to sum to one and then clipped, {@code q = clip(p / sum(p), 1e-7, 1 - 1e-7)} (Keras 2
 * took the label's probability as it was; the two agree on softmax outputs but for rounding);
 * {@code logsumexp(z) - z[label]} on logits. Reads {@link Truth#labels()}: one class per row.
 */
public final class SparseCategoricalCrossentropy extends CrossEntropy {

    /** The loss on probabilities, or on logits when {@code fromLogits}. */
    public SparseCategoricalCrossentropy(boolean fromLogits) {
        super(fromLogits);
    }

    @Override
    public String kerasName() {
        return "sparse_categorical_crossentropy";
    }

    @Override
    public boolean needsLabels() {
        return true;
    }

    @Override
    public Activation fusedActivation() {
        return fromLogits() ? null : Activation.SOFTMAX;
    }

    @Override
    double rowLoss(float[] pred, int base, Truth truth, int row, int cols) {
        int label = truth.labels()[row];
        return fromLogits() ? logSumExp(pred, base, cols) - pred[base + label]
                : -StrictMath.log(clip((float) (pred[base + label] / rowSum(pred, base, cols))));
    }

    @Override
    void rowGradient(float[] dPred, float[] pred, int base, Truth truth, int row, int cols, float factor) {
        int label = truth.labels()[row];
        if (fromLogits()) {
            double lse = logSumExp(pred, base, cols);
            for (int j = 0; j < cols; j++) {
                dPred[base + j] = factor * (float) StrictMath.exp(pred[base + j] - lse);
            }
            dPred[base + label] -= factor;
            return;
        }
        // d/dp_j of -log(p_l / S) = 1 / S - [j = l] / p_l; where q_l is clipped the loss is
        // locally constant, so its gradient is zero
        double s = rowSum(pred, base, cols);
        float p = pred[base + label];
        boolean inside = unclipped((float) (p / s));
        java.util.Arrays.fill(dPred, base, base + cols, inside ? (float) (factor / s) : 0f);
        if (inside) {
            dPred[base + label] -= factor / p;
        }
    }

    /** {@code factor * (p - one_hot(label))}. */
    @Override
    void rowFusedGradient(float[] dz, float[] p, int base, Truth truth, int row, int cols, float factor) {
        for (int j = 0; j < cols; j++) {
            dz[base + j] = factor * p[base + j];
        }
        dz[base + truth.labels()[row]] -= factor;
    }
}
