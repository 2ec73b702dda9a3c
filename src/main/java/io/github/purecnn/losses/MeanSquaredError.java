package io.github.purecnn.losses;

import io.github.purecnn.runtime.Truth;

/**
 * Keras's {@code mean_squared_error}: per row the mean over its values of {@code (p - t)^2}.
 * Class labels are taken as their one-hot encodings, or as the value itself for a single output.
 */
public final class MeanSquaredError extends RowLoss {

    @Override
    public String kerasName() {
        return "mean_squared_error";
    }

    @Override
    double rowLoss(float[] pred, int base, Truth truth, int row, int cols) {
        float[] t = truth.values();
        double s = 0;
        for (int j = base; j < base + cols; j++) {
            double d = pred[j] - t[j];
            s += d * d;
        }
        return s / cols;
    }

    @Override
    void rowGradient(float[] dPred, float[] pred, int base, Truth truth, int row, int cols, float factor) {
        float[] t = truth.values();
        float f = 2f * factor / cols;
        for (int j = base; j < base + cols; j++) {
            dPred[j] = f * (pred[j] - t[j]);
        }
    }
}
