package io.github.purecnn.runtime;

/**
 * Sums over a whole training batch that a step needs in the middle of its passes: the batch
 * statistics of a batch normalisation. Shards run on different threads, so the engine stops them
 * there: every shard writes its partial sums ({@link Step.Shard#forwardSums},
 * {@link Step.Shard#backwardSums}), the engine adds them up in shard order into the totals here,
 * and the shards go on, reading the totals. The order is fixed by the batch size alone, so the
 * totals are the same bits whatever the number of threads.
 *
 * <p>Once the forward totals of a training step are added up, and before any shard reads them,
 * the engine calls {@link #forwardTotalsReady} on the thread that drives the step, exactly once per
 * step: the place for work done once per batch from its statistics (the moving averages of a
 * batch normalisation), while no shard runs.
 */
public final class BatchSums {
    private final double[] forwardTotals;
    private final double[] backwardTotals;
    private final Runnable onForwardTotals;

    /** Sums without work once per batch. */
    public BatchSums(int forwardSize, int backwardSize) {
        this(forwardSize, backwardSize, null);
    }

    /**
     * @param onForwardTotals run by {@link #forwardTotalsReady}; null for nothing
     */
    public BatchSums(int forwardSize, int backwardSize, Runnable onForwardTotals) {
        this.forwardTotals = new double[forwardSize];
        this.backwardTotals = new double[backwardSize];
        this.onForwardTotals = onForwardTotals;
    }

    /** The forward pass's sums over the batch, written by the engine before the shards go on. */
    public double[] forwardTotals() {
        return forwardTotals;
    }

    /** The backward pass's sums over the batch, written by the engine before the shards go on. */
    public double[] backwardTotals() {
        return backwardTotals;
    }

    /** Called by the engine once per training step, on one thread, when {@link #forwardTotals} hold the batch's sums. */
    public void forwardTotalsReady() {
        if (onForwardTotals != null) {
            onForwardTotals.run();
        }
    }
}
