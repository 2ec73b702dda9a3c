package io.github.purecnn.losses;

/**
 * What the cross-entropy losses share: predictions that are probabilities (fused with a softmax
 * output when there is one) or logits, and the row-wise arithmetic.
 */
public abstract class CrossEntropy implements Loss {
    private final boolean fromLogits;

    CrossEntropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    @Override
    public final boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public final boolean fusesWithSoftmax() {
        return !fromLogits;
    }

    /** log(sum(exp(row))) computed with the row maximum subtracted, in double. */
    static double logSumExp(float[] x, int base, int cols) {
        float max = x[base];
        for (int j = 1; j < cols; j++) {
            max = Math.max(max, x[base + j]);
        }
        double sum = 0;
        for (int j = 0; j < cols; j++) {
            sum += Math.exp(x[base + j] - max);
        }
        return max + Math.log(sum);
    }

    /** dz (n, cols) writes: scale * (softmax(z) - one_hot(label)) for logits z. */
    static void softmaxMinusOneHotFromLogits(float[] dz, float[] z, int[] labels, int n, int cols, float scale) {
        for (int row = 0; row < n; row++) {
            int base = row * cols;
            double lse = logSumExp(z, base, cols);
            for (int j = 0; j < cols; j++) {
                dz[base + j] = scale * (float) Math.exp(z[base + j] - lse);
            }
            dz[base + labels[row]] -= scale;
        }
    }

    /** dz (n, cols) writes: scale * (p - one_hot(label)) for probabilities p. */
    static void probabilitiesMinusOneHot(float[] dz, float[] p, int[] labels, int n, int cols, float scale) {
        for (int row = 0; row < n; row++) {
            int base = row * cols;
            for (int j = 0; j < cols; j++) {
                dz[base + j] = scale * p[base + j];
            }
            dz[base + labels[row]] -= scale;
        }
    }

    static float clip(float p) {
        return Math.min(Math.max(p, Loss.EPSILON), 1f - Loss.EPSILON);
    }
}
