package io.github.purecnn.optimizers;

import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.optimizers.schedules.ExponentialDecay;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;


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

    /** Every optimizer's config, with every common argument, rebuilds an optimizer with the same config. */
    @Test
    void everyConfigRoundTrips() {
        List<Optimizer> all = List.of(new SGD(0.05, 0.8, true).clipnorm(2), new Adam(0.002).amsgrad(true).weightDecay(0.01),
                new AdamW(new ExponentialDecay(0.01, 100, 0.9, true)).weightDecay(0.02).globalClipnorm(5),
                new RMSprop(0.01).rho(0.7).momentum(0.3).centered(true).epsilon(1e-6).clipvalue(0.1),
                new Nadam(0.003).beta1(0.8).beta2(0.99), new Adagrad(0.2).initialAccumulatorValue(0.3),
                new Adamax(0.004).beta2(0.9).weightDecay(0.1));
        for (Optimizer opt : all) {
            Optimizer again = Optimizers.fromConfig(opt.typeName(), opt.config());
            assertEquals(opt.getClass(), again.getClass());
            assertEquals(opt.config(), again.config(), opt.typeName());
        }
        assertEquals(Optimizers.TYPES.size(), all.size());
    }

    /** Model files written before schedules and clipping have only the learning rate and the optimizer's own keys. */
    @Test
    void missingKeysTakeKerasDefaults() {
        Optimizer adam = Optimizers.fromConfig("Adam", Map.of("learning_rate", 0.01));
        assertEquals(new Adam(0.01).config(), adam.config());
        Optimizer adamw = Optimizers.fromConfig("AdamW", Map.of());
        assertEquals(0.004, adamw.weightDecay());
        assertEquals(0.001f, adamw.learningRate());
    }

    @Test
    void badConfigsAreRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.fromConfig("RMSprop", Map.of("learning_rate", 0.01, "nesterov", true)));
        assertTrue(e.getMessage().contains("RMSprop config") && e.getMessage().contains("'nesterov'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.fromConfig("Lion", Map.of()));
        assertTrue(e.getMessage().contains("Lion") && e.getMessage().contains("Adamax"), e.getMessage());
        Map<String, Object> nullDecay = new java.util.HashMap<>();
        nullDecay.put("weight_decay", null);
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.fromConfig("AdamW", nullDecay));
        assertTrue(e.getMessage().contains("weight_decay"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.fromConfig("SGD", Map.of("clipnorm", 1.0, "clipvalue", 1.0)));
        assertTrue(e.getMessage().contains("only one of clipnorm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Adam().clipnorm(-2));
        assertTrue(e.getMessage().contains("clipnorm") && e.getMessage().contains("-2"), e.getMessage());
    }

    @Test
    void argumentsAreFixedOnceCompiled() {
        Adam adam = new Adam();
        singleWeight(adam);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> adam.clipnorm(1));
        assertTrue(e.getMessage().contains("clipnorm") && e.getMessage().contains("compiled"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> adam.beta1(0.5));
        adam.setLearningRate(0.5);   // the learning rate stays settable, as callbacks need
        assertEquals(0.5f, adam.learningRate());
    }

    @Test
    void aScheduledRateIsReadAtTheIterationCountAndCannotBeSet() {
        SGD sgd = new SGD(new ExponentialDecay(1.0, 1, 0.5));
        Parameter p = singleWeight(sgd);
        assertEquals(1f, sgd.learningRate(), "step 0");
        step(sgd, p, 1f);                        // lr 1: p = 1 - 1 = 0
        assertEquals(0f, p.value()[0]);
        assertEquals(0.5f, sgd.learningRate(), "after one step, the schedule at 1");
        step(sgd, p, 1f);                        // lr 0.5
        assertEquals(-0.5f, p.value()[0]);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.setLearningRate(0.1));
        assertTrue(e.getMessage().contains("ExponentialDecay"), e.getMessage());
    }

    /** Clipping by norm needs the norms: an update without them is a misuse, named. */
    @Test
    void normClippingNeedsTheSquaresFirst() {
        Optimizer sgd = new SGD(0.1).clipnorm(1);
        Parameter p = singleWeight(sgd);
        p.grad()[0] = 3f;
        sgd.beginStep();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sgd.update(0, 0, 1));
        assertTrue(e.getMessage().contains("gradientSquares"), e.getMessage());
        sgd.gradientSquares(new double[] {9});
        sgd.update(0, 0, 1);                     // g clipped to 3 * 1 / 3 = 1
        assertEquals(0.9f, p.value()[0]);
    }
}
