package io.github.purecnn.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code evaluate} returns, as Keras's {@code evaluate(..., return_dict=True)}: the mean
 * loss over the samples (weight penalties included) and each compiled metric by its Keras name.
 *
 * @param loss    the mean loss
 * @param metrics the metrics by name, in compile order (copied, unmodifiable)
 */
public record Evaluation(double loss, Map<String, Double> metrics) {

    /**
     * Keeps an unmodifiable copy of the metrics.
     *
     * @param loss    the mean loss
     * @param metrics the metrics by name, in compile order
     */
    public Evaluation {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /**
     * A metric by its Keras name.
     *
     * @param name the metric's Keras name, such as {@code "accuracy"} or {@code "mae"}
     * @return its weighted mean over the samples
     * @throws IllegalArgumentException for a metric the model was not compiled with
     */
    public double get(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no metric '" + name + "', the model measures " + metrics.keySet());
        }
        return v;
    }

    /**
     * The accuracy: the {@code accuracy} metric, or the first other accuracy the model was compiled
     * with ({@code binary_accuracy}, {@code categorical_accuracy}, ...); NaN without one.
     *
     * @return the fraction of samples predicted right, in [0, 1], or NaN
     */
    public double accuracy() {
        Double a = metrics.get("accuracy");
        if (a != null) {
            return a;
        }
        for (Map.Entry<String, Double> e : metrics.entrySet()) {
            if (e.getKey().endsWith("accuracy")) {
                return e.getValue();
            }
        }
        return Double.NaN;
    }
}
