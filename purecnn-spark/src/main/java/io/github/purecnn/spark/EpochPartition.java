package io.github.purecnn.spark;

import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What one partition computes in one epoch: the shards that the {@link EpochLayout} gives it,
 * each with its images in batch order. Built once per epoch from the images shuffled to this
 * partition, and cached, so that each step's task finds its shards at once.
 */
final class EpochPartition implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int partition;
    /** step -> its shards here, by shard number (null where another partition computes it) */
    private final Map<Integer, ShardImages[]> steps = new HashMap<>();

    private EpochPartition(int partition) {
        this.partition = partition;
    }

    /**
     * Gathers the images placed on {@code partition} into their shards.
     *
     * @throws IllegalStateException when an image belongs elsewhere, a position comes twice, or
     *     a shard of this partition lacks an image (the data changed between two reads)
     */
    static EpochPartition build(int partition, Iterator<Tuple2<Integer, Placed>> placed, EpochLayout layout,
                                int imageSize) {
        EpochPartition built = new EpochPartition(partition);
        while (placed.hasNext()) {
            Placed p = placed.next()._2();
            int position = p.position();
            int step = layout.stepOf(position);
            int shard = layout.shardOf(position);
            if (layout.partitionOf(step, shard) != partition) {
                throw new IllegalStateException("position " + position + " (row " + p.example().index() + ") belongs to"
                        + " partition " + layout.partitionOf(step, shard) + ", not " + partition);
            }
            ShardImages[] shards = built.steps.computeIfAbsent(step, s -> new ShardImages[layout.shardsOf(s)]);
            if (shards[shard] == null) {
                shards[shard] = new ShardImages(step, shard, step * layout.batchSize() + shard * EpochLayout.SHARD,
                        layout.shardSize(step, shard), imageSize);
            }
            shards[shard].put(layout.indexInShard(position), p.example());
        }
        for (int step = 0; step < layout.steps(); step++) {
            for (int shard = 0; shard < layout.shardsOf(step); shard++) {
                if (layout.partitionOf(step, shard) == partition) {
                    ShardImages[] shards = built.steps.get(step);
                    if (shards == null || shards[shard] == null) {
                        throw new IllegalStateException("no image for step " + step + ", shard " + shard + " (positions "
                                + (step * layout.batchSize() + shard * EpochLayout.SHARD) + " ..) of the epoch's order:"
                                + " the training data gave other rows when read again; give training a deterministic"
                                + " source, or cache it");
                    }
                    shards[shard].requireComplete();
                }
            }
        }
        return built;
    }

    int partition() {
        return partition;
    }

    /** The shards of step {@code step} that this partition computes, in shard order. */
    List<ShardImages> shardsOf(int step) {
        List<ShardImages> mine = new ArrayList<>();
        ShardImages[] shards = steps.get(step);
        if (shards != null) {
            for (ShardImages s : shards) {
                if (s != null) {
                    mine.add(s);
                }
            }
        }
        return mine;
    }
}
