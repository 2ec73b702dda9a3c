package io.github.purecnn.kernels;

/**
 * Batch normalisation's arithmetic over the last axis, one implementation for every kernel path
 * (like {@link Activations}): the values of a shard are rows of C channels (an image's pixels, or
 * one row per sample of a vector input). Sums over rows are taken per channel in double, from +0,
 * row after row (so images then pixels); per-element work is in float, in the operation order
 * written in each method.
 *
 * <p>Legend: rows the shard's rows (n images times their pixels); C channels; x the input, y the
 * output, xhat the normalised input {@code (x - mean) * invStd}.
 */
public final class Normalization {
    private Normalization() {
    }

    /** sums [0, 2C) writes: per channel the sum of x, then the sum of x * x (exact in double); x (rows, C) reads. */
    public static void sums(double[] sums, float[] x, int rows, int C) {
        java.util.Arrays.fill(sums, 0, 2 * C, 0.0);
        for (int r = 0; r < rows; r++) {
            int at = r * C;
            for (int c = 0; c < C; c++) {
                double v = x[at + c];
                sums[c] += v;
                sums[C + c] += v * v;
            }
        }
    }

    /**
     * y (rows, C) writes: {@code ((x - mean) * invStd) * gamma + beta} per element, in float, in that
     * order; gamma and beta may be null (1 and 0).
     */
    public static void normalize(float[] y, float[] x, int rows, int C, float[] mean, float[] invStd,
                                 float[] gamma, float[] beta) {
        for (int r = 0; r < rows; r++) {
            int at = r * C;
            for (int c = 0; c < C; c++) {
                float xhat = (x[at + c] - mean[c]) * invStd[c];
                float scaled = gamma == null ? xhat : xhat * gamma[c];
                y[at + c] = beta == null ? scaled : scaled + beta[c];
            }
        }
    }

    /**
     * sums [0, 2C) writes: per channel the sum of dy, then the sum of dy * xhat (xhat recomputed
     * from x as {@link #normalize} computes it); dy and x (rows, C) read.
     */
    public static void gradientSums(double[] sums, float[] dy, float[] x, int rows, int C, float[] mean, float[] invStd) {
        java.util.Arrays.fill(sums, 0, 2 * C, 0.0);
        for (int r = 0; r < rows; r++) {
            int at = r * C;
            for (int c = 0; c < C; c++) {
                float xhat = (x[at + c] - mean[c]) * invStd[c];
                double d = dy[at + c];
                sums[c] += d;
                sums[C + c] += d * xhat;
            }
        }
    }

    /**
     * dx (rows, C) writes, the input gradient of a normalisation by the batch's own statistics:
     * {@code scale * ((dy - meanDy) - xhat * meanDyXhat)} per element, in float, where per channel
     * {@code scale = gamma * invStd}, {@code meanDy} and {@code meanDyXhat} the batch means of dy
     * and dy * xhat (the callers round each to float once).
     */
    public static void batchBackward(float[] dx, float[] dy, float[] x, int rows, int C, float[] mean, float[] invStd,
                                     float[] scale, float[] meanDy, float[] meanDyXhat) {
        for (int r = 0; r < rows; r++) {
            int at = r * C;
            for (int c = 0; c < C; c++) {
                float xhat = (x[at + c] - mean[c]) * invStd[c];
                dx[at + c] = scale[c] * ((dy[at + c] - meanDy[c]) - xhat * meanDyXhat[c]);
            }
        }
    }

    /** dx (rows, C) writes: {@code dy * scale} per element, the gradient of a normalisation by fixed statistics. */
    public static void fixedBackward(float[] dx, float[] dy, int rows, int C, float[] scale) {
        for (int r = 0; r < rows; r++) {
            int at = r * C;
            for (int c = 0; c < C; c++) {
                dx[at + c] = dy[at + c] * scale[c];
            }
        }
    }
}
