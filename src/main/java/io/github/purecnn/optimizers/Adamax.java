package io.github.purecnn.optimizers;

import io.github.purecnn.kernels.OptimizerUpdates;
import io.github.purecnn.optimizers.schedules.LearningRateSchedule;

import java.util.List;

/**
 * Adamax (Adam with the infinity norm, Kingma and Ba section 7.1), as Keras's
 * {@code keras.optimizers.Adamax}: defaults learning rate 0.001, beta_1 0.9, beta_2 0.999,
 * epsilon 1e-7. {@code m += (g - m) * (1 - beta_1)}, {@code u = max(beta_2 * u, |g|)},
 * {@code p -= lr * m / ((1 - beta_1^t) * (u + eps))}. Slots: {@code m} and {@code v} (the norm
 * u, named as Keras 2 named it).
 */
public final class Adamax extends AdamFamily<Adamax> {

    private float oneMinusBeta1Power;

    /** Keras's defaults. */
    public Adamax() {
        this(0.001);
    }

    /**
     * Keras's defaults with this learning rate.
     *
     * @param learningRate the step size (Keras's {@code learning_rate}, default 0.001), finite and at
     *     least 0; {@link #setLearningRate} may change it later
     * @throws IllegalArgumentException unless the rate is finite and at least 0
     */
    public Adamax(double learningRate) {
        super(learningRate);
    }

    /**
     * Keras's defaults with a learning rate that follows a schedule.
     *
     * @param learningRate the schedule asked before each step for the rate at the iteration count
     *     (0 for the first step); it may be shared with other optimizers
     * @throws NullPointerException when the schedule is null
     */
    public Adamax(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    @Override
    Adamax self() {
        return this;
    }

    @Override
    public String typeName() {
        return "Adamax";
    }

    @Override
    protected List<String> slotNames() {
        return List.of("m", "v");
    }

    @Override
    protected void prepareStep(long t, float lr) {
        oneMinusBeta1Power = 1f - powf((float) beta1(), t);
    }

    @Override
    protected void apply(int index, float[] value, float[] grad, int from, int to) {
        OptimizerUpdates.adamax(value, slot(0, index), slot(1, index), grad, from, to, stepLearningRate(),
                (float) (1 - beta1()), (float) beta2(), oneMinusBeta1Power, (float) epsilon());
    }
}
