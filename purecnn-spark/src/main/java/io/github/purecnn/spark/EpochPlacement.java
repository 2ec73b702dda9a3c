package io.github.purecnn.spark;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.util.Iterator;
import java.util.List;

/**
 * Places one epoch's images on the partitions that compute their shards: each image learns its
 * position in the epoch's order from a broadcast (the inverse of the order), is keyed by its
 * partition and shuffled there, where the images are gathered into their shards
 * ({@link EpochPartition}). One shuffle of the training data per epoch; every step's task then
 * finds its shards in its cached partition.
 */
final class EpochPlacement {
    private EpochPlacement() {
    }

    /** The epoch's partitions, not yet computed: an RDD of one {@link EpochPartition} per partition. */
    static JavaRDD<EpochPartition> of(JavaRDD<Example> examples, Broadcast<int[]> positions, EpochLayout layout,
                                      int imageSize) {
        return examples.mapPartitionsToPair(new Key(positions, layout))
                .partitionBy(new HashPartitioner(layout.partitions()))   // partition k for key k < partitions
                .mapPartitionsWithIndex(new Gather(layout, imageSize), true);
    }

    /** Keys each image by the partition that computes it. */
    private static final class Key implements PairFlatMapFunction<Iterator<Example>, Integer, Placed> {
        private static final long serialVersionUID = 1L;
        private final Broadcast<int[]> positions;
        private final EpochLayout layout;

        Key(Broadcast<int[]> positions, EpochLayout layout) {
            this.positions = positions;
            this.layout = layout;
        }

        @Override
        public Iterator<Tuple2<Integer, Placed>> call(Iterator<Example> examples) {
            int[] positionOf = positions.value();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return examples.hasNext();
                }

                @Override
                public Tuple2<Integer, Placed> next() {
                    Example e = examples.next();
                    if (e.index() >= positionOf.length) {
                        throw new IllegalStateException("row " + e.index() + " of a training data set of "
                                + positionOf.length + " rows: the training data gave other rows when read again");
                    }
                    int position = positionOf[(int) e.index()];
                    return new Tuple2<>(layout.partitionOf(position), new Placed(position, e));
                }
            };
        }
    }

    /** Gathers a partition's images into its {@link EpochPartition}. */
    private static final class Gather
            implements Function2<Integer, Iterator<Tuple2<Integer, Placed>>, Iterator<EpochPartition>> {
        private static final long serialVersionUID = 1L;
        private final EpochLayout layout;
        private final int imageSize;

        Gather(EpochLayout layout, int imageSize) {
            this.layout = layout;
            this.imageSize = imageSize;
        }

        @Override
        public Iterator<EpochPartition> call(Integer partition, Iterator<Tuple2<Integer, Placed>> placed) {
            return List.of(EpochPartition.build(partition, placed, layout, imageSize)).iterator();
        }
    }
}
