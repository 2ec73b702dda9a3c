package io.github.purecnn.optimizers;

import io.github.purecnn.kernels.OptimizerUpdates;
import io.github.purecnn.optimizers.schedules.LearningRateSchedule;

import java.util.List;
import java.util.Map;

/**
 * Adam, as Keras 3's {@code keras.optimizers.Adam}: defaults learning rate 0.001, beta_1 0.9,
 * beta_2 0.999, epsilon 1e-7, no AMSGrad; the update
 * {@code m += (g - m) * (1 - b1)}, {@code v += (g^2 - v) * (1 - b2)},
 * {@code p -= m * alpha / (sqrt(v) + epsilon)} with {@code alpha = lr * sqrt(1 - b2^t) / (1 - b1^t)}
 * (see {@link OptimizerUpdates#adam}); with AMSGrad the running maximum of v replaces v.
 * Keras 2 wrote the moments as {@code m = b1 m + (1 - b1) g}, the same value rounded differently.
 */
public sealed class Adam extends AdamFamily<Adam> permits AdamW {
    private boolean amsgrad;

    private float alpha;

    /** Keras's defaults. */
    public Adam() {
        this(0.001);
    }

    /**
     * Keras's defaults with this learning rate.
     *
     * @param learningRate the step size (Keras's {@code learning_rate}, default 0.001), finite and at
     *     least 0; {@link #setLearningRate} may change it later
     * @throws IllegalArgumentException unless the rate is finite and at least 0
     */
    public Adam(double learningRate) {
        super(learningRate);
    }

    /**
     * Keras's defaults with a learning rate that follows a schedule.
     *
     * @param learningRate the schedule asked before each step for the rate at the iteration count
     *     (0 for the first step); it may be shared with other optimizers
     * @throws NullPointerException when the schedule is null
     */
    public Adam(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /**
     * Keras's positional arguments: {@code Adam(learning_rate, beta_1, beta_2, epsilon)}.
     *
     * @param learningRate the step size (Keras's {@code learning_rate}, default 0.001), finite and at least 0
     * @param beta1        the decay rate of the first moment, in [0, 1) (default 0.9)
     * @param beta2        the decay rate of the second moment, in [0, 1) (default 0.999)
     * @param epsilon      the constant added to the denominator, positive and finite (default 1e-7)
     * @throws IllegalArgumentException naming the argument that is out of its range
     */
    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this(learningRate);
        beta1(beta1).beta2(beta2).epsilon(epsilon);
    }

    /**
     * AMSGrad: the running maximum of v in place of v.
     *
     * @param on true to divide by the running maximum of v (Reddi et al.), which adds the slot
     *     {@code vhat}; Keras's {@code amsgrad}, default false
     * @return this optimizer
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public Adam amsgrad(boolean on) {
        requireUnbuilt("amsgrad");
        amsgrad = on;
        return this;
    }

    @Override
    final Adam self() {
        return this;
    }

    @Override
    public String typeName() {
        return "Adam";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> c = super.arguments();
        if (amsgrad) {
            c.put("amsgrad", true);
        }
        return c;
    }

    @Override
    protected List<String> slotNames() {
        return amsgrad ? List.of("m", "v", "vhat") : List.of("m", "v");
    }

    @Override
    protected void prepareStep(long t, float lr) {
        float b1Power = powf((float) beta1(), t);
        float b2Power = powf((float) beta2(), t);
        alpha = lr * (float) Math.sqrt(1f - b2Power) / (1f - b1Power);
    }

    @Override
    protected void apply(int index, float[] value, float[] grad, int from, int to) {
        OptimizerUpdates.adam(value, slot(0, index), slot(1, index), amsgrad ? slot(2, index) : null, grad, from, to,
                alpha, (float) (1 - beta1()), (float) (1 - beta2()), (float) epsilon());
    }
}
