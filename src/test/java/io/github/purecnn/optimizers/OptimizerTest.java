package io.github.purecnn.optimizers;

import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimizers on a one-parameter problem, against their update rules worked out by hand. */
class OptimizerTest {
    /** One float32 rounding of values near 1. */
    private static final double FLOAT_TOLERANCE = 1e-7;

    /** A model whose only parameter is one weight, starting at 1. */
    private static Parameter singleWeight(Optimizer opt) {
        Sequential model = new Sequential(0, Shape.of(1), new Dense(1).useBias(false));
        Parameter p = model.parameters().get(0);
        p.set(new float[] {1f});
        opt.build(model.parameters());
        return p;
    }

    private static void step(Optimizer opt, Parameter p, float gradient) {
        p.grad()[0] = gradient;
        opt.beginStep();
        opt.update(0, 0, 1);
    }

    @Test
    void adamFirstTwoStepsFollowTheClosedForm() {
        Adam adam = new Adam();
        Parameter p = singleWeight(adam);

        // Step 1, g = 0.5: m = 0.1 * 0.5 = 0.05, v = 0.001 * 0.25 = 0.00025,
        // step size = 0.001 * sqrt(1 - 0.999) / (1 - 0.9) = 3.16228e-4,
        // p = 1 - 3.16228e-4 * 0.05 / (sqrt(0.00025) + 1e-7) = 1 - 9.99994e-4: about lr * sign(g), Adam's hallmark.
        step(adam, p, 0.5f);
        double m = 0.05, v = 0.00025;
        double expected = 1 - 0.001 * Math.sqrt(1 - 0.999) / (1 - 0.9) * m / (Math.sqrt(v) + 1e-7);
        assertEquals(0.999000006, expected, 1e-9, "the hand-worked value");
        assertEquals(expected, p.value()[0], FLOAT_TOLERANCE);

        // Step 2, g = -0.25: m = 0.9 * 0.05 + 0.1 * -0.25 = 0.02, v = 0.999 * 0.00025 + 0.001 * 0.0625 = 0.00031225,
        // step size = 0.001 * sqrt(1 - 0.999^2) / (1 - 0.9^2) = 2.35317e-4, p += -2.35317e-4 * 0.02 / 0.0176706 = -2.66335e-4.
        step(adam, p, -0.25f);
        m = 0.02;
        v = 0.00031225;
        expected -= 0.001 * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.81) * m / (Math.sqrt(v) + 1e-7);
        assertEquals(0.998733671, expected, 1e-9, "the hand-worked value");
        assertEquals(expected, p.value()[0], FLOAT_TOLERANCE);
        assertEquals(2, adam.iterations());
    }

    @Test
    void sgdWithoutMomentumStepsAgainstTheGradient() {
        SGD sgd = new SGD(0.1);
        Parameter p = singleWeight(sgd);
        step(sgd, p, 2f);   // 1 - 0.1 * 2
        assertEquals(0.8, p.value()[0], FLOAT_TOLERANCE);
    }

    @Test
    void sgdMomentumAccumulatesVelocity() {
        SGD sgd = new SGD(0.1, 0.9, false);
        Parameter p = singleWeight(sgd);
        step(sgd, p, 1f);   // velocity = -0.1, p = 0.9
        step(sgd, p, 1f);   // velocity = 0.9 * -0.1 - 0.1 = -0.19, p = 0.71
        assertEquals(0.71, p.value()[0], FLOAT_TOLERANCE);
    }

    @Test
    void nesterovLooksAhead() {
        SGD sgd = new SGD(0.1, 0.9, true);
        Parameter p = singleWeight(sgd);
        step(sgd, p, 1f);   // velocity = -0.1, p += 0.9 * -0.1 - 0.1 = -0.19 -> 0.81
        step(sgd, p, 1f);   // velocity = -0.19, p += 0.9 * -0.19 - 0.1 = -0.271 -> 0.539
        assertEquals(0.539, p.value()[0], FLOAT_TOLERANCE);
    }

    @Test
    void badHyperParametersAreRefusedWithTheirValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam(-1));
        assertTrue(e.getMessage().contains("learning rate") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(0.001, 1.0, 0.999, 1e-7));
        assertTrue(e.getMessage().contains("beta1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(0.1, 1.5, false));
        assertTrue(e.getMessage().contains("momentum") && e.getMessage().contains("1.5"), e.getMessage());
    }

    @Test
    void anOptimizerServesOneModel() {
        Adam adam = new Adam();
        Sequential first = new Sequential(0, Shape.of(2), new Dense(1));
        first.compile(adam, io.github.purecnn.losses.Loss.meanSquaredError());
        first.compile(adam, io.github.purecnn.losses.Loss.meanSquaredError());   // compiling again is fine
        Sequential second = new Sequential(0, Shape.of(2), new Dense(1));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> second.compile(adam, io.github.purecnn.losses.Loss.meanSquaredError()));
        assertTrue(e.getMessage().contains("other parameters"), e.getMessage());
    }

    @Test
    void anUnboundOptimizerSaysToCompileFirst() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Adam().beginStep());
        assertTrue(e.getMessage().contains("compile"), e.getMessage());
    }
}
