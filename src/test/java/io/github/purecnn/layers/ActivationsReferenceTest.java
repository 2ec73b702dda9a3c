package io.github.purecnn.layers;

import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.testing.Fixture;
import io.github.purecnn.testing.LayerHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;


/**
 * The activations of issue 17 against Keras 3's formulas computed once with PyTorch in float64
 * ({@code fixtures/activations.txt}, made by {@code make_layer_fixtures.py}): values and
 * derivatives from -8 to 8, through an Activation layer. The activations are one scalar
 * implementation for every path (the layer contract test checks the paths agree bit for bit).
 */
class ActivationsReferenceTest {
    /**
     * Allowed |purecnn - reference| / max(1, |reference|): each value is computed in double and
     * rounded to float once (2^-24 relative), the derivatives from the float output (a few float
     * roundings more); a wrong formula (Keras 2's hard sigmoid 0.2 x + 0.5, the tanh form of GELU,
     * the leaky slope 0.3) moves values by 1e-3 or more.
     */
    private static final double TOLERANCE = 2e-6;

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"LEAKY_RELU", "ELU", "SELU", "GELU", "SILU", "SOFTPLUS", "HARD_SIGMOID",
            "EXPONENTIAL"})
    void valuesAndDerivativesMatchKeras(Activation a) {
        Fixture f = Fixture.load("activations.txt");
        float[] x = f.floats("x");
        ActivationLayer layer = new ActivationLayer(a);
        layer.build(Shape.of(x.length), 0, "activation", new SplittableRandom(1));
        LayerHarness h = new LayerHarness(layer, new ReferenceKernels(), 1);
        float[] y = new float[x.length];
        h.forward(y, x, 1, true, 0L);
        compare(f, a.kerasName(), y);
        float[] ones = new float[x.length];
        Arrays.fill(ones, 1f);
        float[] dx = new float[x.length];
        h.backward(dx, ones, x, y, 1);
        compare(f, "d_" + a.kerasName(), dx);
    }

    private static void compare(Fixture f, String name, float[] actual) {
        f.assertClose(name, actual, TOLERANCE);
    }
}
