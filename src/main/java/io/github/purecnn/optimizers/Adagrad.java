package io.github.purecnn.optimizers;

import io.github.purecnn.kernels.OptimizerUpdates;
import io.github.purecnn.optimizers.schedules.LearningRateSchedule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adagrad, as Keras 3's {@code keras.optimizers.Adagrad}: defaults learning rate 0.001, initial
 * accumulator value 0.1, epsilon 1e-7. The squared gradients are summed,
 * {@code acc += g^2}, and divide the step: {@code p -= lr * g / sqrt(acc + eps)}. Keras 2 put
 * epsilon outside the square root ({@code sqrt(acc) + eps}).
 */
public final class Adagrad extends Optimizer {
    private double initialAccumulatorValue = 0.1;
    private double epsilon = 1e-7;

    /** Keras's defaults. */
    public Adagrad() {
        this(0.001);
    }

    /**
     * Keras's defaults with this learning rate.
     *
     * @param learningRate the step size (Keras's {@code learning_rate}, default 0.001), finite and at
     *     least 0; {@link #setLearningRate} may change it later
     * @throws IllegalArgumentException unless the rate is finite and at least 0
     */
    public Adagrad(double learningRate) {
        super(learningRate);
    }

    /**
     * Keras's defaults with a learning rate that follows a schedule.
     *
     * @param learningRate the schedule asked before each step for the rate at the iteration count
     *     (0 for the first step); it may be shared with other optimizers
     * @throws NullPointerException when the schedule is null
     */
    public Adagrad(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /**
     * What the accumulator starts at, 0 or more.
     *
     * @param value Keras's {@code initial_accumulator_value}: every element's sum of squared gradients before
     *     the first step, finite and at least 0 (default 0.1)
     * @return this optimizer
     * @throws IllegalArgumentException unless the value is finite and at least 0
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public Adagrad initialAccumulatorValue(double value) {
        requireUnbuilt("initial_accumulator_value");
        initialAccumulatorValue = requireAtLeastZero("initial_accumulator_value", value);
        return this;
    }

    /**
     * Added under the square root, positive.
     *
     * @param e Keras's {@code epsilon}, added to the accumulator under the square root, positive and finite
     *     (default 1e-7)
     * @return this optimizer
     * @throws IllegalArgumentException unless the value is positive and finite
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public Adagrad epsilon(double e) {
        requireUnbuilt("epsilon");
        epsilon = requirePositive("epsilon", e);
        return this;
    }

    @Override
    public String typeName() {
        return "Adagrad";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_accumulator_value", initialAccumulatorValue);
        c.put("epsilon", epsilon);
        return c;
    }

    @Override
    protected List<String> slotNames() {
        return List.of("accumulator");
    }

    @Override
    protected float slotInitialValue(int slot) {
        return (float) initialAccumulatorValue;
    }

    @Override
    protected void apply(int index, float[] value, float[] grad, int from, int to) {
        OptimizerUpdates.adagrad(value, slot(0, index), grad, from, to, stepLearningRate(), (float) epsilon);
    }
}
