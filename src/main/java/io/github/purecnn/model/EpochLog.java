package io.github.purecnn.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one epoch of training measured, by Keras's names: {@code loss}, each compiled metric
 * ({@code accuracy}, {@code mae}, ...), with validation data {@code val_loss} and {@code val_}
 * of each metric, and {@code learning_rate}, the optimizer's learning rate at the epoch's end
 * (which Keras logs only when a learning-rate callback runs; here always). Means are over the
 * epoch's samples, weighted by their sample weights as Keras weighs them.
 */
public final class EpochLog {
    private final int epoch;
    private final Map<String, Double> values;
    private final double seconds;

    /**
     * @param epoch   1 for the first epoch of a fit
     * @param values  the measured quantities by name, in the order to show them (copied)
     * @param seconds wall time of the epoch's training steps (validation excluded)
     */
    public EpochLog(int epoch, Map<String, Double> values, double seconds) {
        this.epoch = epoch;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
        this.seconds = seconds;
    }

    /** 1 for the first epoch of a fit. */
    public int epoch() {
        return epoch;
    }

    /** Wall time of the epoch's training steps (validation excluded). */
    public double seconds() {
        return seconds;
    }

    /** The quantities' names, in order: {@code loss}, the metrics, the validation ones, {@code learning_rate}. */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /** The quantities by name, in order; unmodifiable. */
    public Map<String, Double> values() {
        return values;
    }

    /** Whether the epoch measured a quantity of this name. */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * The value of a quantity by its Keras name.
     *
     * @throws IllegalArgumentException for a name the epoch did not measure, listing those it did
     */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown quantity '" + name + "', expected one of " + values.keySet());
        }
        return v;
    }

    /** The mean training loss over the epoch's samples, regularization included. */
    public double loss() {
        return get("loss");
    }

    /** The training accuracy, or NaN when the model was compiled without the accuracy metric. */
    public double accuracy() {
        return values.getOrDefault("accuracy", Double.NaN);
    }

    /** The loss on the validation data after the epoch, or NaN without validation data. */
    public double validationLoss() {
        return values.getOrDefault("val_loss", Double.NaN);
    }

    /** The accuracy on the validation data, or NaN without validation data or accuracy metric. */
    public double validationAccuracy() {
        return values.getOrDefault("val_accuracy", Double.NaN);
    }

    /** The optimizer's learning rate at the epoch's end. */
    public double learningRate() {
        return values.getOrDefault("learning_rate", Double.NaN);
    }

    /** Whether the fit had validation data: {@code val_loss} was measured. */
    public boolean hasValidation() {
        return values.containsKey("val_loss");
    }

    @Override
    public String toString() {
        return "EpochLog[epoch=" + epoch + ", " + values + ", seconds=" + seconds + "]";
    }
}
