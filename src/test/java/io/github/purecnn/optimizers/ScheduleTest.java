package io.github.purecnn.optimizers;

import io.github.purecnn.optimizers.schedules.CosineDecay;
import io.github.purecnn.optimizers.schedules.ExponentialDecay;
import io.github.purecnn.optimizers.schedules.InverseTimeDecay;
import io.github.purecnn.optimizers.schedules.LearningRateSchedule;
import io.github.purecnn.optimizers.schedules.PiecewiseConstantDecay;
import io.github.purecnn.testing.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learning-rate schedules against Keras 3's formulas run by NumPy in float32 ({@code schedule_values.txt}). */
class ScheduleTest {
    private static final Fixture VALUES = Fixture.load("schedule_values.txt");
    private static final Map<String, LearningRateSchedule> CASES = new LinkedHashMap<>();

    static {
        CASES.put("exponential", new ExponentialDecay(0.1, 10, 0.5));
        CASES.put("exponential_staircase", new ExponentialDecay(0.1, 10, 0.5, true));
        CASES.put("inverse_time", new InverseTimeDecay(0.1, 5, 0.5));
        CASES.put("inverse_time_staircase", new InverseTimeDecay(0.1, 5, 0.5, true));
        CASES.put("piecewise", new PiecewiseConstantDecay(new long[] {10, 20, 40}, new double[] {0.1, 0.05, 0.01, 0.001}));
        CASES.put("cosine", new CosineDecay(0.1, 40, 0.1));
        CASES.put("cosine_warmup", new CosineDecay(0.0, 30, 0.0, 0.2, 10));
    }

    static List<String> cases() {
        return List.copyOf(CASES.keySet());
    }

    /**
     * Keras computes in float32, purecnn in double and rounds once: equal within 4 float32 ulps of
     * the value, or, where float32 cancels (the cosine's {@code 1 + cos(x)} near its end, where
     * cos(x) is near -1), within 4 ulps of 1 times the schedule's peak rate: the absolute error of
     * Keras's float32 {@code 1 + cos(x)} scaled by the rate it multiplies. Measured: the largest
     * difference is 2e-9, at the warm-up cosine's step 39 (Keras 5.478084e-4, exact 5.4781046e-4).
     */
    @ParameterizedTest
    @MethodSource("cases")
    void valuesMatchKeras(String name) {
        LearningRateSchedule schedule = CASES.get(name);
        int[] steps = VALUES.ints("steps");
        float[] expected = VALUES.floats(name);
        float peak = 0;
        for (float v : expected) {
            peak = Math.max(peak, v);
        }
        for (int i = 0; i < steps.length; i++) {
            float actual = (float) schedule.at(steps[i]);
            float tolerance = Math.max(4 * Math.ulp(expected[i]), 4 * Math.ulp(1f) * peak);
            assertEquals(expected[i], actual, tolerance, name + " at step " + steps[i]);
        }
    }

    @Test
    void aNegativeStepIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExponentialDecay(0.1, 10, 0.5).at(-3));
        assertTrue(e.getMessage().contains("ExponentialDecay") && e.getMessage().contains("step")
                && e.getMessage().contains("-3"), e.getMessage());
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExponentialDecay(0.1, -5, 0.5));
        assertTrue(e.getMessage().contains("decay_steps") && e.getMessage().contains("-5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CosineDecay(0.1, 10, 0, 0.2, -1));
        assertTrue(e.getMessage().contains("warmup_steps") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new PiecewiseConstantDecay(new long[] {5, 5}, new double[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("boundaries") && e.getMessage().contains("index 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new PiecewiseConstantDecay(new long[] {5}, new double[] {1}));
        assertTrue(e.getMessage().contains("one element less"), e.getMessage());
    }

    /** Every schedule's config rebuilds it: the same values at every step. */
    @ParameterizedTest
    @MethodSource("cases")
    void configsRoundTrip(String name) {
        LearningRateSchedule schedule = CASES.get(name);
        LearningRateSchedule again = LearningRateSchedule.deserialize(schedule.serialize());
        assertEquals(schedule.config(), again.config());
        for (long step : new long[] {0, 7, 10, 33, 999}) {
            assertEquals(schedule.at(step), again.at(step), 0.0, name + " at " + step);
        }
    }

    @Test
    void unknownSchedulesAndKeysAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearningRateSchedule.fromConfig("PolynomialDecay", Map.of()));
        assertTrue(e.getMessage().contains("PolynomialDecay") && e.getMessage().contains("CosineDecay"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.fromConfig("ExponentialDecay",
                Map.of("initial_learning_rate", 0.1, "decay_steps", 10, "decay_rate", 0.5, "cycle", true)));
        assertTrue(e.getMessage().contains("'cycle'"), e.getMessage());
    }
}
