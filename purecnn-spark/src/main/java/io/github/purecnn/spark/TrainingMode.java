package io.github.purecnn.spark;

import io.github.purecnn.model.Sequential;

import java.io.Serializable;

/**
 * How {@link ImageTrainer} spreads training over Spark's partitions. Only the default,
 * {@link #synchronous()}, gives the weights of {@link Sequential#fit} with the same batch size;
 * the two others trade that for fewer Spark jobs per image and change the results.
 */
public final class TrainingMode implements Serializable {
    private static final long serialVersionUID = 1L;

    enum Kind {
        SYNCHRONOUS, LARGER_BATCHES, AVERAGING
    }

    /** Which of the three modes. */
    private final Kind kind;
    /** Steps each partition trains between averagings; 1 outside averaging. */
    private final int localSteps;

    private TrainingMode(Kind kind, int localSteps) {
        this.kind = kind;
        this.localSteps = localSteps;
    }

    /**
     * The default: one Spark job per step of {@code fit}'s batch size. The partitions compute the
     * shards of the batch, the driver sums them in shard order and updates the weights: the
     * weights are those of {@code fit} with the same seed, batch size and data order, bit for
     * bit, whatever the number of partitions and executors.
     */
    public static TrainingMode synchronous() {
        return new TrainingMode(Kind.SYNCHRONOUS, 1);
    }

    /**
     * <b>Changes the results:</b> the batch size given to {@code fit} is each partition's share
     * of a step, so a step takes batch size x partitions images (as {@code tf.distribute}'s
     * global batch is the per-replica batch times the replicas). One job and one exchange of
     * parameters serve that many more images. The weights are those of {@code fit} with the
     * larger batch size, bit for bit, so one machine can reproduce them; the learning dynamics
     * are those of fewer, larger steps (the learning rate may need raising).
     */
    public static TrainingMode largerBatches() {
        return new TrainingMode(Kind.LARGER_BATCHES, 1);
    }

    /**
     * <b>Changes the results:</b> periodic parameter averaging. Each partition trains
     * {@code localSteps} steps of the batch size on batches of its own (batch {@code b} of the
     * epoch's order goes to partition {@code b mod partitions}), from the same weights and
     * optimizer state; then the driver averages the partitions' weights and optimizer states,
     * weighted by the images each trained on, in partition order, and the next round starts from
     * the average. One Spark job per round instead of one per step. No batch size of {@code fit}
     * gives these weights (except with one partition, where the rounds are {@code fit}'s steps),
     * but they are the same in every run with the same seed, data, partitions and
     * {@code localSteps}.
     *
     * @param localSteps steps each partition trains between two averagings, at least 1
     */
    public static TrainingMode averaging(int localSteps) {
        if (localSteps < 1) {
            throw new IllegalArgumentException("parameter averaging needs at least 1 local step per round, found "
                    + localSteps);
        }
        return new TrainingMode(Kind.AVERAGING, localSteps);
    }

    Kind kind() {
        return kind;
    }

    /** Steps each partition trains between averagings; 1 outside averaging. */
    int localSteps() {
        return localSteps;
    }

    /** Whether the weights are those of {@code fit} with the batch size given to it. */
    public boolean sameWeightsAsFit() {
        return kind == Kind.SYNCHRONOUS;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingMode m && m.kind == kind && m.localSteps == localSteps;
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + localSteps;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case SYNCHRONOUS -> "synchronous (the weights of fit)";
            case LARGER_BATCHES -> "larger batches (batch size x partitions per step; changes the results)";
            case AVERAGING -> "parameter averaging every " + localSteps + " local steps (changes the results)";
        };
    }
}
