package io.github.purecnn.optimizers;

import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.schedules.ExponentialDecay;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.testing.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every optimizer's first four steps against Keras 3's update rules, run in float32 by NumPy
 * ({@code fixtures/make_optimizer_fixtures.py} writes {@code optimizer_steps.txt}): with and
 * without weight decay, each clipping, AMSGrad, momentum, centering, and a schedule.
 */
class KerasReferenceStepsTest {
    private static final Fixture STEPS = Fixture.load("optimizer_steps.txt");
    /**
     * Float32 units in the last place the values may differ by. Both sides round the same float32
     * operations in the same order, so most values agree bit for bit; they may differ where a
     * power (beta^t) or a norm is computed: NumPy's float32 powf and pairwise sums against
     * StrictMath.pow rounded once and a sum in double. Measured: one value of Adam's and AdamW's
     * fourth step differs by one ulp (beta_1^4), all others are equal.
     */
    private static final int ULPS = 1;

    private static final Map<String, Supplier<Optimizer>> CASES = new LinkedHashMap<>();

    static {
        CASES.put("sgd", () -> new SGD(0.1));
        CASES.put("sgd_momentum", () -> new SGD(0.1, 0.9, false));
        CASES.put("sgd_nesterov_weight_decay", () -> new SGD(0.1, 0.5, true).weightDecay(0.1));
        CASES.put("adam", () -> new Adam(0.01));
        CASES.put("adam_amsgrad_clipnorm", () -> new Adam(0.01).amsgrad(true).clipnorm(1.0));
        CASES.put("adamw", () -> new AdamW(0.01, 0.1));
        CASES.put("rmsprop", () -> new RMSprop(0.01));
        CASES.put("rmsprop_centered_momentum", () -> new RMSprop(0.01).rho(0.8).momentum(0.5).centered(true));
        CASES.put("rmsprop_clipvalue", () -> new RMSprop(0.01).clipvalue(0.5));
        CASES.put("nadam", () -> new Nadam(0.01));
        CASES.put("nadam_global_clipnorm", () -> new Nadam(0.01).globalClipnorm(1.0));
        CASES.put("adagrad", () -> new Adagrad(0.1));
        CASES.put("adagrad_weight_decay", () -> new Adagrad(0.1).initialAccumulatorValue(0.5).weightDecay(0.05));
        CASES.put("adamax", () -> new Adamax(0.01));
        CASES.put("adamax_clipnorm", () -> new Adamax(0.01).clipnorm(0.8));
        CASES.put("sgd_exponential_decay", () -> new SGD(new ExponentialDecay(0.1, 2, 0.5)).momentum(0.9));
    }

    static List<String> cases() {
        return List.copyOf(CASES.keySet());
    }

    @ParameterizedTest
    @MethodSource("cases")
    void firstStepsMatchKeras(String name) {
        Optimizer opt = CASES.get(name).get();
        // a Dense(2) on two inputs: a kernel of 4 values and a bias of 2, as the fixture's parameters
        Sequential model = new Sequential(0, Shape.of(2), new Dense(2));
        List<Parameter> params = model.parameters();
        for (int p = 0; p < 2; p++) {
            params.get(p).set(STEPS.floats("initial_" + p));
        }
        opt.build(params);
        for (int step = 0; step < 4; step++) {
            for (int p = 0; p < 2; p++) {
                float[] g = STEPS.floats("grad_" + step + "_" + p);
                System.arraycopy(g, 0, params.get(p).grad(), 0, g.length);
            }
            takeStep(opt, params);
            for (int p = 0; p < 2; p++) {
                assertClose(STEPS.floats(name + "_" + step + "_" + p), params.get(p).value(),
                        name + " after step " + (step + 1) + ", parameter " + p);
            }
        }
        assertEquals(4, opt.iterations());
    }

    /** A step as the model takes it: the sums of squares first when the optimizer clips by norm. */
    static void takeStep(Optimizer opt, List<Parameter> params) {
        opt.beginStep();
        if (opt.needsGradientNorms()) {
            double[] squares = new double[params.size()];
            for (int p = 0; p < params.size(); p++) {
                for (float g : params.get(p).grad()) {
                    squares[p] += (double) g * g;
                }
            }
            opt.gradientSquares(squares);
        }
        for (int p = 0; p < params.size(); p++) {
            opt.update(p, 0, params.get(p).size());
        }
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            float tolerance = ULPS * Math.ulp(Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance, what + " [" + i + "]: expected " + expected[i]
                    + ", found " + actual[i] + " (" + Math.abs(expected[i] - actual[i]) / Math.ulp(expected[i]) + " ulps)");
        }
    }

    /** The fixture's cases are all run here, and the clipping cases do clip (their gradients exceed the bounds). */
    @Test
    void everyFixtureCaseRuns() {
        assertEquals(16, CASES.size());
        for (String name : CASES.keySet()) {
            STEPS.shape(name + "_3_1");
        }
        // from the second step on, the gradients exceed every bound used: the clipping cases clip
        for (int step = 1; step < 4; step++) {
            double squares = 0;
            double largest = 0;
            for (int p = 0; p < 2; p++) {
                double own = 0;
                for (float g : STEPS.floats("grad_" + step + "_" + p)) {
                    own += g * g;
                    largest = Math.max(largest, Math.abs(g));
                }
                squares += own;
                assertTrue(p == 1 || Math.sqrt(own) > 1.0, "clipnorm 1.0 and 0.8 bite at step " + step);
            }
            assertTrue(Math.sqrt(squares) > 1.0 && largest > 0.5, "global_clipnorm and clipvalue bite at step " + step);
        }
    }
}
