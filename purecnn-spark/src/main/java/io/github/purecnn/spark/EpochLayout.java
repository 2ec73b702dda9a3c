package io.github.purecnn.spark;

import io.github.purecnn.model.ShardedTraining;

import java.io.Serializable;

/**
 * Where each image of an epoch goes. Position {@code i} of the epoch's order falls in step
 * {@code i / batchSize} and, within it, in shard {@code (i % batchSize) / 16}, as in
 * {@code fit}. Each shard is computed on one partition: spread one by one over the partitions for
 * synchronous steps (shard {@code s} of step {@code b} on partition
 * {@code (b * shardsPerBatch + s) mod partitions}, so that every step keeps every partition busy
 * when it has enough shards), or whole batches together for parameter averaging (step {@code b}
 * on partition {@code b mod partitions}).
 */
final class EpochLayout implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int SHARD = ShardedTraining.SHARD_SIZE;

    private final int datasetSize;
    private final int batchSize;
    private final int partitions;
    private final boolean wholeBatches;
    private final int shardsPerBatch;

    /**
     * @param batchSize    images per step, at most {@code datasetSize}
     * @param wholeBatches whether each step's shards all go to one partition
     */
    EpochLayout(int datasetSize, int batchSize, int partitions, boolean wholeBatches) {
        if (batchSize < 1 || batchSize > datasetSize || partitions < 1) {
            throw new IllegalArgumentException("a layout of " + datasetSize + " images in batches of " + batchSize + " on "
                    + partitions + " partitions");
        }
        this.datasetSize = datasetSize;
        this.batchSize = batchSize;
        this.partitions = partitions;
        this.wholeBatches = wholeBatches;
        this.shardsPerBatch = (batchSize + SHARD - 1) / SHARD;
    }

    int datasetSize() {
        return datasetSize;
    }

    int batchSize() {
        return batchSize;
    }

    int partitions() {
        return partitions;
    }

    /** Steps per epoch, the last possibly smaller. */
    int steps() {
        return (datasetSize + batchSize - 1) / batchSize;
    }

    int stepOf(int position) {
        return position / batchSize;
    }

    int shardOf(int position) {
        return position % batchSize / SHARD;
    }

    /** Where the image at {@code position} goes within its shard. */
    int indexInShard(int position) {
        return position % batchSize % SHARD;
    }

    /** The images of step {@code step}. */
    int imagesOf(int step) {
        return Math.min(batchSize, datasetSize - step * batchSize);
    }

    int shardsOf(int step) {
        return (imagesOf(step) + SHARD - 1) / SHARD;
    }

    int shardSize(int step, int shard) {
        return Math.min(SHARD, imagesOf(step) - shard * SHARD);
    }

    /** The partition that computes shard {@code shard} of step {@code step}. */
    int partitionOf(int step, int shard) {
        return wholeBatches ? step % partitions : (int) (((long) step * shardsPerBatch + shard) % partitions);
    }

    /** The partition that computes the image at {@code position}. */
    int partitionOf(int position) {
        return partitionOf(stepOf(position), shardOf(position));
    }
}
