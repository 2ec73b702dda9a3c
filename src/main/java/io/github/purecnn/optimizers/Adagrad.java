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

    /** Keras's defaults with this learning rate. */
    public Adagrad(double learningRate) {
        super(learningRate);
    }

    /** Keras's defaults with a learning rate that follows a schedule. */
    public Adagrad(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /** What the accumulator starts at, 0 or more. */
    public Adagrad initialAccumulatorValue(double value) {
        requireUnbuilt("initial_accumulator_value");
        initialAccumulatorValue = requireAtLeastZero("initial_accumulator_value", value);
        return this;
    }

    /** Added under the square root, positive. */
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
