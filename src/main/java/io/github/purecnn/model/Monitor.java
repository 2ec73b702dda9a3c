package io.github.purecnn.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A watched quantity of the epoch logs and its best value so far, shared by the callbacks that
 * act on improvement ({@link EarlyStopping}, {@link ModelCheckpoint}): which direction is better
 * and by how much a value must beat the best to count.
 */
final class Monitor {
    private final String owner;
    private final String quantity;
    private EarlyStopping.Mode mode = EarlyStopping.Mode.AUTO;
    private double minDelta;

    private boolean maximize;
    private double best;

    /**
     * @param owner    the callback's name, for messages
     * @param quantity {@code loss}, a metric's Keras name ({@code accuracy}, {@code mae}, ...),
     *     either with {@code val_} for its value on the validation data, or {@code learning_rate}
     * @throws IllegalArgumentException for any other name
     */
    Monitor(String owner, String quantity) {
        String measured = quantity.startsWith("val_") ? quantity.substring(4) : quantity;
        boolean known = measured.equals("loss") || quantity.equals("learning_rate");
        StringBuilder metrics = new StringBuilder();
        for (Metric m : Metric.values()) {
            known |= m.kerasName().equals(measured);
            metrics.append(metrics.length() == 0 ? "" : ", ").append(m.kerasName());
        }
        if (!known) {
            throw new IllegalArgumentException(owner + " cannot monitor '" + quantity + "', expected loss, val_loss,"
                    + " learning_rate, or a metric's name (" + metrics + "), with val_ for its validation value");
        }
        this.owner = owner;
        this.quantity = quantity;
    }

    String quantity() {
        return quantity;
    }

    void mode(EarlyStopping.Mode m) {
        mode = Objects.requireNonNull(m, "mode");
    }

    void minDelta(double delta) {
        if (!(delta >= 0)) {
            throw new IllegalArgumentException("minDelta must be at least 0, found " + delta);
        }
        minDelta = delta;
    }

    /** Forgets the best value, at the start of a fit. AUTO: accuracy should rise, anything else fall. */
    void reset() {
        maximize = mode == EarlyStopping.Mode.MAX
                || (mode == EarlyStopping.Mode.AUTO && quantity.toLowerCase(Locale.ROOT).contains("acc"));
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    double best() {
        return best;
    }

    /**
     * Fails at the start of a fit when the model cannot measure the quantity at all: a metric
     * is measured only if the model was compiled with it.
     *
     * @throws IllegalStateException naming the quantity and the cause
     */
    void requireMeasurable(Sequential model) {
        String base = quantity.startsWith("val_") ? quantity.substring(4) : quantity;
        if (base.equals("loss") || base.equals("learning_rate")) {
            return;
        }
        List<String> measured = new ArrayList<>();
        for (Metric m : model.metrics()) {
            if (m.kerasName().equals(base)) {
                return;
            }
            measured.add(m.kerasName());
        }
        throw new IllegalStateException(owner + " monitors '" + quantity + "', which model '" + model.name()
                + "' does not measure: it was compiled without " + metricHint(base) + ", its metrics are " + measured);
    }

    /** How to name the metric when compiling, e.g. "the metric 'accuracy' (compile(optimizer, loss, Metric.ACCURACY))". */
    private static String metricHint(String kerasName) {
        try {
            return "the metric '" + kerasName + "' (compile(optimizer, loss, Metric." + Metric.fromKerasName(kerasName).name() + "))";
        } catch (IllegalArgumentException e) {
            return "a metric '" + kerasName + "' (there is none of that name)";
        }
    }

    /**
     * Whether the epoch's value beats the best by more than {@code minDelta}; if so it becomes the
     * best. NaN never improves.
     *
     * @throws IllegalStateException when the epoch did not measure the quantity, naming those it did
     */
    boolean improves(int epoch, EpochLog log) {
        if (!log.has(quantity)) {
            String base = quantity.startsWith("val_") ? quantity.substring(4) : quantity;
            String cause = quantity.startsWith("val_") && !log.hasValidation() ? " (fit has no validation data)"
                    : !log.has(base) ? " (the model was compiled without " + metricHint(base) + ")" : "";
            throw new IllegalStateException(owner + " monitors '" + quantity + "', which epoch " + epoch
                    + " did not measure" + cause + ": it measured " + log.names());
        }
        double value = log.get(quantity);
        boolean improved = maximize ? value > best + minDelta : value < best - minDelta;
        if (improved) {
            best = value;
        }
        return improved;
    }
}
