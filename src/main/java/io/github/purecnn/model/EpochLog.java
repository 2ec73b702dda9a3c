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

    /**
     * 1 for the first epoch of a fit.
     *
     * @return the epoch's number within its fit, from 1
     */
    public int epoch() {
        return epoch;
    }

    /**
     * Wall time of the epoch's training steps (validation excluded).
     *
     * @return the seconds
     */
    public double seconds() {
        return seconds;
    }

    /**
     * The quantities' names, in order: {@code loss}, the metrics, the validation ones, {@code learning_rate}.
     *
     * @return a new unmodifiable list of the names
     */
    public List<String> names() {
        return List.copyOf(values.keySet());
    }

    /**
     * The quantities by name, in order; unmodifiable.
     *
     * @return each quantity's Keras name mapped to its value, in the order of {@link #names()}
     */
    public Map<String, Double> values() {
        return values;
    }

    /**
     * Whether the epoch measured a quantity of this name.
     *
     * @param name a Keras name, such as {@code "val_accuracy"}
     * @return true if {@link #get(String)} has a value for it
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * The value of a quantity by its Keras name.
     *
     * @param name {@code "loss"}, a metric's name ({@code "accuracy"}, {@code "mae"}, ...), either
     *     with {@code val_}, or {@code "learning_rate"}
     * @return the epoch's value of it
     * @throws IllegalArgumentException for a name the epoch did not measure, listing those it did
     */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown quantity '" + name + "', expected one of " + values.keySet());
        }
        return v;
    }

    /**
     * The mean training loss over the epoch's samples, regularization included.
     *
     * @return the {@code loss} value; NaN when every batch of the epoch was skipped for a non-finite loss
     */
    public double loss() {
        return get("loss");
    }

    /**
     * The training accuracy, or NaN when the model was compiled without the accuracy metric.
     *
     * @return the {@code accuracy} value, a fraction in [0, 1], or NaN
     */
    public double accuracy() {
        return values.getOrDefault("accuracy", Double.NaN);
    }

    /**
     * The loss on the validation data after the epoch, or NaN without validation data.
     *
     * @return the {@code val_loss} value, or NaN
     */
    public double validationLoss() {
        return values.getOrDefault("val_loss", Double.NaN);
    }

    /**
     * The accuracy on the validation data, or NaN without validation data or accuracy metric.
     *
     * @return the {@code val_accuracy} value, a fraction in [0, 1], or NaN
     */
    public double validationAccuracy() {
        return values.getOrDefault("val_accuracy", Double.NaN);
    }

    /**
     * The optimizer's learning rate at the epoch's end.
     *
     * @return the {@code learning_rate} value (after any callback changed it in this epoch), or NaN
     *     for a log made without one
     */
    public double learningRate() {
        return values.getOrDefault("learning_rate", Double.NaN);
    }

    /**
     * Whether the fit had validation data: {@code val_loss} was measured.
     *
     * @return true with validation data or a validation split
     */
    public boolean hasValidation() {
        return values.containsKey("val_loss");
    }

    @Override
    public String toString() {
        return "EpochLog[epoch=" + epoch + ", " + values + ", seconds=" + seconds + "]";
    }
}
