package io.github.purecnn.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What a partition sends back after a round of parameter averaging: its replica's weights and
 * optimizer state after its local steps, with their measurements added up as fit adds a batch's.
 *
 * @param partition  the partition
 * @param state      the replica's weights and optimizer state after the round
 * @param lossSum    the loss sums of the steps applied (weight penalties included)
 * @param weightSum  the summed weights of their samples
 * @param metricSums each metric's weighted sum over them
 * @param images     the images of the steps applied (the weight of this state in the average)
 * @param skipped    the steps of the epoch whose loss was not finite, not applied (ascending)
 * @param skippedLosses their mean losses
 */
record LocalResult(int partition, ModelState state, double lossSum, double weightSum, double[] metricSums, int images,
                   List<Integer> skipped,
                   List<Double> skippedLosses) implements Serializable {
}
