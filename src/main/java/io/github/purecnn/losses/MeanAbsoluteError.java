package io.github.purecnn.losses;

import io.github.purecnn.runtime.Truth;

/**
 * Keras's {@code mean_absolute_error}: per row the mean over its values of {@code |p - t|}; its
 * gradient is {@code sign(p - t)}, 0 where they are equal (as TensorFlow's).
 */
public final class MeanAbsoluteError extends RowLoss {

    @Override
    public String kerasName() {
        return "mean_absolute_error";
    }

    @Override
    double rowLoss(float[] pred, int base, Truth truth, int row, int cols) {
        float[] t = truth.values();
        double s = 0;
        for (int j = base; j < base + cols; j++) {
            s += Math.abs((double) pred[j] - t[j]);
        }
        return s / cols;
    }

    @Override
    void rowGradient(float[] dPred, float[] pred, int base, Truth truth, int row, int cols, float factor) {
        float[] t = truth.values();
        float f = factor / cols;
        for (int j = base; j < base + cols; j++) {
            dPred[j] = f * Math.signum(pred[j] - t[j]);
        }
    }
}
