package io.github.purecnn.model;

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
     * @param quantity {@code loss}, {@code accuracy}, {@code val_loss} or {@code val_accuracy}
     * @throws IllegalArgumentException for any other name
     */
    Monitor(String owner, String quantity) {
        if (!EpochLog.QUANTITIES.contains(quantity)) {
            throw new IllegalArgumentException(owner + " cannot monitor '" + quantity + "', expected one of "
                    + EpochLog.QUANTITIES);
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
     * Fails at the start of a fit when the model cannot measure the quantity at all: accuracy
     * needs the accuracy metric, which is chosen when compiling.
     *
     * @throws IllegalStateException naming the quantity and the cause
     */
    void requireMeasurable(Sequential model) {
        if (isAccuracy() && !model.metrics().contains(Metric.ACCURACY)) {
            throw new IllegalStateException(owner + " monitors '" + quantity + "', which model '" + model.name()
                    + "' does not measure: it was compiled without the accuracy metric (compile(optimizer, loss,"
                    + " Metric.ACCURACY))");
        }
    }

    private boolean isAccuracy() {
        return quantity.endsWith("accuracy");
    }

    /**
     * Whether the epoch's value beats the best by more than {@code minDelta}; if so it becomes the best.
     *
     * @throws IllegalStateException when the epoch did not measure the quantity, saying why
     */
    boolean improves(int epoch, EpochLog log) {
        double value = log.get(quantity);
        if (Double.isNaN(value)) {
            String cause = quantity.startsWith("val_") && !log.hasValidation() ? " (fit has no validation data)"
                    : isAccuracy() && Double.isNaN(log.accuracy()) ? " (the model was compiled without the accuracy"
                    + " metric: compile(optimizer, loss, Metric.ACCURACY))" : "";
            throw new IllegalStateException(owner + " monitors '" + quantity + "', which epoch " + epoch
                    + " did not measure" + cause);
        }
        boolean improved = maximize ? value > best + minDelta : value < best - minDelta;
        if (improved) {
            best = value;
        }
        return improved;
    }
}
