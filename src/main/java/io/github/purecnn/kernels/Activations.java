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
 * with respect to the input; from y alone where the function can be inverted on the values it
 * gives (ReLU, sigmoid, ELU, softplus...), so that layers keep no copy of the input; from the
 * input x for GELU and SiLU, which are not monotonic. Formulas are Keras 3's (each method says
 * which); functions of one value are computed in double from the float input and rounded once.
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

    /** x in place: {@code x} where {@code x > 0}, else {@code negativeSlope * x} (Keras's {@code leaky_relu}). */
    public static void leakyReluForward(float[] x, int from, int to, float negativeSlope) {
        for (int i = from; i < to; i++) {
            x[i] = x[i] > 0f ? x[i] : negativeSlope * x[i];
        }
    }

    /** dy in place: dy where y &gt; 0, else {@code negativeSlope * dy} (the slope at 0 is the negative one, as TensorFlow's). */
    public static void leakyReluBackward(float[] dy, float[] y, int from, int to, float negativeSlope) {
        for (int i = from; i < to; i++) {
            dy[i] = y[i] > 0f ? dy[i] : negativeSlope * dy[i];
        }
    }

    /** x in place: {@code x} where {@code x > 0}, else {@code exp(x) - 1} (Keras's {@code elu} with alpha 1; by {@code expm1}, in double). */
    public static void eluForward(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = x[i] > 0f ? x[i] : (float) StrictMath.expm1(x[i]);
        }
    }

    /** dy in place: dy where y &gt; 0, else {@code dy * (y + 1)}, which is {@code exp(x)}. */
    public static void eluBackward(float[] dy, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            dy[i] = y[i] > 0f ? dy[i] : dy[i] * (y[i] + 1f);
        }
    }

    /** SELU's alpha, as Keras's {@code selu} (Klambauer et al., 2017). */
    public static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    /** SELU's scale, as Keras's {@code selu}. */
    public static final double SELU_SCALE = 1.0507009873554804934193349852946;

    /** x in place: {@code scale * x} where {@code x > 0}, else {@code scale * alpha * (exp(x) - 1)}, in double. */
    public static void seluForward(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            x[i] = (float) (v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * StrictMath.expm1(v));
        }
    }

    /** dy in place: {@code dy * scale} where y &gt; 0, else {@code dy * (y + scale * alpha)}, in double. */
    public static void seluBackward(float[] dy, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            double slope = y[i] > 0f ? SELU_SCALE : y[i] + SELU_SCALE * SELU_ALPHA;
            dy[i] = (float) (dy[i] * slope);
        }
    }

    private static final double SQRT_HALF = 0.70710678118654752440;
    private static final double INV_SQRT_2PI = 0.39894228040143267794;
    private static final double TWO_OVER_SQRT_PI = 1.12837916709551257390;

    /**
     * x in place: {@code 0.5 * x * erfc(-x / sqrt(2))}, in double: Keras's {@code gelu} with its
     * default {@code approximate=False}, in the form TensorFlow computes it (the complementary
     * error function keeps the far negative tail accurate).
     */
    public static void geluForward(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            x[i] = (float) (0.5 * v * erfc(-v * SQRT_HALF));
        }
    }

    /** dy in place, from the input x: {@code dy * (0.5 * erfc(-x / sqrt(2)) + x * exp(-x^2 / 2) / sqrt(2 pi))}, in double. */
    public static void geluBackward(float[] dy, float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            double slope = 0.5 * erfc(-v * SQRT_HALF) + v * StrictMath.exp(-0.5 * v * v) * INV_SQRT_2PI;
            dy[i] = (float) (dy[i] * slope);
        }
    }

    /** x in place: {@code x * sigmoid(x) = x / (1 + exp(-x))}, in double (Keras's {@code silu}, alias {@code swish}). */
    public static void siluForward(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            x[i] = (float) (v / (1.0 + StrictMath.exp(-v)));
        }
    }

    /** dy in place, from the input x: {@code dy * s * (1 + x * (1 - s))} with {@code s = sigmoid(x)}, in double. */
    public static void siluBackward(float[] dy, float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            double s = 1.0 / (1.0 + StrictMath.exp(-v));
            dy[i] = (float) (dy[i] * (s * (1.0 + v * (1.0 - s))));
        }
    }

    /**
     * x in place: {@code log(1 + exp(x))}, in double, as {@code x + log1p(exp(-x))} for positive x
     * and {@code log1p(exp(x))} otherwise, so that neither overflows.
     */
    public static void softplusForward(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            double v = x[i];
            x[i] = (float) (v > 0 ? v + StrictMath.log1p(StrictMath.exp(-v)) : StrictMath.log1p(StrictMath.exp(v)));
        }
    }

    /** dy in place: {@code dy * sigmoid(x)}, with {@code sigmoid(x) = 1 - exp(-y) = -expm1(-y)}, in double. */
    public static void softplusBackward(float[] dy, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            dy[i] = (float) (dy[i] * -StrictMath.expm1(-(double) y[i]));
        }
    }

    /** x in place: {@code x / 6 + 0.5} clipped to [0, 1] (Keras 3's {@code hard_sigmoid}: 0 below -3, 1 above 3), in float. */
    public static void hardSigmoidForward(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = Math.min(Math.max(x[i] / 6f + 0.5f, 0f), 1f);
        }
    }

    /** dy in place: {@code dy / 6} where 0 &lt; y &lt; 1, else 0. */
    public static void hardSigmoidBackward(float[] dy, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            dy[i] = y[i] > 0f && y[i] < 1f ? dy[i] / 6f : 0f;
        }
    }

    /** x in place: {@code exp(x)} (Keras's {@code exponential}). */
    public static void exponentialForward(float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = (float) StrictMath.exp(x[i]);
        }
    }

    /** dy in place: {@code dy * y}. */
    public static void exponentialBackward(float[] dy, float[] y, int from, int to) {
        for (int i = from; i < to; i++) {
            dy[i] *= y[i];
        }
    }

    /**
     * The complementary error function in double, to about 1e-13 relative, by fixed steps so that
     * it gives the same bits everywhere: below 2, {@code 1 - erf(x)} with erf from its series of
     * positive terms {@code 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (1 3 5 ... (2n+1))}, added
     * until a term no longer changes the sum; from 2 on, the continued fraction
     * {@code exp(-x^2)/sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...))))} evaluated
     * backwards over 60 levels; for negative x, {@code 2 - erfc(-x)}.
     */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return 2.0 - erfc(-x);
        }
        if (x < 2) {
            double term = x;
            double sum = x;
            for (int n = 1; ; n++) {
                term *= 2 * x * x / (2 * n + 1);
                double next = sum + term;
                if (next == sum) {
                    break;
                }
                sum = next;
            }
            return 1.0 - TWO_OVER_SQRT_PI * StrictMath.exp(-x * x) * sum;
        }
        double t = x;
        for (int k = 60; k > 0; k--) {
            t = x + (0.5 * k) / t;
        }
        return StrictMath.exp(-x * x) * (TWO_OVER_SQRT_PI / 2) / t;
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
