package io.github.purecnn.runtime;

/**
 * Sums over a whole training batch that a step needs in the middle of its passes: the batch
 * statistics of a batch normalisation. Shards run on different threads, so the engine stops them
 * there: every shard writes its partial sums ({@link Step.Shard#forwardSums},
 * {@link Step.Shard#backwardSums}), the engine adds them up in shard order into the totals here,
 * and the shards go on, reading the totals. The order is fixed by the batch size alone, so the
 * totals are the same bits whatever the number of threads.
 */
public final class BatchSums {
    private final double[] forwardTotals;
    private final double[] backwardTotals;

    public BatchSums(int forwardSize, int backwardSize) {
        this.forwardTotals = new double[forwardSize];
        this.backwardTotals = new double[backwardSize];
    }

    /** The forward pass's sums over the batch, written by the engine before the shards go on. */
    public double[] forwardTotals() {
        return forwardTotals;
    }

    /** The backward pass's sums over the batch, written by the engine before the shards go on. */
    public double[] backwardTotals() {
        return backwardTotals;
    }
}
