package io.github.purecnn.optimizers.schedules;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code CosineDecay}, with its optional linear warm-up. Without a warm-up target the
 * rate decays from {@code initial_learning_rate} to {@code initial_learning_rate * alpha} over
 * {@code decay_steps}:
 * {@code lr0 * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, decay_steps) / decay_steps)) + alpha)}.
 * With a warm-up target, the rate first rises linearly from {@code initial_learning_rate} to
 * {@code warmup_target} over {@code warmup_steps}, then decays from the target as above over the
 * next {@code decay_steps}.
 * <pre>{@code new CosineDecay(0.0, 1000, 0.0, 0.1, 100)   // warm up to 0.1 in 100 steps, then decay}</pre>
 */
public final class CosineDecay extends LearningRateSchedule {
    private final double initialLearningRate;
    private final double decaySteps;
    private final double alpha;
    /** NaN: no warm-up (Keras's {@code warmup_target=None}). */
    private final double warmupTarget;
    private final double warmupSteps;

    /**
     * A decay without warm-up, down to {@code alpha * initialLearningRate}.
     *
     * @param initialLearningRate the rate at step 0 (Keras's {@code initial_learning_rate}), any finite value
     * @param decaySteps          the number of optimizer steps over which the rate decays ({@code decay_steps}),
     *     above 0; the rate stays at its floor after them
     * @param alpha               the floor as a fraction of the initial rate (Keras's default is 0.0)
     * @throws IllegalArgumentException naming the argument when {@code decay_steps} is not above 0 or a
     *     value is not finite
     */
    public CosineDecay(double initialLearningRate, double decaySteps, double alpha) {
        this(initialLearningRate, decaySteps, alpha, Double.NaN, 0);
    }

    /**
     * A decay after an optional linear warm-up from {@code initialLearningRate} to {@code warmupTarget}.
     *
     * @param initialLearningRate the rate at step 0 (Keras's {@code initial_learning_rate}), any finite value
     * @param decaySteps          the number of optimizer steps of the decay after the warm-up
     *     ({@code decay_steps}), above 0
     * @param alpha               the floor as a fraction of the rate the decay starts from: the warm-up
     *     target, or the initial rate without warm-up (Keras's default is 0.0)
     * @param warmupTarget the rate reached after the warm-up, or NaN for no warm-up (Keras's
     *     {@code warmup_target=None}, its default)
     * @param warmupSteps  steps of warm-up, 0 or more (Keras's default is 0); ignored without a warm-up target
     * @throws IllegalArgumentException naming the argument when {@code decay_steps} is not above 0,
     *     {@code warmup_steps} is negative or a value is not finite
     */
    public CosineDecay(double initialLearningRate, double decaySteps, double alpha, double warmupTarget,
                       double warmupSteps) {
        this.initialLearningRate = finite("initial_learning_rate", initialLearningRate);
        this.decaySteps = positive("decay_steps", decaySteps);
        this.alpha = finite("alpha", alpha);
        this.warmupTarget = Double.isNaN(warmupTarget) ? Double.NaN : finite("warmup_target", warmupTarget);
        if (!(warmupSteps >= 0) || Double.isInfinite(warmupSteps)) {
            throw new IllegalArgumentException(typeName() + ": warmup_steps must be at least 0, found " + warmupSteps);
        }
        this.warmupSteps = warmupSteps;
    }

    @Override
    public String typeName() {
        return "CosineDecay";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("initial_learning_rate", initialLearningRate);
        c.put("decay_steps", decaySteps);
        c.put("alpha", alpha);
        c.put("warmup_target", Double.isNaN(warmupTarget) ? null : warmupTarget);
        c.put("warmup_steps", warmupSteps);
        return c;
    }

    @Override
    protected double compute(long step) {
        if (Double.isNaN(warmupTarget)) {
            return decayed(Math.min(step, decaySteps), initialLearningRate);
        }
        double s = Math.min(step, decaySteps + warmupSteps);
        if (s < warmupSteps) {
            return (warmupTarget - initialLearningRate) * (s / warmupSteps) + initialLearningRate;
        }
        return decayed(s - warmupSteps, warmupTarget);
    }

    private double decayed(double step, double from) {
        double cosine = 0.5 * (1 + StrictMath.cos(Math.PI * (step / decaySteps)));
        return from * ((1 - alpha) * cosine + alpha);
    }
}
