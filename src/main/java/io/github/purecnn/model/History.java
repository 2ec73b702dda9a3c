package io.github.purecnn.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** What {@code fit} returns: one {@link EpochLog} per epoch trained, as Keras's {@code History}. */
public final class History {
    private final List<EpochLog> epochs = new ArrayList<>();

    /** Records an epoch: {@code fit} does after each, and so do trainers outside this package (on Spark). */
    public void add(EpochLog log) {
        epochs.add(Objects.requireNonNull(log, "log"));
    }

    public List<EpochLog> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The values of one quantity over the epochs, by Keras name ({@code "loss"}, {@code "val_accuracy"}, ...). */
    public double[] get(String name) {
        double[] v = new double[epochs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = epochs.get(i).get(name);
        }
        return v;
    }

    /** The last epoch's log; fails when no epoch was trained. */
    public EpochLog last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch was trained");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** Total training seconds over all epochs. */
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
