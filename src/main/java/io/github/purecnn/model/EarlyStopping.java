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
    public enum Mode { AUTO, MIN, MAX }

    private final Monitor monitor;
    private int patience;
    private boolean restoreBestWeights;

    private Sequential model;
    private int bestEpoch;
    private int wait;
    private int stoppedEpoch;
    private List<float[]> bestWeights;

    /** Watches {@code monitor}: {@code loss}, {@code accuracy}, {@code val_loss} or {@code val_accuracy}. */
    public EarlyStopping(String monitor) {
        this.monitor = new Monitor("EarlyStopping", monitor);
    }

    public EarlyStopping minDelta(double delta) {
        monitor.minDelta(delta);
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
        monitor.mode(m);
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
