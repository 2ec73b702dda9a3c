package io.github.purecnn.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code InverseTimeDecay}: {@code initial_learning_rate / (1 + decay_rate * step / decay_steps)},
 * with {@code step / decay_steps} rounded down when {@code staircase}.
 */
public final class InverseTimeDecay extends LearningRateSchedule {
    private final double initialLearningRate;
    private final double decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /** A smooth decay, as Keras's default {@code staircase=False}. */
    public InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    /**
     * @throws IllegalArgumentException naming the argument when {@code decay_steps} is not above 0
     *     or a value is not finite
     */
    public InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate, boolean staircase) {
        this.initialLearningRate = finite("initial_learning_rate", initialLearningRate);
        this.decaySteps = positive("decay_steps", decaySteps);
        this.decayRate = finite("decay_rate", decayRate);
        this.staircase = staircase;
    }

    @Override
    public String typeName() {
        return "InverseTimeDecay";
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
        return initialLearningRate / (1 + decayRate * p);
    }
}
