package io.github.purecnn.losses;

import io.github.purecnn.layers.Activation;
import io.github.purecnn.runtime.Truth;

/**
 * Cross-entropy against target distributions (one-hot or soft labels), Keras's
 * {@code categorical_crossentropy}: per row {@code -sum_j t_j log(q_j)}. On probabilities Keras
 * first rescales each row to sum to one, then clips: {@code q = clip(p / sum(p), 1e-7, 1 - 1e-7)};
 * on logits {@code log q = z - logsumexp(z)}. Class labels are taken as their one-hot encodings.
 */
public final class CategoricalCrossentropy extends CrossEntropy {

    /** The loss on probabilities, or on logits when {@code fromLogits}. */
    public CategoricalCrossentropy(boolean fromLogits) {
        super(fromLogits);
    }

    @Override
    public String kerasName() {
        return "categorical_crossentropy";
    }

    @Override
    public Activation fusedActivation() {
        return fromLogits() ? null : Activation.SOFTMAX;
    }

    @Override
    double rowLoss(float[] pred, int base, Truth truth, int row, int cols) {
        float[] t = truth.values();
        double total = 0;
        if (fromLogits()) {
            double lse = logSumExp(pred, base, cols);
            for (int j = 0; j < cols; j++) {
                if (t[base + j] != 0) {
                    total += t[base + j] * (lse - pred[base + j]);
                }
            }
            return total;
        }
        double s = rowSum(pred, base, cols);
        for (int j = 0; j < cols; j++) {
            if (t[base + j] != 0) {
                total -= t[base + j] * StrictMath.log(clip((float) (pred[base + j] / s)));
            }
        }
        return total;
    }

    private static double targetSum(float[] t, int base, int cols) {
        double s = 0;
        for (int j = 0; j < cols; j++) {
            s += t[base + j];
        }
        return s;
    }

    @Override
    void rowGradient(float[] dPred, float[] pred, int base, Truth truth, int row, int cols, float factor) {
        float[] t = truth.values();
        if (fromLogits()) {
            double lse = logSumExp(pred, base, cols);
            float sumT = (float) targetSum(t, base, cols);
            for (int j = 0; j < cols; j++) {
                dPred[base + j] = factor * ((float) StrictMath.exp(pred[base + j] - lse) * sumT - t[base + j]);
            }
            return;
        }
        // d/dp_j of -sum_k t_k log(p_k / S), over the k inside the clipping range (elsewhere the
        // loss is locally constant): (sum of those t_k) / S - [j among them] t_j / p_j
        double s = rowSum(pred, base, cols);
        double inside = 0;
        for (int j = 0; j < cols; j++) {
            if (t[base + j] != 0 && unclipped((float) (pred[base + j] / s))) {
                inside += t[base + j];
            }
        }
        float common = (float) (factor * inside / s);
        for (int j = 0; j < cols; j++) {
            float tj = t[base + j];
            boolean counts = tj != 0 && unclipped((float) (pred[base + j] / s));
            dPred[base + j] = counts ? common - factor * tj / pred[base + j] : common;
        }
    }

    /** {@code factor * (p * sum(t) - t)}: {@code p - t} for one-hot and soft labels that sum to one. */
    @Override
    void rowFusedGradient(float[] dz, float[] p, int base, Truth truth, int row, int cols, float factor) {
        float[] t = truth.values();
        float sumT = (float) targetSum(t, base, cols);
        for (int j = 0; j < cols; j++) {
            dz[base + j] = factor * (p[base + j] * sumT - t[base + j]);
        }
    }
}
