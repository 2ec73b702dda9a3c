package io.github.purecnn.optimizers.schedules;

/**
 * Keras's {@code InverseTimeDecay}: {@code initial_learning_rate / (1 + decay_rate * step / decay_steps)},
 * with {@code step / decay_steps} rounded down when {@code staircase}.
 */
public final class InverseTimeDecay extends TimeDecay {

    /** A smooth decay, as Keras's default {@code staircase=False}. */
    public InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    /**
     * @throws IllegalArgumentException naming the argument when {@code decay_steps} is not above 0
     *     or a value is not finite
     */
    public InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate, boolean staircase) {
        super(initialLearningRate, decaySteps, decayRate, staircase);
    }

    @Override
    public String typeName() {
        return "InverseTimeDecay";
    }

    @Override
    double decayed(double initial, double rate, double p) {
        return initial / (1 + rate * p);
    }
}
