package io.github.purecnn.model;

import io.github.purecnn.Internal;
import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Parameter;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Training with the shards of each batch computed elsewhere (other threads, other processes,
 * Spark executors), with exactly the results of {@link Sequential#fit}. A batch is cut into shards
 * of 16 images by its size alone; each shard's gradients are a pure function of the weights, the
 * shard's images and the step's seed; the model sums them in shard order and applies its
 * optimizer. So a coordinator that replays fit's epochs and steps with this class, and has each
 * shard computed by a {@link Worker} holding the same weights, trains to the same weights bit for
 * bit as fit with the same seed, batch size and data.
 *
 * <pre>{@code
 * ShardedTraining training = new ShardedTraining(model, data.size(), 64, true);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     int[] order = training.nextEpoch();
 *     for (int b = 0; b < training.stepsPerEpoch(); b++) {
 *         ShardedTraining.Step step = training.nextStep(b);
 *         // elsewhere, with weights equal to the model's: worker.compute(data, order, step, shard)
 *         training.apply(step, results);
 *     }
 * }
 * }</pre>
 *
 * <p>Targets of any form and the compiled loss and metrics work as in fit; sample weights (or
 * class weights, as {@link ClassWeights#sampleWeights} turns them into sample weights) are given
 * to the workers with the data. The weight penalties' loss is added by {@link #apply}, once per
 * step, as fit adds it.
 *
 * <p>Not for models whose layers need sums over the whole batch between shards (batch
 * normalisation): their shards cannot be computed one by one; {@link Worker#compute} refuses them.
 *
 * <p>Internal: the engine of the project's own distributed training ({@code purecnn-spark}), not
 * part of the public API; it changes with the engine.
 */
@Internal
public final class ShardedTraining implements AutoCloseable {
    /** Images per shard: a batch is cut into shards of this many images, the last possibly fewer. */
    public static final int SHARD_SIZE = BatchEngine.SHARD_SIZE;

    private final Sequential model;
    private final int datasetSize;
    private final int batchSize;
    private final boolean shuffle;
    private final BatchEngine engine;

    /**
     * One training step, as its shards need it: the step's number (1 for a model's first), which
     * images of the epoch's order it takes, how many shards they make, and the seed of its dropout.
     *
     * @param number    the model's step count after this step, 1 for its first
     * @param batchFrom the position in the epoch's order of the batch's first image
     * @param batchSize the images in the batch: the batch size, or fewer for an epoch's last batch
     * @param shards    how many shards of up to {@link ShardedTraining#SHARD_SIZE} images the batch makes
     * @param noiseSeed the seed of the step's randomness (dropout), the same for all its shards
     */
    public record Step(long number, int batchFrom, int batchSize, int shards, long noiseSeed) implements Serializable {
    }

    /**
     * What a worker computed for one shard: its gradient of every trainable weight (model order), its
     * weighted loss sum, the summed weight of its samples' rows and each metric's weighted sum
     * (in the order of {@link Worker#metricNames(Dataset)}).
     *
     * @param shard      the shard's index within its step, from 0
     * @param gradients  [p] the shard's gradient of trainable weight p, flat, in the model's order
     * @param lossSum    the sum of the shard's samples' losses, each times its sample weight
     * @param weightSum  the summed weight of the shard's samples' rows
     * @param metricSums [k] metric k's weighted sum over the shard
     */
    public record ShardResult(int shard, float[][] gradients, double lossSum, double weightSum, double[] metricSums)
            implements Serializable {
    }

    /**
     * A step's measurements over its batch: its loss sum (the shards' weighted sums plus the
     * weight penalties' loss times the batch size, what fit adds to the epoch's loss), the summed
     * weight of its rows and each metric's weighted sum, and the number of samples.
     *
     * @param lossSum    the shards' weighted loss sums plus the weight penalties' loss times the batch size
     * @param weightSum  the summed weight of the batch's rows
     * @param metricSums [k] metric k's weighted sum over the batch
     * @param images     the number of samples in the batch
     */
    public record StepResult(double lossSum, double weightSum, double[] metricSums, int images) {
    }

    /**
     * Coordinates training of a compiled model on a data set of {@code datasetSize} images in
     * batches of {@code batchSize}, shuffled each epoch or not, as {@code fit} would.
     *
     * @param model the compiled model whose optimizer applies the steps and whose epoch and step
     *     counts this training advances
     * @param datasetSize the number of training images, at least 1
     * @param batchSize fit's batch size, at least 1; above {@code datasetSize}, one batch of all
     * @param shuffle whether each epoch shuffles the images, as fit's {@code shuffle}
     * @throws IllegalStateException if the model is not compiled
     * @throws IllegalArgumentException if {@code datasetSize} or {@code batchSize} is below 1
     */
    public ShardedTraining(Sequential model, int datasetSize, int batchSize, boolean shuffle) {
        this.model = Objects.requireNonNull(model, "model");
        if (!model.isCompiled()) {
            throw new IllegalStateException("compile model '" + model.name() + "' before training it");
        }
        if (datasetSize < 1 || batchSize < 1) {
            throw new IllegalArgumentException("the data set size and the batch size must be at least 1, found "
                    + datasetSize + " and " + batchSize);
        }
        this.datasetSize = datasetSize;
        this.batchSize = Math.min(batchSize, datasetSize);
        this.shuffle = shuffle;
        this.engine = new BatchEngine(model.layers(), 1, model.kernels(), model.threads(), model.loss().fusedActivation());
        model.clearStopRequest();
    }

    /**
     * Whether a callback asked the model to stop ({@link Sequential#stopTraining()}) since this
     * training began: a coordinator that calls callbacks stops after the batch, as fit does.
     *
     * @return true once a stop was requested
     */
    public boolean stopRequested() {
        return model.stopRequested();
    }

    /**
     * Steps in each epoch: the batches of the data set, the last possibly smaller.
     *
     * @return the data set size over the batch size, rounded up
     */
    public int stepsPerEpoch() {
        return (datasetSize + batchSize - 1) / batchSize;
    }

    /**
     * Counts a new epoch on the model and returns its order of the images (a new array).
     *
     * @return the images' indices in the order the epoch takes them: shuffled from the model's seed
     *     and epoch count, as fit's, or in order without shuffling
     */
    public int[] nextEpoch() {
        int[] order = new int[datasetSize];
        model.beginEpoch(order, shuffle);
        return order;
    }

    /**
     * Counts a new step on the model and describes it: batch {@code index} of the current epoch.
     *
     * @param index the batch within the epoch, from 0
     * @return the step, to send to the workers and then to {@link #apply}
     * @throws IllegalArgumentException if {@code index} is not in [0, {@link #stepsPerEpoch()})
     */
    public Step nextStep(int index) {
        if (index < 0 || index >= stepsPerEpoch()) {
            throw new IllegalArgumentException("step " + index + " of an epoch of " + stepsPerEpoch() + " steps");
        }
        int from = index * batchSize;
        int n = Math.min(batchSize, datasetSize - from);
        long seed = model.beginStep();
        return new Step(model.stepsTrained(), from, n, (n + BatchEngine.SHARD_SIZE - 1) / BatchEngine.SHARD_SIZE, seed);
    }

    /**
     * Sums the shards' gradients in shard order and applies the model's optimizer, as fit does
     * after a batch. Nothing changes if the results are incomplete, malformed or their loss is not
     * finite.
     *
     * @param step the step, as {@link #nextStep} gave it
     * @param results one per shard of the step, in any order
     * @return the step's loss and metric sums, for the epoch's log
     * @throws IllegalArgumentException naming the shard when one is missing, repeated, out of range
     *     or has gradients or metric sums of the wrong number or size
     * @throws IllegalStateException when the model has no trainable weights or they changed since compile
     * @throws NonFiniteLossException when the batch's loss is NaN or infinite
     */
    public StepResult apply(Step step, List<ShardResult> results) {
        Objects.requireNonNull(step, "step");
        ShardResult[] byShard = new ShardResult[step.shards()];
        for (ShardResult r : results) {
            if (r.shard() < 0 || r.shard() >= byShard.length || byShard[r.shard()] != null) {
                throw new IllegalArgumentException("step " + step.number() + " has shards 0.." + (byShard.length - 1)
                        + ", each once; found shard " + r.shard() + (r.shard() >= 0 && r.shard() < byShard.length ? " twice" : ""));
            }
            byShard[r.shard()] = r;
        }
        model.requireTrainableAsCompiled("train");
        List<Parameter> params = model.trainableWeights();
        float[][][] gradients = new float[byShard.length][][];
        double lossSum = 0;
        double weightSum = 0;
        double[] metricSums = new double[byShard[0] == null ? 0 : byShard[0].metricSums().length];
        for (int s = 0; s < byShard.length; s++) {
            if (byShard[s] == null) {
                throw new IllegalArgumentException("step " + step.number() + ": shard " + s + " is missing");
            }
            gradients[s] = byShard[s].gradients();
            if (gradients[s].length != params.size()) {
                throw new IllegalArgumentException("shard " + s + " has " + gradients[s].length + " gradients, the model "
                        + params.size() + " parameters");
            }
            for (int p = 0; p < params.size(); p++) {
                if (gradients[s][p].length != params.get(p).size()) {
                    throw new IllegalArgumentException("shard " + s + ": the gradient of " + params.get(p).path() + " has "
                            + gradients[s][p].length + " values, the parameter " + params.get(p).size());
                }
            }
            if (byShard[s].metricSums().length != metricSums.length) {
                throw new IllegalArgumentException("shard " + s + " has " + byShard[s].metricSums().length
                        + " metric sums, shard 0 " + metricSums.length);
            }
            lossSum += byShard[s].lossSum();
            weightSum += byShard[s].weightSum();
            for (int k = 0; k < metricSums.length; k++) {
                metricSums[k] += byShard[s].metricSums()[k];
            }
        }
        // as fit: the weight penalties' loss, of the weights before the update, once per step
        double regularization = engine.regularizationLoss();
        double batchLoss = lossSum / step.batchSize() + regularization;
        if (!Double.isFinite(batchLoss)) {
            throw new NonFiniteLossException((int) Math.min(Integer.MAX_VALUE, model.epochsTrained()),
                    step.batchFrom() / batchSize + 1, stepsPerEpoch(), batchLoss);
        }
        engine.applyUpdate(model.optimizer(), gradients, gradients.length);
        return new StepResult(lossSum + regularization * step.batchSize(), weightSum, metricSums, step.batchSize());
    }

    @Override
    public void close() {
        engine.close();
    }

    /**
     * Computes shards of steps for a replica of the model, whose weights the caller keeps equal to
     * the coordinator's (for example by loading them each step). One worker runs one shard at a
     * time, on the replica's threads and kernels.
     */
    public static final class Worker implements AutoCloseable {
        private final Sequential replica;
        private final BatchEngine engine;
        /** The objective of the last data and weights given, kept while they stay the same. */
        private Objective objective;
        private float[] objectiveWeights;

        /**
         * A worker for a compiled replica of the model.
         *
         * @param replica a model with the coordinator's layers, weights, seed, loss and metrics
         * @throws IllegalStateException if the replica is not compiled
         */
        public Worker(Sequential replica) {
            this.replica = Objects.requireNonNull(replica, "replica");
            if (!replica.isCompiled()) {
                throw new IllegalStateException("compile the replica '" + replica.name() + "' before computing shards");
            }
            this.engine = new BatchEngine(replica.layers(), BatchEngine.SHARD_SIZE, replica.kernels(), replica.threads(),
                    replica.loss().fusedActivation());
        }

        /** The objective of the replica's loss and metrics on data with these weights (made once per data set). */
        private Objective objective(Dataset data, float[] sampleWeights) {
            if (objective == null || objective.data() != data || objectiveWeights != sampleWeights) {
                objective = Objective.of("shard data", replica.name(), data, replica.outputShape(), replica.loss(),
                        replica.metrics(), sampleWeights);
                objectiveWeights = sampleWeights;
            }
            return objective;
        }

        /**
         * The names of the metrics whose sums a result holds, in order: as fit logs them.
         *
         * @param data the training data, whose targets decide what {@code accuracy} resolves to
         * @return the metrics' Keras names, in the order of {@link ShardResult#metricSums()}
         * @throws IllegalArgumentException when the loss or a metric does not fit the data's targets
         */
        public List<String> metricNames(Dataset data) {
            return List.of(objective(data, null).metricNames());
        }

        /**
         * Shard {@code shard} of {@code step}: the images {@code order[step.batchFrom() + 16 * shard ..]}
         * of {@code data}, whose gradients come back in a new result.
         *
         * @param data the whole training data set
         * @param order the epoch's order of the images, as {@link ShardedTraining#nextEpoch()} gave it
         * @param step the step
         * @param shard the shard within the step, from 0
         * @return the shard's gradients and sums
         * @throws IllegalArgumentException when the loss or a metric does not fit the data's targets
         */
        public ShardResult compute(Dataset data, int[] order, Step step, int shard) {
            return compute(data, null, order, step, shard);
        }

        /**
         * As {@link #compute(Dataset, int[], Step, int)}, with a weight per sample of data (fit's
         * sample weights, or {@link ClassWeights#sampleWeights} of its class weights); null for none.
         *
         * @param data the whole training data set
         * @param sampleWeights one weight per sample of {@code data}, finite and at least 0; null for none
         * @param order the epoch's order of the images, as {@link ShardedTraining#nextEpoch()} gave it
         * @param step the step
         * @param shard the shard within the step, from 0
         * @return the shard's gradients and sums
         * @throws IllegalArgumentException when the loss or a metric does not fit the data's targets,
         *     or a weight is bad
         */
        public ShardResult compute(Dataset data, float[] sampleWeights, int[] order, Step step, int shard) {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(order, "order");
            engine.computeShard(objective(data, sampleWeights), order, step.batchFrom(), step.batchSize(), shard,
                    step.noiseSeed());
            return result(shard);
        }

        /**
         * Shard {@code shard} of {@code step}, given only its own images: {@code shardImages} holds
         * them, in the batch's order (for a worker that holds no other data).
         *
         * @param shardImages the shard's images and targets only, in the batch's order
         * @param step the step
         * @param shard the shard within the step, from 0
         * @return the shard's gradients and sums
         * @throws IllegalArgumentException when {@code shardImages} does not hold the shard's number of
         *     images, or the loss or a metric does not fit its targets
         */
        public ShardResult compute(Dataset shardImages, Step step, int shard) {
            return compute(shardImages, (float[]) null, step, shard);
        }

        /**
         * As {@link #compute(Dataset, Step, int)}, with the shard's samples' weights (in its order); null for none.
         *
         * @param shardImages the shard's images and targets only, in the batch's order
         * @param sampleWeights one weight per image of {@code shardImages}; null for none
         * @param step the step
         * @param shard the shard within the step, from 0
         * @return the shard's gradients and sums
         * @throws IllegalArgumentException when {@code shardImages} does not hold the shard's number of
         *     images, a weight is bad, or the loss or a metric does not fit its targets
         */
        public ShardResult compute(Dataset shardImages, float[] sampleWeights, Step step, int shard) {
            Objects.requireNonNull(shardImages, "shard images");
            int expected = Math.min(BatchEngine.SHARD_SIZE, step.batchSize() - shard * BatchEngine.SHARD_SIZE);
            if (shardImages.size() != expected) {
                throw new IllegalArgumentException("shard " + shard + " of step " + step.number() + " has " + expected
                        + " images, given " + shardImages.size());
            }
            // no order: the engine reads images batchFrom + 16 * shard .. of the data, here 0 ..
            engine.computeShard(objective(shardImages, sampleWeights), null, -shard * BatchEngine.SHARD_SIZE,
                    step.batchSize(), shard, step.noiseSeed());
            return result(shard);
        }

        private ShardResult result(int shard) {
            float[][] g = engine.shardGradients();
            float[][] copy = new float[g.length][];
            for (int p = 0; p < g.length; p++) {
                copy[p] = Arrays.copyOf(g[p], g[p].length);
            }
            double[] metricSums = Arrays.copyOf(engine.stepMetricSums, objective.metrics().length);
            return new ShardResult(shard, copy, engine.stepLossSum, engine.stepWeightSum, metricSums);
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
