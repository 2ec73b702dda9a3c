package io.github.purecnn.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What a partition sends back after a round of parameter averaging: its replica's parameters
 * and optimizer state after its local steps, with their summed loss and correct count.
 *
 * @param partition  the partition
 * @param state      the replica's parameters and optimizer state after the round
 * @param lossSum    the summed loss of the images of the steps applied
 * @param correct    their correct predictions
 * @param images     the images of the steps applied (the weight of this state in the average)
 * @param skipped    the steps of the epoch whose loss was not finite, not applied (ascending)
 * @param skippedLosses their mean losses
 */
record LocalResult(int partition, ModelState state, double lossSum, int correct, int images, List<Integer> skipped,
                   List<Double> skippedLosses) implements Serializable {
}
