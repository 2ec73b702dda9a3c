package io.github.purecnn.losses;

import io.github.purecnn.layers.Activation;

/**
 * Cross-entropy against class labels, Keras's {@code sparse_categorical_crossentropy}: per row
 * {@code -log(p[label])} with p clipped to {@code [1e-7, 1 - 1e-7]}, or
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
                : -StrictMath.log(clip(pred[base + label]));
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
        java.util.Arrays.fill(dPred, base, base + cols, 0f);
        float p = pred[base + label];
        // Outside the clipping range the loss is constant, so its gradient is zero.
        if (unclipped(p)) {
            dPred[base + label] = -factor / p;
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
