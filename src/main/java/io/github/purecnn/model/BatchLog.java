package io.github.purecnn.model;

import io.github.purecnn.Internal;

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
     * one, and so do the project's trainers outside this package (on Spark).
     *
     * @param names the quantities' names, {@code loss} first, then the metrics' Keras names (copied)
     */
    @Internal
    public BatchLog(List<String> names) {
        this.names = List.copyOf(names);
        this.values = new double[names.size()];
    }

    /**
     * Sets quantity number {@code index} (in the order of {@link #names()}).
     *
     * @param index the quantity's position in {@link #names()}: 0 for the loss
     * @param value its running mean over the epoch's batches so far
     */
    @Internal
    public void set(int index, double value) {
        values[index] = value;
    }

    /**
     * {@code loss}, then the metrics' names.
     *
     * @return the names, in the order {@code fit} logs them (unmodifiable)
     */
    public List<String> names() {
        return names;
    }

    /**
     * The running mean loss of the epoch.
     *
     * @return the mean loss over the epoch's batches so far, weight penalties included, as Keras's
     *     {@code logs["loss"]}
     */
    public double loss() {
        return values[0];
    }

    /**
     * A running mean by name.
     *
     * @param name {@code "loss"} or a compiled metric's Keras name, such as {@code "accuracy"}
     * @return its mean over the epoch's batches so far
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
