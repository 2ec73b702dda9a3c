package io.github.purecnn.losses;

/**
 * Keras's {@code mean_squared_error} against the one-hot encoding of the labels: per sample,
 * the mean over the classes of {@code (p - t)^2}.
 */
public final class MeanSquaredError implements Loss {

    @Override
    public String kerasName() {
        return "mean_squared_error";
    }

    @Override
    public double sum(float[] pred, int[] labels, int n, int classes) {
        double total = 0;
        for (int row = 0; row < n; row++) {
            int base = row * classes;
            double s = 0;
            for (int j = 0; j < classes; j++) {
                double d = pred[base + j] - (j == labels[row] ? 1.0 : 0.0);
                s += d * d;
            }
            total += s / classes;
        }
        return total;
    }

    @Override
    public void backward(float[] dPred, float[] pred, int[] labels, int n, int classes, float scale) {
        float factor = 2f * scale / classes;
        for (int row = 0; row < n; row++) {
            int base = row * classes;
            for (int j = 0; j < classes; j++) {
                dPred[base + j] = factor * (pred[base + j] - (j == labels[row] ? 1f : 0f));
            }
        }
    }
}
