package io.github.purecnn.optimizers.schedules;

/**
 * Keras's {@code ExponentialDecay}: {@code initial_learning_rate * decay_rate ^ (step / decay_steps)},
 * with the exponent rounded down to an integer when {@code staircase} (the rate then drops every
 * {@code decay_steps} steps).
 */
public final class ExponentialDecay extends TimeDecay {

    /** A smooth decay, as Keras's default {@code staircase=False}. */
    public ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    /**
     * @throws IllegalArgumentException naming the argument when {@code decay_steps} is not above 0
     *     or a value is not finite
     */
    public ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate, boolean staircase) {
        super(initialLearningRate, decaySteps, decayRate, staircase);
    }

    @Override
    public String typeName() {
        return "ExponentialDecay";
    }

    @Override
    double decayed(double initial, double rate, double p) {
        return initial * StrictMath.pow(rate, p);
    }
}
