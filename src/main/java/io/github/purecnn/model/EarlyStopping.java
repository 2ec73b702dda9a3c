package io.github.purecnn.model;

import io.github.purecnn.layers.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * Stops training when a monitored quantity stops improving, as Keras's {@code EarlyStopping}:
 * after {@code patience} epochs without an improvement of more than {@code minDelta}. Can put
 * back the weights of the best epoch when it stops (or when training ends).
 * <pre>{@code new EarlyStopping("val_loss").patience(2).restoreBestWeights(true)}</pre>
 */
public final class EarlyStopping implements Callback {
    /** Whether larger values are better; AUTO decides from the name (accuracy up, loss down). */
    public enum Mode {
        /** Larger is better for accuracies, smaller for losses. */
        AUTO,
        /** Smaller is better. */
        MIN,
        /** Larger is better. */
        MAX
    }

    private final Monitor monitor;
    private int patience;
    private boolean restoreBestWeights;

    private Sequential model;
    private int bestEpoch;
    private int wait;
    private int stoppedEpoch;
    private List<float[]> bestWeights;

    /**
     * Watches {@code monitor}: {@code loss}, {@code accuracy}, {@code val_loss} or {@code val_accuracy},
     * or any other quantity of the epoch logs.
     *
     * @param monitor the quantity to watch, Keras's {@code monitor}: {@code loss}, a metric's Keras
     *     name ({@code accuracy}, {@code mae}, ...), either with {@code val_} for its value on the
     *     validation data, or {@code learning_rate}
     * @throws IllegalArgumentException for any other name, listing the names it takes
     */
    public EarlyStopping(String monitor) {
        this.monitor = new Monitor("EarlyStopping", monitor);
    }

    /**
     * How much a value must beat the best by to count as an improvement; Keras's {@code min_delta}, 0 by default.
     *
     * @param delta the margin, at least 0
     * @return this callback
     * @throws IllegalArgumentException if {@code delta} is negative or NaN
     */
    public EarlyStopping minDelta(double delta) {
        monitor.minDelta(delta);
        return this;
    }

    /**
     * How many epochs without improvement to wait before stopping; 0 by default.
     *
     * @param epochs the patience, at least 0: with 0, the first epoch that does not improve stops training
     * @return this callback
     * @throws IllegalArgumentException if {@code epochs} is negative
     */
    public EarlyStopping patience(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("patience must be at least 0, found " + epochs);
        }
        patience = epochs;
        return this;
    }

    /**
     * Whether larger or smaller values are better; {@link Mode#AUTO} by default.
     *
     * @param m the direction
     * @return this callback
     */
    public EarlyStopping mode(Mode m) {
        monitor.mode(m);
        return this;
    }

    /**
     * Whether to put back the weights of the best epoch when training stops or ends; off by default.
     *
     * @param on true to restore them
     * @return this callback
     */
    public EarlyStopping restoreBestWeights(boolean on) {
        restoreBestWeights = on;
        return this;
    }

    /**
     * The epoch after which training was stopped, or 0 if it ran to the end.
     *
     * @return the epoch, from 1, or 0
     */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /**
     * The epoch with the best monitored value so far.
     *
     * @return the epoch, from 1, or 0 before the first
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * Forgets the previous fit's best value and weights.
     *
     * @throws IllegalStateException when the monitored quantity is an accuracy and the model was
     *     compiled without the accuracy metric
     */
    @Override
    public void onTrainBegin(Sequential m) {
        monitor.requireMeasurable(m);
        model = m;
        monitor.reset();
        bestEpoch = 0;
        wait = 0;
        stoppedEpoch = 0;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, EpochLog log) {
        if (monitor.improves(epoch, log)) {
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) {
                bestWeights = copyWeights();
            }
            return;
        }
        wait++;
        if (wait >= patience) {
            stoppedEpoch = epoch;
            model.stopTraining();
            restore();
        }
    }

    @Override
    public void onTrainEnd(Sequential m, History history) {
        if (stoppedEpoch == 0) {
            restore();
        }
    }

    private void restore() {
        if (restoreBestWeights && bestWeights != null) {
            List<Parameter> ps = model.weights();
            for (int i = 0; i < ps.size(); i++) {
                ps.get(i).set(bestWeights.get(i));
            }
        }
    }

    private List<float[]> copyWeights() {
        List<float[]> copy = new ArrayList<>();
        for (Parameter p : model.weights()) {
            copy.add(p.value().clone());
        }
        return copy;
    }
}
