package io.github.purecnn.layers;

import io.github.purecnn.testing.LayerHarness;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.testing.FiniteDifferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central-difference gradient checks of a layer's backward pass: the input gradient and every
 * parameter gradient of the scalar objective {@code L = sum_i w_i * out_i} (fixed random weights
 * w, sum taken in double) against {@code (L(x + h) - L(x - h)) / (2h)}.
 *
 * <p>Error measure: {@code |analytic - numeric| / max(|analytic|, |numeric|, 1)}, a relative
 * error for gradients above 1 and an absolute one below (the rounding noise of the numerical
 * gradient is absolute, see {@link #TOLERANCE}).
 */
final class GradientCheck {
    private static final Logger LOG = LoggerFactory.getLogger(GradientCheck.class);

    /**
     * The central-difference step. The forward pass runs in float32 (unit roundoff u = 6e-8), so
     * the objective carries a rounding error of roughly u * sum|w_i * out_i| over the outputs a
     * perturbation touches (tens of outputs of size about 1: about 1e-6), which the difference
     * divides by 2h; the truncation error of smooth activations is about h^2 / 6 * |L'''|.
     * h = 1e-2 balances the two at about 1e-4 and 2e-5. Layers with kinks (ReLU, max pooling)
     * get data that keeps every kink farther than h from the evaluation point.
     */
    static final double STEP = 1e-2;

    /**
     * The allowed error, about ten times the rounding noise estimated for {@link #STEP}; a wrong
     * index, a missed padding cell or a missing factor gives errors of order 0.1 to 1.
     */
    static final double TOLERANCE = 1e-3;

    private GradientCheck() {
    }

    /**
     * Whether a central difference across some point of the activation is off by more than the
     * tolerance: a kink in its value (ReLU, leaky ReLU, SELU at 0; hard sigmoid at -3 and 3) or in
     * its slope (ELU at 0, where the second derivative jumps from 1 to 0, which costs about h / 4).
     * Such cases get lattice data, which keeps every pre-activation farther than a step from them.
     */
    static boolean hasKinks(Activation a) {
        return switch (a) {
            case RELU, LEAKY_RELU, SELU, ELU, HARD_SIGMOID -> true;
            default -> false;
        };
    }

    /** The largest error seen over one array, where, and the two values compared there. */
    record Worst(String array, int index, double analytic, double numeric, double error) {
        static Worst none(String array) {
            return new Worst(array, -1, 0, 0, 0);
        }

        Worst max(Worst other) {
            return other.error > error ? other : this;
        }

        @Override
        public String toString() {
            return String.format("%s[%d]: analytic %.7g, numeric %.7g, error %.2e", array, index, analytic, numeric, error);
        }
    }

    /**
     * Checks the input gradient and every trainable parameter's gradient of a built layer on
     * {@code n} images, running forward in training mode with {@code noiseSeed}, and returns the
     * worst error.
     *
     * @param in (n, inputShape), perturbed and restored during the check
     */
    static Worst check(String label, Layer layer, Kernels kernels, float[] in, int n, long noiseSeed) {
        int outLen = n * layer.outputShape().size();
        assertEquals(n * layer.inputShape().size(), in.length, "input length");
        LayerHarness shard = new LayerHarness(layer, kernels, n);
        float[] w = uniform(new SplittableRandom(label.hashCode()), outLen, -1, 1);
        float[] out = new float[outLen];

        shard.forward(out, in, n, true, noiseSeed);
        // NaN in dIn and the parameter gradients shows any entry the backward pass fails to write (or adds into).
        float[] dIn = new float[in.length];
        java.util.Arrays.fill(dIn, Float.NaN);
        for (float[] g : shard.grads()) {
            java.util.Arrays.fill(g, Float.NaN);
        }
        shard.backward(dIn, w.clone(), in, out, n);

        Worst worst = compare("input", dIn, in, () -> objective(shard, out, in, n, noiseSeed, w));
        List<Parameter> params = layer.trainableWeights();
        assertEquals(params.size(), shard.grads().length, "one gradient per trainable parameter");
        for (int p = 0; p < params.size(); p++) {
            float[] analytic = shard.grads()[p].clone();
            worst = worst.max(compare(params.get(p).name(), analytic, params.get(p).value(),
                    () -> objective(shard, out, in, n, noiseSeed, w)));
        }
        LOG.info("gradient check {} ({}): worst {}", label, kernels.name(), worst);
        Worst reported = worst;
        assertTrue(worst.error <= TOLERANCE, () -> label + " (" + kernels.name() + "): " + reported);
        return worst;
    }

    /** L = sum_i w_i * out_i, in double. */
    private static double objective(LayerHarness shard, float[] out, float[] in, int n, long noiseSeed, float[] w) {
        shard.forward(out, in, n, true, noiseSeed);
        double sum = 0;
        for (int i = 0; i < out.length; i++) {
            sum += (double) w[i] * out[i];
        }
        return sum;
    }

    /** Compares {@code analytic} with central differences of {@code objective} over every element of {@code x}. */
    static Worst compare(String name, float[] analytic, float[] x, java.util.function.DoubleSupplier objective) {
        Worst worst = Worst.none(name);
        for (int i = 0; i < x.length; i++) {
            double numeric = FiniteDifferences.centralDifference(x, i, STEP, objective);
            double error = FiniteDifferences.error(analytic[i], numeric);
            worst = worst.max(new Worst(name, i, analytic[i], numeric, error));
        }
        return worst;
    }

    /** Values drawn uniformly from [lo, hi). */
    static float[] uniform(SplittableRandom rng, int len, double lo, double hi) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        }
        return a;
    }

    /** Multiples of {@code step} between {@code -limit * step} and {@code limit * step}. */
    static float[] lattice(SplittableRandom rng, int len, double step, int limit) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (step * rng.nextInt(-limit, limit + 1));
        }
        return a;
    }

    /** Odd multiples of {@code step} between {@code -(2 limit - 1) step} and {@code (2 limit - 1) step}: never zero. */
    static float[] oddLattice(SplittableRandom rng, int len, double step, int limit) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            int k = 2 * rng.nextInt(limit) + 1;
            a[i] = (float) (step * (rng.nextBoolean() ? k : -k));
        }
        return a;
    }

    /**
     * A random order of the values {@code spacing * (i - len / 2)}: all distinct and at least
     * {@code spacing} apart, so that for spacing > 2h no two can tie or swap order when one of
     * them moves by h.
     */
    static float[] distinct(SplittableRandom rng, int len, double spacing) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (spacing * (i - len / 2));
        }
        for (int i = len - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        return a;
    }
}
