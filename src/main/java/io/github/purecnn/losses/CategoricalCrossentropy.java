package io.github.purecnn.losses;

/**
 * Cross-entropy against one-hot targets, Keras's {@code categorical_crossentropy}; the targets
 * are the one-hot encodings of the labels. On probabilities Keras first rescales each row to
 * sum to one, then clips to {@code [1e-7, 1 - 1e-7]}: {@code -log(clip(p[label] / sum(p)))}.
 */
public final class CategoricalCrossentropy extends CrossEntropy {

    public CategoricalCrossentropy(boolean fromLogits) {
        super(fromLogits);
    }

    @Override
    public String kerasName() {
        return "categorical_crossentropy";
    }

    @Override
    public double sum(float[] pred, int[] labels, int n, int classes) {
        double total = 0;
        for (int row = 0; row < n; row++) {
            int base = row * classes;
            if (fromLogits()) {
                total += logSumExp(pred, base, classes) - pred[base + labels[row]];
            } else {
                total += -Math.log(clip((float) (pred[base + labels[row]] / rowSum(pred, base, classes))));
            }
        }
        return total;
    }

    private static double rowSum(float[] x, int base, int cols) {
        double s = 0;
        for (int j = 0; j < cols; j++) {
            s += x[base + j];
        }
        return s;
    }

    @Override
    public void backward(float[] dPred, float[] pred, int[] labels, int n, int classes, float scale) {
        if (fromLogits()) {
            softmaxMinusOneHotFromLogits(dPred, pred, labels, n, classes, scale);
            return;
        }
        for (int row = 0; row < n; row++) {
            int base = row * classes;
            double s = rowSum(pred, base, classes);
            float q = (float) (pred[base + labels[row]] / s);
            if (q <= EPSILON || q >= 1f - EPSILON) {
                // clipped: the loss is locally constant
                java.util.Arrays.fill(dPred, base, base + classes, 0f);
                continue;
            }
            // d/dp_j of -log(p_l) + log(sum p) = 1/sum - [j == l] / p_l
            float common = (float) (scale / s);
            for (int j = 0; j < classes; j++) {
                dPred[base + j] = common;
            }
            dPred[base + labels[row]] -= scale / pred[base + labels[row]];
        }
    }

}
