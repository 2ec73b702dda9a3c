package io.github.purecnn.spark;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.ClassWeights;
import io.github.purecnn.model.NonFiniteLossException;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.model.ShardedTraining;
import io.github.purecnn.tensor.Shape;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * A task thread's replica of the model being trained, with the core's worker that computes
 * shards on it. One per executor thread and training: the core's workers are driven by the
 * thread that made them, and a replica holds the weights of one step at a time, so threads do
 * not share them. A thread keeps its replica from step to step (loading the model once per
 * training) and drops it when a task of another training comes.
 *
 * <p>A replica is only read between steps: every task gives it the step's parameters first
 * ({@link #useParameters}, or {@link #useState} for parameter averaging), so a retried or a
 * second task computes exactly what the first would have.
 */
final class Replica implements AutoCloseable {
    private static final ThreadLocal<Replica> OF_THREAD = new ThreadLocal<>();

    private final String trainingId;
    private final Sequential model;
    private final Shape inputShape;
    private final int classes;
    private final ShardedTraining.Worker worker;
    /** The step whose parameters the replica holds, or -1 when unknown. */
    private long parametersOfStep = -1;
    private ShardedTraining local;

    private Replica(String trainingId, Sequential model) {
        this.trainingId = trainingId;
        this.model = model.threads(1);
        this.inputShape = model.inputShape();
        this.classes = model.outputShape().size();
        this.worker = new ShardedTraining.Worker(this.model);
    }

    /**
     * This thread's replica for the training {@code trainingId}, loaded from {@code shipped} the
     * first time.
     *
     * @throws IOException naming the model's source when its bytes cannot be loaded
     */
    static Replica forTraining(String trainingId, ShippedModel shipped) throws IOException {
        Replica replica = OF_THREAD.get();
        if (replica != null && replica.trainingId.equals(trainingId)) {
            return replica;
        }
        if (replica != null) {
            OF_THREAD.remove();
            replica.close();
        }
        replica = new Replica(trainingId, shipped.model());
        OF_THREAD.set(replica);
        return replica;
    }

    /** Gives the replica the weights of step {@code step} (its trainable weights, model order), unless it has them. */
    void useParameters(long step, float[][] values) {
        if (step == parametersOfStep) {
            return;
        }
        List<Parameter> params = model.trainableWeights();
        if (values.length != params.size()) {
            throw new IllegalArgumentException("step " + step + " comes with " + values.length + " weights, model '"
                    + model.name() + "' has " + params.size() + " trainable");
        }
        parametersOfStep = -1;
        for (int p = 0; p < values.length; p++) {
            params.get(p).set(values[p]);
        }
        parametersOfStep = step;
    }

    /** Gives the replica parameters and optimizer state, for local steps of parameter averaging. */
    void useState(ModelState state) {
        parametersOfStep = -1;
        state.applyTo(model);
    }

    /** The replica's parameters and optimizer state, copied. */
    ModelState state() {
        return ModelState.of(model);
    }

    /**
     * One shard's gradients, loss and metric sums on the replica's current weights.
     *
     * @param classWeight Keras's class weights (each image weighted by its class's), or null for none
     */
    ShardedTraining.ShardResult compute(ShardImages shard, ShardedTraining.Step step, Map<Integer, Double> classWeight) {
        Dataset images = shard.dataset(inputShape, classes);
        float[] sampleWeights = classWeight == null ? null : ClassWeights.sampleWeights(images, classWeight);
        return worker.compute(images, sampleWeights, step, shard.shard());
    }

    /**
     * Sums the shards' gradients in shard order and applies the replica's optimizer, for a local
     * step of parameter averaging.
     *
     * @throws NonFiniteLossException when the step's loss is not finite (nothing is applied)
     */
    ShardedTraining.StepResult apply(ShardedTraining.Step step, List<ShardedTraining.ShardResult> results,
                                     EpochLayout layout) {
        if (local == null) {
            local = new ShardedTraining(model, layout.datasetSize(), layout.batchSize(), false);
        }
        parametersOfStep = -1;
        return local.apply(step, results);
    }

    @Override
    public void close() {
        worker.close();
        if (local != null) {
            local.close();
        }
    }
}
