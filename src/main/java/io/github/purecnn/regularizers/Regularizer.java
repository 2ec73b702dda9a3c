package io.github.purecnn.regularizers;

import io.github.purecnn.io.internal.ConfigReader;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A weight penalty, as Keras's {@code keras.regularizers} {@code L1}, {@code L2} and {@code L1L2}:
 * {@code l1 * sum(|w|) + l2 * sum(w^2)} over a weight's values, added to the loss once per
 * training step, and its gradient {@code l1 * sign(w) + 2 * l2 * w} added to the weight's
 * gradient. Keras's defaults: {@code L1(0.01)}, {@code L2(0.01)}, {@code L1L2(0, 0)}.
 * <pre>{@code new Dense(64).kernelRegularizer(Regularizer.l2(1e-4))}</pre>
 *
 * <p>Fixed orders, so that every run gives the same bits: the penalty is summed in double over
 * the values in index order, the L1 sum before the L2 sum; the gradient of each value is
 * {@code l1 * sign(w) + (2 * l2) * w}, in float32, added to the value's gradient after the
 * shards' gradients are summed and before the optimizer clips them. Immutable.
 */
public final class Regularizer {
    private final String type;
    private final double l1;
    private final double l2;

    private Regularizer(String type, double l1, double l2) {
        this.type = type;
        this.l1 = factor(type, "l1", l1);
        this.l2 = factor(type, "l2", l2);
    }

    private static double factor(String type, String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(type + ": " + name + " must be a finite number of at least 0, found " + value);
        }
        return value;
    }

    /** Keras's {@code L1(l1)}: {@code l1 * sum(|w|)}. */
    public static Regularizer l1(double l1) {
        return new Regularizer("L1", l1, 0);
    }

    /** Keras's {@code L2(l2)}: {@code l2 * sum(w^2)}. */
    public static Regularizer l2(double l2) {
        return new Regularizer("L2", 0, l2);
    }

    /** Keras's {@code L1L2(l1, l2)}: both penalties. */
    public static Regularizer l1l2(double l1, double l2) {
        return new Regularizer("L1L2", l1, l2);
    }

    /** The Keras class name: {@code "L1"}, {@code "L2"} or {@code "L1L2"}. */
    public String typeName() {
        return type;
    }

    /** The L1 factor (0 for L2). */
    public double l1() {
        return l1;
    }

    /** The L2 factor (0 for L1). */
    public double l2() {
        return l2;
    }

    /** The arguments under their Keras names: {@code {"l1": ...}}, {@code {"l2": ...}} or both. */
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (!type.equals("L2")) {
            c.put("l1", l1);
        }
        if (!type.equals("L1")) {
            c.put("l2", l2);
        }
        return c;
    }

    /** Keras's serialized form in a layer config: {@code {"class_name": "L2", "config": {"l2": 0.01}}}. */
    public Map<String, Object> serialize() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_name", type);
        m.put("config", config());
        return m;
    }

    /**
     * The regularizer a layer config gives: Keras's serialized form (with or without its
     * {@code module} and {@code registered_name}), or a name Keras accepts ({@code "l1"},
     * {@code "l2"}, {@code "l1_l2"}, taking Keras 3's defaults: 0.01, 0.01, and 0 and 0).
     *
     * @throws IllegalArgumentException naming the class or key that is unknown or wrong
     */
    public static Regularizer fromConfig(Object spec) {
        Objects.requireNonNull(spec, "regularizer");
        if (spec instanceof String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "l1" -> l1(0.01);
                case "l2" -> l2(0.01);
                case "l1_l2" -> l1l2(0, 0);
                default -> throw new IllegalArgumentException("unknown regularizer '" + name + "', expected l1, l2 or l1_l2");
            };
        }
        if (!(spec instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("expected a regularizer as an object or a name, found " + spec);
        }
        @SuppressWarnings("unchecked")
        Map<String, ?> serialized = (Map<String, ?>) map;
        ConfigReader s = new ConfigReader("regularizer", serialized);
        s.allow("class_name", "config", "module", "registered_name");
        Object inner = serialized.get("config");
        @SuppressWarnings("unchecked")
        Map<String, ?> config = inner == null ? Map.of() : inner instanceof Map<?, ?> m ? (Map<String, ?>) m : null;
        if (config == null) {
            throw s.wrong("config", "an object");
        }
        String type = s.string("class_name");
        ConfigReader c = new ConfigReader(type + " config", config);
        return switch (type) {
            case "L1" -> {
                c.allow("l1");
                yield l1(c.number("l1", 0.01));
            }
            case "L2" -> {
                c.allow("l2");
                yield l2(c.number("l2", 0.01));
            }
            case "L1L2" -> {
                c.allow("l1", "l2");
                yield l1l2(c.number("l1", 0), c.number("l2", 0));
            }
            default -> throw new IllegalArgumentException("unknown regularizer '" + type + "', expected L1, L2 or L1L2");
        };
    }

    /** w reads: the penalty, {@code l1 * sum(|w|) + l2 * sum(w^2)}, each sum in double in index order. */
    public double loss(float[] w) {
        double penalty = 0;
        if (l1 != 0) {
            double sum = 0;
            for (float v : w) {
                sum += Math.abs(v);
            }
            penalty += l1 * sum;
        }
        if (l2 != 0) {
            double sum = 0;
            for (float v : w) {
                sum += (double) v * v;
            }
            penalty += l2 * sum;
        }
        return penalty;
    }

    /** grad [from, to) adds, w reads: {@code grad += l1 * sign(w) + (2 * l2) * w}, in float32. */
    public void addGradient(float[] grad, float[] w, int from, int to) {
        float a = (float) l1;
        float b = (float) (2 * l2);
        for (int i = from; i < to; i++) {
            grad[i] += a * Math.signum(w[i]) + b * w[i];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Regularizer r && r.type.equals(type) && r.l1 == l1 && r.l2 == l2;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, l1, l2);
    }

    @Override
    public String toString() {
        return type + config();
    }
}
