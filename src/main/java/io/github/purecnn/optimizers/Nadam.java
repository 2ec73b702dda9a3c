package io.github.purecnn.optimizers;

import io.github.purecnn.kernels.OptimizerUpdates;
import io.github.purecnn.optimizers.schedules.LearningRateSchedule;

import java.util.List;
import java.util.Map;

/**
 * Nadam (Adam with Nesterov momentum, Dozat 2015), as Keras's {@code keras.optimizers.Nadam}:
 * defaults learning rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7. The momentum schedule
 * {@code u_t = beta_1 * (1 - 0.5 * 0.96^t)} and its running product {@code u_product} weight the
 * look-ahead: {@code m_hat = u_{t+1} m / (1 - u_product u_{t+1}) + (1 - u_t) g / (1 - u_product)},
 * {@code v_hat = v / (1 - beta_2^t)}, {@code p -= m_hat * lr / (sqrt(v_hat) + eps)} (see
 * {@link OptimizerUpdates#nadam}). Keras keeps {@code u_product} as a float32 variable multiplied
 * once per step, and so does this class ({@link #scalars()}: {@code u_product}, saved with the
 * model); Keras 2 kept the same product as {@code momentum_cache}.
 */
public final class Nadam extends AdamFamily<Nadam> {
    private static final float DECAY = 0.96f;


    /** The product of u_1 .. u_t after step t, float32 as Keras's variable. */
    private float uProduct;
    // the step's scalars
    private float uNext;
    private float oneMinusUProductNext;
    private float oneMinusU;
    private float oneMinusUProduct;
    private float oneMinusBeta2Power;

    /** Keras's defaults. */
    public Nadam() {
        this(0.001);
    }

    /**
     * Keras's defaults with this learning rate.
     *
     * @param learningRate the step size (Keras's {@code learning_rate}, default 0.001), finite and at
     *     least 0; {@link #setLearningRate} may change it later
     * @throws IllegalArgumentException unless the rate is finite and at least 0
     */
    public Nadam(double learningRate) {
        super(learningRate);
    }

    /**
     * Keras's defaults with a learning rate that follows a schedule.
     *
     * @param learningRate the schedule asked before each step for the rate at the iteration count
     *     (0 for the first step); it may be shared with other optimizers
     * @throws NullPointerException when the schedule is null
     */
    public Nadam(LearningRateSchedule learningRate) {
        super(learningRate);
    }

    @Override
    Nadam self() {
        return this;
    }

    @Override
    public String typeName() {
        return "Nadam";
    }

    @Override
    protected List<String> slotNames() {
        return List.of("m", "v");
    }

    /** Keras: {@code u_product = u_product * beta_1 * (1 - 0.5 * 0.96^t)}, in float32, left to right. */
    private float nextUProduct(float product, long t) {
        return product * (float) beta1() * (1f - 0.5f * powf(DECAY, t));
    }

    @Override
    protected void stateCreated() {
        uProduct = 1f;
    }

    @Override
    public Map<String, Float> scalars() {
        return Map.of("u_product", uProduct);
    }

    @Override
    public void setScalars(Map<String, Float> values) {
        super.setScalars(values);
        uProduct = values.get("u_product");
    }

    @Override
    protected void prepareStep(long t, float lr) {
        uProduct = nextUProduct(uProduct, t);
        float b1 = (float) beta1();
        float u = b1 * (1f - 0.5f * powf(DECAY, t));
        uNext = b1 * (1f - 0.5f * powf(DECAY, t + 1));
        oneMinusU = 1f - u;
        oneMinusUProduct = 1f - uProduct;
        oneMinusUProductNext = 1f - uProduct * uNext;
        oneMinusBeta2Power = 1f - powf((float) beta2(), t);
    }

    @Override
    protected void apply(int index, float[] value, float[] grad, int from, int to) {
        // Keras's update_step takes 1 - beta_1 of the float32 beta_1 here (Adam takes it of the Python float).
        OptimizerUpdates.nadam(value, slot(0, index), slot(1, index), grad, from, to, stepLearningRate(),
                1f - (float) beta1(), 1f - (float) beta2(), uNext, oneMinusUProductNext, oneMinusU, oneMinusUProduct,
                oneMinusBeta2Power, (float) epsilon());
    }
}
