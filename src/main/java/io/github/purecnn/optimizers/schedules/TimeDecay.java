package io.github.purecnn.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@link ExponentialDecay} and {@link InverseTimeDecay} share: Keras's arguments
 * {@code initial_learning_rate}, {@code decay_steps}, {@code decay_rate} and {@code staircase},
 * and the elapsed fraction {@code p = step / decay_steps}, rounded down when {@code staircase}.
 */
abstract class TimeDecay extends LearningRateSchedule {
    private final double initialLearningRate;
    private final double decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /**
     * @throws IllegalArgumentException naming the argument when {@code decay_steps} is not above 0
     *     or a value is not finite
     */
    TimeDecay(double initialLearningRate, double decaySteps, double decayRate, boolean staircase) {
        this.initialLearningRate = finite("initial_learning_rate", initialLearningRate);
        this.decaySteps = positive("decay_steps", decaySteps);
        this.decayRate = finite("decay_rate", decayRate);
        this.staircase = staircase;
    }

    @Override
    public final Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("decay_rate", decayRate);
        c.put("staircase", staircase);
        return c;
    }

    @Override
    protected final double compute(long step) {
        double p = step / decaySteps;
        return decayed(initialLearningRate, decayRate, staircase ? Math.floor(p) : p);
    }

    /** The rate after the elapsed fraction p of decay steps. */
    abstract double decayed(double initial, double rate, double p);
}
