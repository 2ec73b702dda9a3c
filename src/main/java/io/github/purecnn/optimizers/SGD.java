package io.github.purecnn.optimizers;

import io.github.purecnn.kernels.OptimizerUpdates;
import io.github.purecnn.optimizers.schedules.LearningRateSchedule;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent as Keras does it: plain {@code p -= g * lr}; with momentum,
 * {@code velocity = velocity * momentum - g * lr} then {@code p += velocity}, or with Nesterov
 * {@code p += velocity * momentum - g * lr}. Keras's defaults: learning rate 0.01, no momentum.
 * The velocity slot exists also without momentum (Keras 3 then has none), so that model files
 * of every version keep their layout.
 */
public final class SGD extends Optimizer {
    private double momentum;
    private boolean nesterov;

    /** Keras's defaults. */
    public SGD() {
        this(0.01);
    }

    /**
     * Keras's defaults with this learning rate.
     *
     * @param learningRate the step size (Keras's {@code learning_rate}, default 0.01), finite and at
     *     least 0; {@link #setLearningRate} may change it later
     * @throws IllegalArgumentException unless the rate is finite and at least 0
     */
    public SGD(double learningRate) {
        super(learningRate);
    }

    /**
     * Keras's defaults with a learning rate that follows a schedule.
     *
     * @param learningRate the schedule asked before each step for the rate at the iteration count
     *     (0 for the first step); it may be shared with other optimizers
     * @throws NullPointerException when the schedule is null
     */
    public SGD(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /**
     * Keras's positional arguments: {@code SGD(learning_rate, momentum, nesterov)}.
     *
     * @param learningRate the step size (Keras's {@code learning_rate}, default 0.01), finite and at least 0
     * @param momentum     the fraction of the velocity each step keeps, in [0, 1) (default 0)
     * @param nesterov     true for Nesterov momentum (default false)
     * @throws IllegalArgumentException naming the argument that is out of its range
     */
    public SGD(double learningRate, double momentum, boolean nesterov) {
        this(learningRate);
        momentum(momentum).nesterov(nesterov);
    }

    /**
     * The momentum, in [0, 1).
     *
     * @param m Keras's {@code momentum}: the fraction of the velocity each step keeps, in [0, 1) (default 0,
     *     plain gradient descent)
     * @return this optimizer
     * @throws IllegalArgumentException unless the value is in [0, 1)
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public SGD momentum(double m) {
        requireUnbuilt("momentum");
        momentum = requireFraction("momentum", m);
        return this;
    }

    /**
     * Nesterov momentum: the step looks ahead along the velocity.
     *
     * @param on Keras's {@code nesterov}: true for {@code p += velocity * momentum - g * lr} in place of
     *     {@code p += velocity} (default false; no effect without momentum)
     * @return this optimizer
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public SGD nesterov(boolean on) {
        requireUnbuilt("nesterov");
        nesterov = on;
        return this;
    }

    @Override
    public String typeName() {
        return "SGD";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("momentum", momentum);
        c.put("nesterov", nesterov);
        return c;
    }

    @Override
    protected List<String> slotNames() {
        return List.of("momentum");
    }

    @Override
    protected void apply(int index, float[] value, float[] grad, int from, int to) {
        float lr = stepLearningRate();
        if (momentum == 0) {
            OptimizerUpdates.sgd(value, grad, from, to, lr);
        } else {
            OptimizerUpdates.sgdMomentum(value, slot(0, index), grad, from, to, lr, (float) momentum, nesterov);
        }
    }
}
