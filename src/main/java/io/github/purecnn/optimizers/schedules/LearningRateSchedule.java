package io.github.purecnn.optimizers.schedules;

import io.github.purecnn.io.internal.ConfigReader;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A learning rate that changes with the optimizer's step count, as Keras's
 * {@code keras.optimizers.schedules.LearningRateSchedule}: given to an optimizer instead of a
 * number, it is asked before every step for the rate at the optimizer's iteration count, which is
 * 0 for the first step (Keras reads {@code optimizer.iterations} before incrementing it).
 * <pre>{@code new SGD(new ExponentialDecay(0.1, 1000, 0.96))}</pre>
 *
 * <p>Schedules are computed in double precision from their Keras formulas (Keras computes them in
 * float32; the optimizer rounds the result to float32 before using it) and are immutable, so one
 * schedule may serve several optimizers.
 */
public abstract class LearningRateSchedule {
    /** The Keras class names {@link #fromConfig} knows. */
    public static final Set<String> TYPES = Set.of("ExponentialDecay", "PiecewiseConstantDecay", "CosineDecay",
            "InverseTimeDecay");

    /** The schedules are the classes of this package. */
    LearningRateSchedule() {
    }

    /**
     * The Keras class name, such as {@code "ExponentialDecay"}.
     *
     * @return one of {@link #TYPES}, the {@code class_name} of {@link #serialize()}
     */
    public abstract String typeName();

    /**
     * The arguments under their Keras names, as Keras's {@code get_config()} (without its {@code name}).
     *
     * @return a new mutable map, in Keras's key order, of numbers, booleans, lists of numbers and
     *     {@code null} (for Keras's {@code None}); {@link #fromConfig} turns it back into a schedule
     *     that gives the same rates
     */
    public abstract Map<String, Object> config();

    /**
     * The learning rate at an optimizer step.
     *
     * @param step the optimizer's iteration count: 0 for the first step
     * @return the learning rate for that step, in double precision (the optimizer rounds it to float)
     * @throws IllegalArgumentException for a negative step, naming it
     */
    public final double at(long step) {
        if (step < 0) {
            throw new IllegalArgumentException(typeName() + ": the step (the optimizer's iteration count) must be"
                    + " at least 0, found " + step);
        }
        return compute(step);
    }

    /**
     * The rate at a step of 0 or more: the schedule's formula, which {@link #at} calls after checking
     * the step.
     *
     * @param step the optimizer's iteration count, 0 or more
     * @return the learning rate for that step
     */
    protected abstract double compute(long step);

    /**
     * Keras's serialized form: {@code {"class_name": ..., "config": {...}}}.
     *
     * @return a new map of {@link #typeName()} under {@code class_name} and {@link #config()} under
     *     {@code config}, which {@link #deserialize} reads back
     */
    public final Map<String, Object> serialize() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", typeName());
        m.put("config", config());
        return m;
    }

    /**
     * The schedule a {@link #serialize} map (or Keras's, which adds {@code module} and
     * {@code registered_name}) describes.
     *
     * @param serialized a map with {@code class_name} (one of {@link #TYPES}) and a {@code config}
     *     object, and optionally Keras's {@code module} and {@code registered_name}, which are ignored
     * @return a new schedule that gives the same rates as the one serialized
     * @throws IllegalArgumentException naming the class or key that is unknown or wrong
     */
    public static LearningRateSchedule deserialize(Map<String, ?> serialized) {
        ConfigReader s = new ConfigReader("learning-rate schedule", serialized);
        s.allow("class_name", "config", "module", "registered_name");
        Object config = serialized.get("config");
        if (!(config instanceof Map<?, ?> map)) {
            throw s.wrong("config", "an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> typed = (Map<String, ?>) map;
        return fromConfig(s.string("class_name"), typed);
    }

    /**
     * A schedule from its Keras class name and config: the inverse of {@link #typeName()} and
     * {@link #config()}. Keys Keras gives defaults may be absent; {@code name} is accepted and
     * ignored.
     *
     * @param type   the Keras class name, one of {@link #TYPES}
     * @param config the arguments under their Keras names, as {@link #config()} gives them
     * @return a new schedule of that type with those arguments
     * @throws NullPointerException when {@code type} is null
     * @throws IllegalArgumentException naming the class and the key when the class is unknown, a
     *     required key is missing, a key is unknown, or a value is out of range
     */
    public static LearningRateSchedule fromConfig(String type, Map<String, ?> config) {
        Objects.requireNonNull(type, "type");
        ConfigReader c = new ConfigReader(type + " config", config);
        return switch (type) {
            case "ExponentialDecay" -> {
                c.allow("initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name");
                yield new ExponentialDecay(c.number("initial_learning_rate"), c.number("decay_steps"),
                        c.number("decay_rate"), c.bool("staircase", false));
            }
            case "InverseTimeDecay" -> {
                c.allow("initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name");
                yield new InverseTimeDecay(c.number("initial_learning_rate"), c.number("decay_steps"),
                        c.number("decay_rate"), c.bool("staircase", false));
            }
            case "PiecewiseConstantDecay" -> {
                c.allow("boundaries", "values", "name");
                yield new PiecewiseConstantDecay(c.integers("boundaries"), c.numbers("values"));
            }
            case "CosineDecay" -> {
                c.allow("initial_learning_rate", "decay_steps", "alpha", "warmup_target", "warmup_steps", "name");
                yield new CosineDecay(c.number("initial_learning_rate"), c.number("decay_steps"), c.number("alpha", 0),
                        c.number("warmup_target", Double.NaN), c.number("warmup_steps", 0));
            }
            default -> throw new IllegalArgumentException("unknown learning-rate schedule '" + type + "', expected one of "
                    + new TreeSet<>(TYPES));
        };
    }

    /** A finite number, or an error naming the schedule and the argument. */
    final double finite(String argument, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(typeName() + ": " + argument + " must be a finite number, found " + value);
        }
        return value;
    }

    /** A positive finite number (Keras: "must be > 0"), or an error naming the schedule and the argument. */
    final double positive(String argument, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(typeName() + ": " + argument + " must be > 0, found " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return typeName() + config();
    }
}
