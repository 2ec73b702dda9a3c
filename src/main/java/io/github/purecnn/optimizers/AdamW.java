package io.github.purecnn.optimizers;

import io.github.purecnn.optimizers.schedules.LearningRateSchedule;

/**
 * AdamW, as Keras's {@code keras.optimizers.AdamW}: {@link Adam} with decoupled weight decay,
 * which is on by default (0.004) and cannot be off. Before each Adam update every value becomes
 * {@code p - p * weight_decay * lr} (Loshchilov and Hutter), instead of the decay entering the
 * gradient as an L2 penalty would.
 */
public final class AdamW extends Adam {
    /** Keras's default weight decay. */
    public static final double DEFAULT_WEIGHT_DECAY = 0.004;

    /** Keras's defaults: learning rate 0.001, weight decay 0.004. */
    public AdamW() {
        this(0.001);
    }

    /**
     * Keras's defaults with this learning rate.
     *
     * @param learningRate the step size (Keras's {@code learning_rate}, default 0.001), finite and at
     *     least 0; {@link #setLearningRate} may change it later
     * @throws IllegalArgumentException unless the rate is finite and at least 0
     */
    public AdamW(double learningRate) {
        super(learningRate);
        weightDecay(DEFAULT_WEIGHT_DECAY);
    }

    /**
     * Keras's defaults with a learning rate that follows a schedule.
     *
     * @param learningRate the schedule asked before each step for the rate at the iteration count
     *     (0 for the first step); it may be shared with other optimizers
     * @throws NullPointerException when the schedule is null
     */
    public AdamW(LearningRateSchedule learningRate) {
        super(learningRate);
        weightDecay(DEFAULT_WEIGHT_DECAY);
    }

    /**
     * {@code AdamW(learning_rate, weight_decay)}.
     *
     * @param learningRate the step size (Keras's {@code learning_rate}, default 0.001), finite and at least 0
     * @param weightDecay  the decay per unit of learning rate (Keras's {@code weight_decay}, default
     *     {@value #DEFAULT_WEIGHT_DECAY}), finite and at least 0; 0 makes it plain Adam
     * @throws IllegalArgumentException naming the argument that is out of its range
     */
    public AdamW(double learningRate, double weightDecay) {
        super(learningRate);
        weightDecay(weightDecay);
    }

    @Override
    public String typeName() {
        return "AdamW";
    }
}
