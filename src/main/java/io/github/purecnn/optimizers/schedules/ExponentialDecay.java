package io.github.purecnn.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code ExponentialDecay}: {@code initial_learning_rate * decay_rate ^ (step / decay_steps)},
 * with the exponent rounded down to an integer when {@code staircase} (the rate then drops every
 * {@code decay_steps} steps).
 */
public final class ExponentialDecay extends LearningRateSchedule {
    private final double initialLearningRate;
    private final double decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /** A smooth decay, as Keras's default {@code staircase=False}. */
    public ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    /**
     * @throws IllegalArgumentException naming the argument when {@code decay_steps} is not above 0
     *     or a value is not finite
     */
    public ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate, boolean staircase) {
        this.initialLearningRate = finite("initial_learning_rate", initialLearningRate);
        this.decaySteps = positive("decay_steps", decaySteps);
        this.decayRate = finite("decay_rate", decayRate);
        this.staircase = staircase;
    }

    @Override
    public String typeName() {
        return "ExponentialDecay";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("decay_rate", decayRate);
        c.put("staircase", staircase);
        return c;
    }

    @Override
    protected double compute(long step) {
        double p = step / decaySteps;
        if (staircase) {
            p = Math.floor(p);
        }
        return initialLearningRate * StrictMath.pow(decayRate, p);
    }
}
