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

    /** Keras's defaults with this learning rate. */
    public AdamW(double learningRate) {
        super(learningRate);
        weightDecay(DEFAULT_WEIGHT_DECAY);
    }

    /** Keras's defaults with a learning rate that follows a schedule. */
    public AdamW(LearningRateSchedule learningRate) {
        super(learningRate);
        weightDecay(DEFAULT_WEIGHT_DECAY);
    }

    /** {@code AdamW(learning_rate, weight_decay)}. */
    public AdamW(double learningRate, double weightDecay) {
        super(learningRate);
        weightDecay(weightDecay);
    }

    @Override
    public String typeName() {
        return "AdamW";
    }
}
