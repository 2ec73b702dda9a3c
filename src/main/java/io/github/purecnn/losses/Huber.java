package io.github.purecnn.losses;

import io.github.purecnn.runtime.Truth;

/**
 * Keras's {@code huber} loss: per value of a row, with {@code e = p - t},
 * {@code 0.5 e^2} where {@code |e| <= delta} and {@code delta |e| - 0.5 delta^2} beyond,
 * averaged over the row; quadratic near the target, linear far from it. Keras's default delta is 1.
 */
public final class Huber extends RowLoss {
    private final double delta;

    /**
     * @throws IllegalArgumentException unless delta is a positive finite number
     */
    public Huber(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("huber delta must be a positive finite number, found " + delta);
        }
        this.delta = delta;
    }

    @Override
    public String kerasName() {
        return "huber";
    }

    /** Where the loss turns from quadratic to linear. */
    public double delta() {
        return delta;
    }

    @Override
    double rowLoss(float[] pred, int base, Truth truth, int row, int cols) {
        float[] t = truth.values();
        double s = 0;
        for (int j = base; j < base + cols; j++) {
            double e = Math.abs((double) pred[j] - t[j]);
            s += e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
        }
        return s / cols;
    }

    @Override
    void rowGradient(float[] dPred, float[] pred, int base, Truth truth, int row, int cols, float factor) {
        float[] t = truth.values();
        float f = factor / cols;
        float d = (float) delta;
        for (int j = base; j < base + cols; j++) {
            float e = pred[j] - t[j];
            dPred[j] = f * (Math.abs(e) <= d ? e : d * Math.signum(e));
        }
    }
}
