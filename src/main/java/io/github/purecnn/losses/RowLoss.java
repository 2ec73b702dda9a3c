package io.github.purecnn.losses;

import io.github.purecnn.runtime.Truth;

/**
 * A loss defined per row (the last dimension of a prediction), as all of Keras's are: this class
 * averages the rows of each sample, weights the sample and sums over the samples, in order; its
 * subclasses give one row's loss and gradient.
 */
abstract class RowLoss implements Loss {

    @Override
    public final double sum(float[] pred, Truth truth, int n) {
        int rows = truth.rows();
        int cols = truth.cols();
        double total = 0;
        for (int s = 0; s < n; s++) {
            double sample = 0;
            for (int r = s * rows; r < (s + 1) * rows; r++) {
                sample += rowLoss(pred, r * cols, truth, r, cols);
            }
            total += truth.weight(s) * (sample / rows);
        }
        return total;
    }

    @Override
    public final void backward(float[] dPred, float[] pred, Truth truth, int n, float scale) {
        int rows = truth.rows();
        int cols = truth.cols();
        for (int s = 0; s < n; s++) {
            float factor = scale * truth.weight(s) / rows;
            for (int r = s * rows; r < (s + 1) * rows; r++) {
                rowGradient(dPred, pred, r * cols, truth, r, cols, factor);
            }
        }
    }

    @Override
    public final void backwardFused(float[] dz, float[] probabilities, Truth truth, int n, float scale) {
        if (fusedActivation() == null) {
            Loss.super.backwardFused(dz, probabilities, truth, n, scale);
        }
        int rows = truth.rows();
        int cols = truth.cols();
        for (int s = 0; s < n; s++) {
            float factor = scale * truth.weight(s) / rows;
            for (int r = s * rows; r < (s + 1) * rows; r++) {
                rowFusedGradient(dz, probabilities, r * cols, truth, r, cols, factor);
            }
        }
    }

    /**
     * The loss of one row.
     *
     * @param base the row's first value in pred (and in the truth's values)
     * @param row  the row's index among all rows, for {@link Truth#labels()}
     */
    abstract double rowLoss(float[] pred, int base, Truth truth, int row, int cols);

    /** dPred of one row, written: {@code factor} times the row loss's gradient. */
    abstract void rowGradient(float[] dPred, float[] pred, int base, Truth truth, int row, int cols, float factor);

    /** dz of one row, written, for losses with a fused activation. */
    void rowFusedGradient(float[] dz, float[] probabilities, int base, Truth truth, int row, int cols, float factor) {
        throw new IllegalStateException(kerasName() + " fuses with no activation");
    }
}
