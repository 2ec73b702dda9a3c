package io.github.purecnn.optimizers;

import io.github.purecnn.kernels.OptimizerUpdates;
import io.github.purecnn.optimizers.schedules.LearningRateSchedule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RMSprop, as Keras 3's {@code keras.optimizers.RMSprop}: defaults learning rate 0.001, rho 0.9,
 * momentum 0, epsilon 1e-7, not centered. The running mean of squared gradients
 * {@code rms = rho * rms + (1 - rho) * g^2} divides the step: {@code inc = lr * g / sqrt(rms + eps)};
 * centered, the running mean gradient {@code mg} is also kept and {@code rms - mg^2} is used,
 * the gradient's variance; with momentum {@code mom = momentum * mom + inc} is subtracted instead
 * of {@code inc} (see {@link OptimizerUpdates#rmsprop}). Keras 2 put epsilon outside the square
 * root when there was no momentum ({@code lr * g / (sqrt(rms) + eps)}); Keras 3 puts it inside always.
 * Slots, in order: {@code rms}, {@code momentum} (with momentum), {@code mg} (centered).
 */
public final class RMSprop extends Optimizer {
    private double rho = 0.9;
    private double momentum;
    private double epsilon = 1e-7;
    private boolean centered;

    /** Keras's defaults. */
    public RMSprop() {
        this(0.001);
    }

    /**
     * Keras's defaults with this learning rate.
     *
     * @param learningRate the step size (Keras's {@code learning_rate}, default 0.001), finite and at
     *     least 0; {@link #setLearningRate} may change it later
     * @throws IllegalArgumentException unless the rate is finite and at least 0
     */
    public RMSprop(double learningRate) {
        super(learningRate);
    }

    /**
     * Keras's defaults with a learning rate that follows a schedule.
     *
     * @param learningRate the schedule asked before each step for the rate at the iteration count
     *     (0 for the first step); it may be shared with other optimizers
     * @throws NullPointerException when the schedule is null
     */
    public RMSprop(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /**
     * The decay rate of the running means, in [0, 1).
     *
     * @param r Keras's {@code rho}: how much of the running means each step keeps, in [0, 1) (default 0.9)
     * @return this optimizer
     * @throws IllegalArgumentException unless the value is in [0, 1)
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public RMSprop rho(double r) {
        requireUnbuilt("rho");
        rho = requireFraction("rho", r);
        return this;
    }

    /**
     * The momentum, in [0, 1); 0 for none.
     *
     * @param m Keras's {@code momentum}: the fraction of the previous increment added to this one, in
     *     [0, 1) (default 0); above 0 adds the slot {@code momentum}
     * @return this optimizer
     * @throws IllegalArgumentException unless the value is in [0, 1)
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public RMSprop momentum(double m) {
        requireUnbuilt("momentum");
        momentum = requireFraction("momentum", m);
        return this;
    }

    /**
     * Added under the square root, positive.
     *
     * @param e Keras's {@code epsilon}, added to the mean square under the square root, positive and
     *     finite (default 1e-7)
     * @return this optimizer
     * @throws IllegalArgumentException unless the value is positive and finite
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public RMSprop epsilon(double e) {
        requireUnbuilt("epsilon");
        epsilon = requirePositive("epsilon", e);
        return this;
    }

    /**
     * Whether to divide by the gradient's estimated variance rather than its second moment.
     *
     * @param on Keras's {@code centered}: true to keep the running mean gradient (the slot {@code mg}) and
     *     divide by {@code sqrt(rms - mg^2 + eps)} (default false)
     * @return this optimizer
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public RMSprop centered(boolean on) {
        requireUnbuilt("centered");
        centered = on;
        return this;
    }

    @Override
    public String typeName() {
        return "RMSprop";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("rho", rho);
        c.put("momentum", momentum);
        c.put("epsilon", epsilon);
        c.put("centered", centered);
        return c;
    }

    @Override
    protected List<String> slotNames() {
        List<String> names = new ArrayList<>(List.of("rms"));
        if (momentum > 0) {
            names.add("momentum");
        }
        if (centered) {
            names.add("mg");
        }
        return names;
    }

    @Override
    protected void apply(int index, float[] value, float[] grad, int from, int to) {
        int next = 1;
        float[] mom = momentum > 0 ? slot(next++, index) : null;
        float[] mg = centered ? slot(next, index) : null;
        OptimizerUpdates.rmsprop(value, slot(0, index), mom, mg, grad, from, to, stepLearningRate(), (float) rho,
                (float) (1 - rho), (float) momentum, (float) epsilon);
    }
}
