package io.github.purecnn.spark;

import io.github.purecnn.model.NonFiniteLossException;
import io.github.purecnn.model.ShardedTraining;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;

/**
 * One partition's round of parameter averaging: from the broadcast parameters and optimizer
 * state, it trains its own batches of the round one after the other, as {@code fit} trains a
 * batch (its shards' gradients summed in shard order, then the optimizer), and returns its
 * replica's state. A step whose loss is not finite is skipped and reported; the driver decides
 * whether training goes on. A pure function of the state and the batches, so a retried task
 * returns the same values.
 */
final class LocalStepsTask implements FlatMapFunction<Iterator<EpochPartition>, LocalResult> {
    private static final long serialVersionUID = 1L;

    private final String trainingId;
    private final ShippedModel model;
    private final Broadcast<ModelState> start;
    /** [partition]: the steps that partition trains this round, in order */
    private final ShardedTraining.Step[][] steps;
    private final EpochLayout layout;
    /** Keras's class weights, or null */
    private final HashMap<Integer, Double> classWeight;

    LocalStepsTask(String trainingId, ShippedModel model, Broadcast<ModelState> start, ShardedTraining.Step[][] steps,
                   EpochLayout layout, HashMap<Integer, Double> classWeight) {
        this.trainingId = trainingId;
        this.model = model;
        this.start = start;
        this.steps = steps;
        this.layout = layout;
        this.classWeight = classWeight;
    }

    @Override
    public Iterator<LocalResult> call(Iterator<EpochPartition> partitions) throws Exception {
        EpochPartition partition = partitions.next();
        ShardedTraining.Step[] mine = steps[partition.partition()];
        if (mine.length == 0) {
            return List.<LocalResult>of().iterator();
        }
        Replica replica = Replica.forTraining(trainingId, model);
        replica.useState(start.value());
        double lossSum = 0;
        double weightSum = 0;
        double[] metricSums = null;
        int images = 0;
        List<Integer> skipped = new ArrayList<>();
        List<Double> skippedLosses = new ArrayList<>();
        for (ShardedTraining.Step step : mine) {
            int stepOfEpoch = step.batchFrom() / layout.batchSize();
            List<ShardedTraining.ShardResult> results = new ArrayList<>();
            for (ShardImages shard : partition.shardsOf(stepOfEpoch)) {
                results.add(replica.compute(shard, step, classWeight));
            }
            try {
                ShardedTraining.StepResult r = replica.apply(step, results, layout);
                lossSum += r.lossSum();
                weightSum += r.weightSum();
                if (metricSums == null) {
                    metricSums = new double[r.metricSums().length];
                }
                for (int k = 0; k < metricSums.length; k++) {
                    metricSums[k] += r.metricSums()[k];
                }
                images += r.images();
            } catch (NonFiniteLossException e) {
                skipped.add(stepOfEpoch);
                skippedLosses.add(e.loss());
            }
        }
        return List.of(new LocalResult(partition.partition(), replica.state(), lossSum, weightSum,
                metricSums == null ? new double[0] : metricSums, images, skipped, skippedLosses)).iterator();
    }
}
