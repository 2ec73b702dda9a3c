package io.github.purecnn.losses;

/**
 * Cross-entropy against integer labels, Keras's {@code sparse_categorical_crossentropy}:
 * {@code -log(p[label])} with p clipped to {@code [1e-7, 1 - 1e-7]}, or
 * {@code logsumexp(z) - z[label]} on logits.
 */
public final class SparseCategoricalCrossentropy extends CrossEntropy {

    public SparseCategoricalCrossentropy(boolean fromLogits) {
        super(fromLogits);
    }

    @Override
    public String kerasName() {
        return "sparse_categorical_crossentropy";
    }

    @Override
    public double sum(float[] pred, int[] labels, int n, int classes) {
        double total = 0;
        for (int row = 0; row < n; row++) {
            int base = row * classes;
            total += fromLogits()
                    ? logSumExp(pred, base, classes) - pred[base + labels[row]]
                    : -Math.log(clip(pred[base + labels[row]]));
        }
        return total;
    }

    @Override
    public void backward(float[] dPred, float[] pred, int[] labels, int n, int classes, float scale) {
        if (fromLogits()) {
            softmaxMinusOneHotFromLogits(dPred, pred, labels, n, classes, scale);
            return;
        }
        java.util.Arrays.fill(dPred, 0, n * classes, 0f);
        for (int row = 0; row < n; row++) {
            int at = row * classes + labels[row];
            float p = pred[at];
            // Outside the clipping range the loss is constant, so its gradient is zero.
            if (p > EPSILON && p < 1f - EPSILON) {
                dPred[at] = -scale / p;
            }
        }
    }

}
