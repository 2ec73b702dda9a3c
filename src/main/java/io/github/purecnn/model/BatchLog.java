package io.github.purecnn.model;

import java.util.List;

/**
 * The running means of the epoch so far, as Keras's {@code logs} of {@code on_train_batch_end}:
 * {@code loss} and each compiled metric. {@code fit} updates one instance in place after every
 * batch, so that a step allocates nothing: read it during the callback only.
 */
public final class BatchLog {
    private final List<String> names;
    private final double[] values;

    /**
     * Running means of these quantities ({@code loss}, then the metrics), all 0: {@code fit} makes
     * one, and so do trainers outside this package (on Spark).
     */
    public BatchLog(List<String> names) {
        this.names = List.copyOf(names);
        this.values = new double[names.size()];
    }

    /** Sets quantity number {@code index} (in the order of {@link #names()}). */
    public void set(int index, double value) {
        values[index] = value;
    }

    /** {@code loss}, then the metrics' names. */
    public List<String> names() {
        return names;
    }

    /** The running mean loss of the epoch. */
    public double loss() {
        return values[0];
    }

    /**
     * A running mean by name.
     *
     * @throws IllegalArgumentException for a name the fit does not measure, listing those it does
     */
    public double get(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("unknown quantity '" + name + "', expected one of " + names);
        }
        return values[i];
    }
}
