package io.github.purecnn.model;

import io.github.purecnn.Internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** What {@code fit} returns: one {@link EpochLog} per epoch trained, as Keras's {@code History}. */
public final class History {
    private final List<EpochLog> epochs = new ArrayList<>();

    /** An empty history: {@code fit} makes one, and so do the project's trainers outside this package (on Spark). */
    @Internal
    public History() {
    }

    /**
     * Records an epoch: {@code fit} does after each, and so do the project's trainers outside this package (on Spark).
     *
     * @param log the epoch's log, appended after the others
     */
    @Internal
    public void add(EpochLog log) {
        epochs.add(Objects.requireNonNull(log, "log"));
    }

    /**
     * One log per epoch trained, in order, unmodifiable.
     *
     * @return the logs, first epoch first; empty before any epoch ran
     */
    public List<EpochLog> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /**
     * The values of one quantity over the epochs, by Keras name ({@code "loss"}, {@code "val_accuracy"}, ...),
     * as Keras's {@code history.history[name]}.
     *
     * @param name the quantity's Keras name
     * @return a new array of its value in each epoch, first epoch first
     * @throws IllegalArgumentException if an epoch did not measure it, listing what it did measure
     */
    public double[] get(String name) {
        double[] v = new double[epochs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = epochs.get(i).get(name);
        }
        return v;
    }

    /**
     * The last epoch's log; fails when no epoch was trained.
     *
     * @return the log of the last epoch trained
     * @throws IllegalStateException when no epoch was trained
     */
    public EpochLog last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch was trained");
        }
        return epochs.get(epochs.size() - 1);
    }

    /**
     * Total training seconds over all epochs.
     *
     * @return the sum of the epochs' {@link EpochLog#seconds()} (validation excluded)
     */
    public double seconds() {
        double s = 0;
        for (EpochLog e : epochs) {
            s += e.seconds();
        }
        return s;
    }

    @Override
    public String toString() {
        return "History" + epochs;
    }
}
