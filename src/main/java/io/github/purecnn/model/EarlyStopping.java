package io.github.purecnn.model;

import io.github.purecnn.layers.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Stops training when a monitored quantity stops improving, as Keras's {@code EarlyStopping}:
 * after {@code patience} epochs without an improvement of more than {@code minDelta}. Can put
 * back the weights of the best epoch when it stops (or when training ends).
 * <pre>{@code new EarlyStopping("val_loss").patience(2).restoreBestWeights(true)}</pre>
 */
public final class EarlyStopping implements Callback {
    /** Whether larger values are better; AUTO decides from the name (accuracy up, loss down). */
    public enum Mode { AUTO, MIN, MAX }

    private final String monitor;
    private double minDelta;
    private int patience;
    private Mode mode = Mode.AUTO;
    private boolean restoreBestWeights;

    private Sequential model;
    private boolean maximize;
    private double best;
    private int bestEpoch;
    private int wait;
    private int stoppedEpoch;
    private List<float[]> bestWeights;

    /** Watches {@code monitor}: {@code loss}, {@code accuracy}, {@code val_loss} or {@code val_accuracy}. */
    public EarlyStopping(String monitor) {
        new EpochLog(0, 0, 0, 0, 0, 0).get(monitor);
        this.monitor = monitor;
    }

    public EarlyStopping minDelta(double delta) {
        if (!(delta >= 0)) {
            throw new IllegalArgumentException("minDelta must be at least 0, found " + delta);
        }
        minDelta = delta;
        return this;
    }

    public EarlyStopping patience(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("patience must be at least 0, found " + epochs);
        }
        patience = epochs;
        return this;
    }

    public EarlyStopping mode(Mode m) {
        mode = java.util.Objects.requireNonNull(m, "mode");
        return this;
    }

    public EarlyStopping restoreBestWeights(boolean on) {
        restoreBestWeights = on;
        return this;
    }

    /** The epoch after which training was stopped, or 0 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch with the best monitored value so far. */
    public int bestEpoch() {
        return bestEpoch;
    }

    @Override
    public void onTrainBegin(Sequential m) {
        model = m;
        maximize = mode == Mode.MAX || (mode == Mode.AUTO && monitor.toLowerCase(Locale.ROOT).contains("acc"));
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        bestEpoch = 0;
        wait = 0;
        stoppedEpoch = 0;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(int epoch, EpochLog log) {
        double value = log.get(monitor);
        if (Double.isNaN(value)) {
            throw new IllegalStateException("EarlyStopping monitors '" + monitor + "', which epoch " + epoch
                    + " did not measure" + (monitor.startsWith("val_") ? " (fit has no validation data)" : ""));
        }
        boolean improved = maximize ? value > best + minDelta : value < best - minDelta;
        if (improved) {
            best = value;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) {
                bestWeights = copyWeights();
            }
            return;
        }
        wait++;
        if (wait > patience) {
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
            List<Parameter> ps = model.parameters();
            for (int i = 0; i < ps.size(); i++) {
                ps.get(i).set(bestWeights.get(i));
            }
        }
    }

    private List<float[]> copyWeights() {
        List<float[]> copy = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            copy.add(p.value().clone());
        }
        return copy;
    }
}
