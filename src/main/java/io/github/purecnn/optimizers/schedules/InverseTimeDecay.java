package io.github.purecnn.optimizers.schedules;

/**
 * Keras's {@code InverseTimeDecay}: {@code initial_learning_rate / (1 + decay_rate * step / decay_steps)},
 * with {@code step / decay_steps} rounded down when {@code staircase}.
 */
public final class InverseTimeDecay extends TimeDecay {

    /**
     * A smooth decay, as Keras's default {@code staircase=False}.
     *
     * @param initialLearningRate the rate at step 0 (Keras's {@code initial_learning_rate}), any finite value
     * @param decaySteps          the number of optimizer steps that make one unit of {@code p} in
     *     {@code initial_learning_rate / (1 + decay_rate * p)} ({@code decay_steps}), above 0
     * @param decayRate           how fast the rate falls ({@code decay_rate}): after {@code decay_steps} steps
     *     the rate is {@code initial_learning_rate / (1 + decay_rate)}; any finite value
     * @throws IllegalArgumentException naming the argument when {@code decay_steps} is not above 0
     *     or a value is not finite
     */
    public InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    /**
     * A smooth or a stepped decay.
     *
     * @param initialLearningRate the rate at step 0 (Keras's {@code initial_learning_rate}), any finite value
     * @param decaySteps          the number of optimizer steps that make one unit of {@code p} in
     *     {@code initial_learning_rate / (1 + decay_rate * p)} ({@code decay_steps}), above 0
     * @param decayRate           how fast the rate falls ({@code decay_rate}): after {@code decay_steps} steps
     *     the rate is {@code initial_learning_rate / (1 + decay_rate)}; any finite value
     * @param staircase           true to round {@code p = step / decay_steps} down to an integer, so that
     *     the rate changes only every {@code decay_steps} steps (Keras's default is false)
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
