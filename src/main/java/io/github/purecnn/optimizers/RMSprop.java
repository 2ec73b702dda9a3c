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

    /** Keras's defaults with this learning rate. */
    public RMSprop(double learningRate) {
        super(learningRate);
    }

    /** Keras's defaults with a learning rate that follows a schedule. */
    public RMSprop(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    /** The decay rate of the running means, in [0, 1). */
    public RMSprop rho(double r) {
        requireUnbuilt("rho");
        rho = requireFraction("rho", r);
        return this;
    }

    /** The momentum, in [0, 1); 0 for none. */
    public RMSprop momentum(double m) {
        requireUnbuilt("momentum");
        momentum = requireFraction("momentum", m);
        return this;
    }

    /** Added under the square root, positive. */
    public RMSprop epsilon(double e) {
        requireUnbuilt("epsilon");
        epsilon = requirePositive("epsilon", e);
        return this;
    }

    /** Whether to divide by the gradient's estimated variance rather than its second moment. */
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
