package io.github.purecnn.optimizers;

import io.github.purecnn.optimizers.schedules.LearningRateSchedule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What Adam and its variants (AdamW, Nadam, Adamax) share: running estimates of the gradient's
 * first and second moments (or its infinity norm), with Keras's hyper-parameters {@code beta_1}
 * (default 0.9), {@code beta_2} (0.999) and {@code epsilon} (1e-7), whose setters return the
 * concrete optimizer so that they chain: {@code new Nadam(0.002).beta1(0.95).epsilon(1e-6)}.
 *
 * @param <T> the concrete optimizer
 */
public abstract class AdamFamily<T extends AdamFamily<T>> extends Optimizer {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-7;

    AdamFamily(double learningRate) {
        super(learningRate);
    }

    AdamFamily(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /** This optimizer as its concrete type, for the setters. */
    abstract T self();

    /**
     * The decay rate of the first moment, in [0, 1).
     *
     * @param b Keras's {@code beta_1}: how much of the running mean gradient each step keeps, in [0, 1)
     *     (default 0.9)
     * @return this optimizer, as its concrete type
     * @throws IllegalArgumentException unless the value is in [0, 1)
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public T beta1(double b) {
        requireUnbuilt("beta_1");
        beta1 = requireFraction("beta1", b);
        return self();
    }

    /**
     * The decay rate of the second moment (Adamax: of the infinity norm), in [0, 1).
     *
     * @param b Keras's {@code beta_2}: how much of the running mean squared gradient (Adamax: of the
     *     infinity norm) each step keeps, in [0, 1) (default 0.999)
     * @return this optimizer, as its concrete type
     * @throws IllegalArgumentException unless the value is in [0, 1)
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public T beta2(double b) {
        requireUnbuilt("beta_2");
        beta2 = requireFraction("beta2", b);
        return self();
    }

    /**
     * The small constant added to the step's denominator, positive.
     *
     * @param e Keras's {@code epsilon}, which keeps the division stable where the second moment is near 0,
     *     positive and finite (default 1e-7)
     * @return this optimizer, as its concrete type
     * @throws IllegalArgumentException unless the value is positive and finite
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public T epsilon(double e) {
        requireUnbuilt("epsilon");
        epsilon = requirePositive("epsilon", e);
        return self();
    }

    final double beta1() {
        return beta1;
    }

    final double beta2() {
        return beta2;
    }

    final double epsilon() {
        return epsilon;
    }

    /** {@code beta_1}, {@code beta_2} and {@code epsilon}, as Keras's configs put them. */
    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("beta_1", beta1);
        c.put("beta_2", beta2);
        c.put("epsilon", epsilon);
        return c;
    }
}
