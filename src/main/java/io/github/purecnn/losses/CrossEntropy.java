package io.github.purecnn.losses;

/**
 * What the cross-entropies share: predictions that are probabilities (fused with a softmax or
 * sigmoid output when there is one) or logits, and the row-wise arithmetic, in double with
 * {@link StrictMath}'s functions so that every machine gives the same bits.
 */
abstract class CrossEntropy extends RowLoss {
    private final boolean fromLogits;

    CrossEntropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    @Override
    public final boolean fromLogits() {
        return fromLogits;
    }

    /** log(sum(exp(row))) computed with the row maximum subtracted, in double. */
    static double logSumExp(float[] x, int base, int cols) {
        float max = x[base];
        for (int j = 1; j < cols; j++) {
            max = Math.max(max, x[base + j]);
        }
        double sum = 0;
        for (int j = 0; j < cols; j++) {
            sum += StrictMath.exp((double) x[base + j] - max);
        }
        return max + StrictMath.log(sum);
    }

    /** The row's sum, in double, in order. */
    static double rowSum(float[] x, int base, int cols) {
        double s = 0;
        for (int j = 0; j < cols; j++) {
            s += x[base + j];
        }
        return s;
    }

    static float clip(float p) {
        return Math.min(Math.max(p, Loss.EPSILON), 1f - Loss.EPSILON);
    }

    /** Whether a probability lies inside Keras's clipping range, where the clipped loss has a gradient. */
    static boolean unclipped(float p) {
        return p > Loss.EPSILON && p < 1f - Loss.EPSILON;
    }
}
