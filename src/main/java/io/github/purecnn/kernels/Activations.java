package io.github.purecnn.kernels;

/**
 * The element-wise (and, for softmax, row-wise) activation functions, forward next to backward,
 * in place, one implementation for every kernel path: each value is computed on its own by the
 * same scalar operations, so every path gives the same bits. Transcendental functions come from
 * {@link StrictMath}, whose results are fixed by specification on every machine and JIT tier
 * ({@link Math}'s may differ by an ulp between them). The simple loops here are vectorised by
 * HotSpot where it can (ReLU's {@code Math.max}).
 *
 * <p>Every backward pass turns dy, the gradient with respect to the output y, into the gradient
 * with respect to the input, from y alone, so layers keep no copy of the input.
 */
public final class Activations {
    private Activations() {
    }

    /** x (len) in place: {@code max(x, 0)}, which keeps NaN and turns -0 into +0. */
    public static void reluForward(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = Math.max(x[i], 0f);
        }
    }

    /**
     * dy in place: dy where y &gt; 0, else +0. Computed on the bits, without a branch: whether an
     * activation is positive is a coin toss that a branch mispredicts half the time (470,000 values:
     * 2.6 ms with {@code y > 0 ? dy : 0f}, 0.2 ms so). y &gt; 0 exactly when its bits, as an int,
     * lie in [1, 0x7f800000] (positive, up to +infinity; not NaN), which the sign of
     * {@code -bits & (bits - 0x7f800001)} tells.
     */
    public static void reluBackward(float[] dy, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            int bits = Float.floatToRawIntBits(y[i]);
            int keep = (-bits & (bits - 0x7f800001)) >> 31;
            dy[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dy[i]) & keep);
        }
    }

    /** x in place: {@code 1 / (1 + exp(-x))}, in double. */
    public static void sigmoidForward(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = (float) (1.0 / (1.0 + StrictMath.exp(-(double) x[i])));
        }
    }

    /** dy in place: {@code dy * (y * (1 - y))}. */
    public static void sigmoidBackward(float[] dy, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            dy[i] *= y[i] * (1f - y[i]);
        }
    }

    public static void tanhForward(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = (float) StrictMath.tanh(x[i]);
        }
    }

    /** dy in place: {@code dy * (1 - y * y)}. */
    public static void tanhBackward(float[] dy, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            dy[i] *= 1f - y[i] * y[i];
        }
    }

    /**
     * x (rows, cols) in place: each row becomes its softmax: {@code e = exp(x - max)} in double,
     * kept as a float, {@code sum} of the double values in order, then {@code e / sum} in double.
     */
    public static void softmaxForward(float[] x, int rows, int cols) {
        for (int row = 0; row < rows; row++) {
            int base = row * cols;
            float max = x[base];
            for (int j = 1; j < cols; j++) {
                max = Math.max(max, x[base + j]);
            }
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                double e = StrictMath.exp((double) x[base + j] - max);
                x[base + j] = (float) e;
                sum += e;
            }
            for (int j = 0; j < cols; j++) {
                x[base + j] = (float) (x[base + j] / sum);
            }
        }
    }

    /** dy (rows, cols) in place: {@code y * (dy - sum(dy * y))} per row, the sum in double, in order. */
    public static void softmaxBackward(float[] dy, float[] y, int rows, int cols) {
        for (int row = 0; row < rows; row++) {
            int base = row * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += (double) dy[base + j] * y[base + j];
            }
            for (int j = 0; j < cols; j++) {
                dy[base + j] = y[base + j] * (float) (dy[base + j] - dot);
            }
        }
    }
}
