package io.github.purecnn.spark;

import io.github.purecnn.model.ShardedTraining;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;

/**
 * One partition's share of a synchronous step: the gradients of the step's shards that the
 * partition holds, computed on this thread's replica given the step's weights. A pure
 * function of the weights and the shards, so a retried or speculative copy of the task
 * returns the same values.
 */
final class ShardTask implements FlatMapFunction<Iterator<EpochPartition>, ShardedTraining.ShardResult> {
    private static final long serialVersionUID = 1L;

    private final String trainingId;
    private final ShippedModel model;
    private final Broadcast<float[][]> parameters;
    private final ShardedTraining.Step step;
    private final int stepOfEpoch;
    /** Keras's class weights, or null */
    private final HashMap<Integer, Double> classWeight;

    ShardTask(String trainingId, ShippedModel model, Broadcast<float[][]> parameters, ShardedTraining.Step step,
              int stepOfEpoch, HashMap<Integer, Double> classWeight) {
        this.trainingId = trainingId;
        this.model = model;
        this.parameters = parameters;
        this.step = step;
        this.stepOfEpoch = stepOfEpoch;
        this.classWeight = classWeight;
    }

    @Override
    public Iterator<ShardedTraining.ShardResult> call(Iterator<EpochPartition> partition) throws Exception {
        List<ShardImages> shards = partition.next().shardsOf(stepOfEpoch);
        List<ShardedTraining.ShardResult> results = new ArrayList<>(shards.size());
        if (!shards.isEmpty()) {
            Replica replica = Replica.forTraining(trainingId, model);
            replica.useParameters(step.number(), parameters.value());
            for (ShardImages shard : shards) {
                results.add(replica.compute(shard, step, classWeight));
            }
        }
        return results.iterator();
    }
}
