package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.runtime.Truth;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.regularizers.Regularizer;
import io.github.purecnn.runtime.BatchSums;
import io.github.purecnn.runtime.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Runs a model over batches: training steps, and forward passes for evaluation and prediction.
 *
 * <p>A batch is cut into shards of at most {@link #SHARD_SIZE} images, in order. Each shard has
 * its own parameter-gradient buffers; each worker thread has one set of activation and gradient
 * buffers that the shards it runs take turns with. All are allocated here once for the largest
 * batch, so a step allocates nothing. Shards run on the worker pool in any order and on any
 * thread; the parameter gradients are then summed over the shards in shard order and the
 * optimizer applied, in fixed chunks. A shard's backward pass writes its gradients whole, so they
 * are never zeroed (that took about 30 us of a 1.3 ms step on 2 threads), and a step whose update
 * is skipped leaves nothing behind. Because the shard cut depends only on the batch size,
 * every sum is taken in the same order whatever the number of threads: results are
 * bit-identical with one thread or many.
 *
 * <p>What runs is a list of {@link Step}s that the {@link Planner} made from the layers; the
 * engine knows nothing of layer types. Before a forward pass it lets each step bring its packed
 * weights up to date ({@link Step#prepare}), after an update it marks the parameters changed.
 *
 * <p>Targets and sample weights reach the loss and the metrics through an {@link Objective}, which
 * gathers each shard's into its buffer set's {@link Truth}; each shard leaves its weighted loss
 * sum, metric sums and the summed weight of its rows, which are added up in shard order. Weight
 * penalties (regularizers) add their loss once per step, computed on the calling thread over the
 * parameters in order, and their gradients to the reduced gradients, chunk by chunk.
 *
 * <p>A training step runs as one task per shard: forward, loss, backward. Steps that need sums
 * over the whole batch ({@link Step#batchSums}, batch normalisation) cut it into phases: every
 * shard runs up to such a step and writes its partial sums, the engine adds them up in shard
 * order, and the next phase goes on from there; the backward pass likewise, in reverse. Between
 * phases the shards keep their activations, so such models have buffers per shard instead of
 * per worker.
 *
 * <p>An engine made with a {@link PathSwitch} runs its first batches on the switch's start path, in
 * an engine of its own on the same layers (its starter), and moves to its own path when the switch
 * says so, between two batches. Both compute the same bits, and everything that outlives a batch
 * lives in the layers' parameters and the optimizer, which the two share (each step's packed
 * kernels follow the parameters' versions), so the move shows in the speed only. Both engines are
 * built up front: a step allocates nothing before the move nor after it.
 */
final class BatchEngine implements AutoCloseable {
    /** Images per shard: small enough that two or four threads share a batch of 64 evenly, large enough to keep kernels efficient. */
    static final int SHARD_SIZE = 16;
    /** Parameter values per reduction-and-update task. */
    private static final int CHUNK = 8192;

    private final List<Layer> layers;
    private final List<Planner.Planned> plan;
    /** The last layer's activation whose input the loss gives the gradient for, or null. */
    private final Activation fused;
    private final int inSize;
    private final int outSize;
    /** The output per sample as losses see it: rows of outCols values (the output's last dimension). */
    private final int outRows;
    private final int outCols;
    /**
     * The first planned step whose layers hold weights that train: nobody needs the input gradient
     * of the steps up to it (the preprocessing layers at a model's input, a leading Flatten, frozen
     * layers at the bottom of a fine-tuned model), so they get none, and the steps before it run no
     * backward pass at all.
     */
    private final int firstTrainable;
    /** The planned steps with batch sums, in order: where training phases end. */
    private final int[] sumSteps;
    /** The plan's steps, in order: what {@link #prepare} brings up to date. */
    private final Step[] prepared;
    /** [task]: the step and part of each task of the current preparation (grown by the first one). */
    private int[] preparedStep = new int[0];
    private int[] preparedPart = new int[0];
    private final WorkerPool pool;
    private final ShardState[] shards;
    /** One per worker, or null when every shard has its own (models with batch sums). */
    private final Buffers[] workerBuffers;
    private final Scratch[] scratch;

    // the reduce-and-update chunks: parameter index and value range of each
    private final List<Parameter> params;
    private final int[] chunkParam;
    private final int[] chunkFrom;
    private final int[] chunkTo;
    /** [c]: the sum of squares of chunk c's reduced gradient, when the optimizer clips by norm */
    private final double[] chunkSquares;
    /** The optimizer the two arrays below are for: the last one applied (remade when another comes). */
    private Optimizer mapped;
    /** [p]: the optimizer's index of the model's parameter p, or -1 for a parameter it does not train. */
    private int[] trainedIndex;
    /** [i]: the sum of squares of the optimizer's parameter i's gradient, its chunks' sums added in chunk order */
    private double[] paramSquares;

    // the current job, read by the tasks (set before each pool run, so tasks allocate nothing)
    private Dataset jobData;
    private int[] jobOrder;
    private int jobFrom;
    private int jobCount;
    private long jobNoiseSeed;
    private Objective jobObjective;
    private Optimizer jobOptimizer;
    private float[] jobInput;
    private float[] jobOutput;
    private int jobPhase;
    /** The batch's shard number of this engine's shard 0: non-zero when it computes one shard of a batch run elsewhere. */
    private int jobShardBase;
    /** [s][p]: the gradients that {@link #applyUpdate} sums, s in shard order */
    private float[][][] reduceSource;
    private int reduceCount;
    private final float[][][] ownGradients;

    /**
     * What the last batch measured: its summed loss (each sample's weight times its loss, over the
     * samples), the summed weight of its rows, and [k] the weighted sum of metric k of the job's
     * objective; the weight penalties' loss, for a training batch.
     */
    double stepLossSum;
    double stepWeightSum;
    final double[] stepMetricSums = new double[Metric.values().length];
    double stepRegularization;
    /** How many shards the last training batch used: the ones whose gradients hold its contribution. */
    private int usedShards;

    private final WorkerPool.Task prepareTask = this::preparePart;
    private final WorkerPool.Task trainPhase = this::trainPhase;
    private final WorkerPool.Task forwardShard = this::forwardShard;
    private final WorkerPool.Task reduceAndUpdate = this::reduceAndUpdate;
    private final WorkerPool.Task reduceAndSquare = this::reduceAndSquare;
    private final WorkerPool.Task update = this::update;

    /** Decides when to leave the starter; null for an engine that runs on its own path from the start. */
    private final PathSwitch pathSwitch;
    /** The engine on the switch's start path that runs batches until the switch; null once switched or without one. */
    private BatchEngine starter;
    /** The engine that ran the last batch: the starter or this one; {@link #applyUpdate} applies its gradients. */
    private BatchEngine ran = this;

    /**
     * An engine for batches of up to {@code capacity} images.
     *
     * @param lossActivation the output activation through which the training loss gives its
     *     gradient (see {@link io.github.purecnn.losses.Loss#fusedActivation}); null for none and for inference
     */
    BatchEngine(List<Layer> layers, int capacity, Kernels kernels, int threads, Activation lossActivation) {
        this(layers, capacity, kernels, threads, lossActivation, null);
    }

    /**
     * An engine for batches of up to {@code capacity} images that starts on the path of
     * {@code pathSwitch} (when not null) and moves to {@code kernels} when it says so.
     */
    BatchEngine(List<Layer> layers, int capacity, Kernels kernels, int threads, Activation lossActivation,
                PathSwitch pathSwitch) {
        this.pathSwitch = pathSwitch;
        this.starter = pathSwitch == null ? null
                : new BatchEngine(layers, capacity, pathSwitch.start(), threads, lossActivation, null);
        this.layers = layers;
        this.inSize = layers.get(0).inputShape().size();
        io.github.purecnn.tensor.Shape out = layers.get(layers.size() - 1).outputShape();
        this.outSize = out.size();
        this.outCols = out.dim(out.rank() - 1);
        this.outRows = outSize / outCols;
        this.plan = Planner.plan(layers, kernels, lossActivation);
        this.fused = Planner.fuses(layers, lossActivation) ? lossActivation : null;
        this.firstTrainable = firstTrainable(layers, plan);
        this.sumSteps = sumSteps(plan);
        this.prepared = plan.stream().map(Planner.Planned::step).filter(java.util.Objects::nonNull).toArray(Step[]::new);
        long widest = inSize;
        for (Layer l : layers) {
            widest = Math.max(widest, l.outputShape().size());
        }
        if (capacity < 1 || (long) Math.min(capacity, SHARD_SIZE) * widest > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a batch of " + capacity + " needs shard buffers of "
                    + Math.min(capacity, SHARD_SIZE) + " x " + widest + " floats, more than one array holds");
        }
        int shardCount = (capacity + SHARD_SIZE - 1) / SHARD_SIZE;
        int shardCapacity = Math.min(SHARD_SIZE, capacity);
        this.shards = new ShardState[shardCount];
        for (int s = 0; s < shardCount; s++) {
            shards[s] = new ShardState(Math.min(SHARD_SIZE, capacity - s * SHARD_SIZE));
        }
        this.pool = new WorkerPool(Math.max(1, Math.min(threads, shardCount)));
        this.scratch = new Scratch[pool.threads()];
        for (int w = 0; w < scratch.length; w++) {
            scratch[w] = Planner.newScratch(plan, shardCapacity);
        }
        if (sumSteps.length == 0) {
            workerBuffers = new Buffers[pool.threads()];
            for (int w = 0; w < workerBuffers.length; w++) {
                workerBuffers[w] = new Buffers(shardCapacity);
            }
        } else {
            workerBuffers = null;
            for (ShardState s : shards) {
                s.buffers = new Buffers(s.capacity);
            }
        }
        prepare();
        this.ownGradients = new float[shardCount][][];
        for (int s = 0; s < shardCount; s++) {
            ownGradients[s] = shards[s].paramGrads;
        }
        this.params = new ArrayList<>();
        for (Layer l : layers) {
            params.addAll(l.trainableWeights());
        }
        List<int[]> chunks = new ArrayList<>();
        for (int p = 0; p < params.size(); p++) {
            for (int from = 0; from < params.get(p).size(); from += CHUNK) {
                chunks.add(new int[] {p, from, Math.min(from + CHUNK, params.get(p).size())});
            }
        }
        chunkParam = new int[chunks.size()];
        chunkFrom = new int[chunks.size()];
        chunkTo = new int[chunks.size()];
        for (int c = 0; c < chunks.size(); c++) {
            chunkParam[c] = chunks.get(c)[0];
            chunkFrom[c] = chunks.get(c)[1];
            chunkTo[c] = chunks.get(c)[2];
        }
        chunkSquares = new double[chunks.size()];
    }

    private static int[] sumSteps(List<Planner.Planned> plan) {
        return IntStream.range(0, plan.size())
                .filter(i -> plan.get(i).step() != null && plan.get(i).step().batchSums() != null)
                .toArray();
    }

    /** The largest batch this engine can take. */
    int capacity() {
        int total = 0;
        for (ShardState s : shards) {
            total += s.capacity;
        }
        return total;
    }

    int threads() {
        return pool.threads();
    }

    /** What runs, one line per step: for the log. */
    String describe() {
        return starter == null ? describeSteps()
                : describeSteps() + " (the first batches on " + starter.describeSteps() + ")";
    }

    private String describeSteps() {
        StringBuilder sb = new StringBuilder();
        for (Planner.Planned p : plan) {
            if (p.step() != null) {
                sb.append(sb.length() == 0 ? "" : "; ").append(p.step().describe());
            }
        }
        return sb.toString();
    }

    /**
     * One shard's share of a batch: which images it holds, the steps' shards (with their caches
     * and this shard's parameter gradients), its partial batch sums, and what its images measured.
     */
    private final class ShardState {
        final int capacity;
        final Step.Shard[] stepShards;      // [i] planned step i's shard; null where it only reshapes
        final float[][] paramGrads;         // [p] this shard's gradient of the model's parameter p
        final double[][] forwardSums;       // [k] this shard's forward sums for sumSteps[k]
        final double[][] backwardSums;      // [k] this shard's backward sums for sumSteps[k]
        Buffers buffers;                    // its own activations, in models with batch sums
        int count;                          // images in this shard for the current batch
        double lossSum;                     // the weighted loss sum of its images
        double weightSum;                   // the summed weight of its images' rows
        final double[] metricSums = new double[Metric.values().length];  // [k] metric k's weighted sum

        ShardState(int capacity) {
            this.capacity = capacity;
            stepShards = new Step.Shard[plan.size()];
            List<float[]> grads = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                Step step = plan.get(i).step();
                if (step != null) {
                    stepShards[i] = step.newShard(capacity);
                    grads.addAll(List.of(stepShards[i].grads()));
                }
            }
            paramGrads = grads.toArray(new float[0][]);
            forwardSums = new double[sumSteps.length][];
            backwardSums = new double[sumSteps.length][];
            for (int k = 0; k < sumSteps.length; k++) {
                BatchSums sums = plan.get(sumSteps[k]).step().batchSums();
                forwardSums[k] = new double[sums.forwardTotals().length];
                backwardSums[k] = new double[sums.backwardTotals().length];
            }
        }
    }

    /**
     * The activation and gradient buffers of one shard's passes, sized for a shard. Without batch
     * sums a shard's forward and backward run on one worker, one after the other, so the shards a
     * worker runs take turns with the worker's set: it stays in that core's cache from shard to shard.
     */
    private final class Buffers {
        final float[] input;                // (shard, input shape)
        final float[][] activations;        // [i] (shard, output shape of planned step i); a reshape shares its input's
        final float[][] gradients;          // [i] (shard, output shape of planned step i): d loss / d activations[i]
        final Truth truth;                  // (shard): targets and weights

        Buffers(int capacity) {
            input = new float[capacity * inSize];
            activations = new float[plan.size()][];
            gradients = new float[plan.size()][];
            float[] prev = input;
            float[] prevGrad = null;
            for (int i = 0; i < plan.size(); i++) {
                Planner.Planned p = plan.get(i);
                int size = capacity * layers.get(p.last()).outputShape().size();
                if (p.step() == null) {
                    activations[i] = prev;
                    gradients[i] = prevGrad != null ? prevGrad : new float[size];
                } else {
                    activations[i] = new float[size];
                    gradients[i] = new float[size];
                }
                prev = activations[i];
                prevGrad = gradients[i];
            }
            truth = new Truth(capacity, outRows, outCols);
        }

        float[] output() {
            return activations[plan.size() - 1];
        }

        /** The input of planned step i. */
        float[] in(int i) {
            return i == 0 ? input : activations[i - 1];
        }

        /** Runs planned steps [from, to) forward. */
        void forward(ShardState s, int from, int to, boolean training, long noiseSeed, Scratch scratch) {
            for (int i = from; i < to; i++) {
                if (s.stepShards[i] != null) {
                    s.stepShards[i].forward(activations[i], in(i), s.count, training, noiseSeed + plan.get(i).first(), scratch);
                }
            }
        }

        /** Runs planned steps (downTo .. from], from the last, backward; none below {@link #firstTrainable}. */
        void backward(ShardState s, int from, int downTo, Scratch scratch) {
            for (int i = from; i > Math.max(downTo, firstTrainable - 1); i--) {
                if (s.stepShards[i] == null) {
                    continue;
                }
                // Only layers with weights that train need gradients: none below the first of them reads one.
                float[] dIn = i <= firstTrainable ? null : gradients[i - 1];
                s.stepShards[i].backward(dIn, gradients[i], in(i), activations[i], s.count, scratch);
            }
        }
    }

    /** The first planned step whose layers hold weights that train; the plan's size if none does. */
    static int firstTrainable(List<Layer> layers, List<Planner.Planned> plan) {
        for (int i = 0; i < plan.size(); i++) {
            Planner.Planned p = plan.get(i);
            if (p.step() != null && Planner.holdsTrainableWeights(layers, p.first(), p.last())) {
                return i;
            }
        }
        return plan.size();
    }

    /**
     * Lets every step bring what it derives from the parameters up to date (see
     * {@link Step#prepareParts}), each part a task on the engine's threads: the repacking after each
     * update (a dense layer's transposed kernel, whose writes wait on the other core's copies of
     * the lines) would otherwise keep all threads but one waiting.
     */
    private void prepare() {
        int tasks = 0;
        for (int i = 0; i < prepared.length; i++) {
            int parts = prepared[i].prepareParts();
            if (tasks + parts > preparedStep.length) {       // only while the first preparation counts the parts
                preparedStep = java.util.Arrays.copyOf(preparedStep, tasks + parts);
                preparedPart = java.util.Arrays.copyOf(preparedPart, tasks + parts);
            }
            for (int part = 0; part < parts; part++, tasks++) {
                preparedStep[tasks] = i;
                preparedPart[tasks] = part;
            }
        }
        pool.run(tasks, prepareTask);
    }

    private void preparePart(int task, int worker) {
        prepared[preparedStep[task]].prepare(preparedPart[task]);
    }

    /** Cuts a batch of n images into the shards; returns how many shards it uses. */
    private int assign(int n) {
        int used = 0;
        int remaining = n;
        for (ShardState s : shards) {
            s.count = Math.min(s.capacity, remaining);
            remaining -= s.count;
            if (s.count > 0) {
                used++;
            }
        }
        if (remaining > 0) {
            throw new IllegalArgumentException("batch of " + n + " exceeds the engine's capacity " + capacity());
        }
        return used;
    }

    /** The shard's first image's offset within the batch: every shard but the last is full. */
    private static int offsetOf(int shard) {
        return shard * SHARD_SIZE;
    }

    private Buffers buffers(int shard, int worker) {
        return workerBuffers == null ? shards[shard].buffers : workerBuffers[worker];
    }

    /** Adds up the used shards' losses, weights and metric sums, in shard order, into the step's. */
    private void sumShards(int used) {
        int metrics = jobObjective == null ? 0 : jobObjective.metrics().length;
        stepLossSum = 0;
        stepWeightSum = 0;
        java.util.Arrays.fill(stepMetricSums, 0.0);
        for (int s = 0; s < used; s++) {
            stepLossSum += shards[s].lossSum;
            stepWeightSum += shards[s].weightSum;
            for (int k = 0; k < metrics; k++) {
                stepMetricSums[k] += shards[s].metricSums[k];
            }
        }
    }

    /** Shard b's loss, weight and metric sums over its outputs and truth. */
    private void measure(ShardState b, float[] out, Truth truth) {
        Objective o = jobObjective;
        b.lossSum = o.loss().sum(out, truth, b.count);
        b.weightSum = o.rowWeight(truth, b.count);
        Metric[] metrics = o.metrics();
        for (int k = 0; k < metrics.length; k++) {
            b.metricSums[k] = metrics[k].sum(out, truth, b.count);
        }
    }

    /**
     * The weight penalties' loss: each regularized parameter's penalty, added in the model's
     * parameter order, in double; 0 without regularizers.
     */
    double regularizationLoss() {
        double total = 0;
        for (Parameter p : params) {
            if (p.regularizer() != null) {
                total += p.regularizer().loss(p.value());
            }
        }
        return total;
    }

    // ---- training ----

    /**
     * Runs forward and backward over samples {@code order[from .. from+n)} of the objective's data
     * and leaves what the batch measured in the step's sums and {@link #stepRegularization}. The
     * parameters are untouched until {@link #applyUpdate} is called.
     */
    void computeGradients(Objective objective, int[] order, int from, int n, long noiseSeed) {
        if (onStarter()) {
            starter.computeGradients(objective, order, from, n, noiseSeed);
            takeMeasures(starter);
            stepRegularization = starter.stepRegularization;
            return;
        }
        int used = assign(n);
        usedShards = used;
        jobData = objective.data();
        jobObjective = objective;
        jobOrder = order;
        jobFrom = from;
        jobCount = n;
        jobNoiseSeed = noiseSeed;
        jobShardBase = 0;
        prepare();
        int m = sumSteps.length;
        for (int phase = 0; phase <= 2 * m; phase++) {
            jobPhase = phase;
            pool.run(used, trainPhase);
            if (phase < m) {
                BatchSums sums = plan.get(sumSteps[phase]).step().batchSums();
                addUp(sums.forwardTotals(), phase, true, used);
                sums.forwardTotalsReady();
            } else if (phase < 2 * m) {
                int k = 2 * m - 1 - phase;
                addUp(plan.get(sumSteps[k]).step().batchSums().backwardTotals(), k, false, used);
            }
        }
        sumShards(used);
        stepRegularization = regularizationLoss();
        jobData = null;
        jobObjective = null;
    }

    /** totals = the used shards' partial sums of sumSteps[k], added in shard order. */
    private void addUp(double[] totals, int k, boolean forward, int used) {
        java.util.Arrays.fill(totals, 0.0);
        for (int s = 0; s < used; s++) {
            double[] partial = forward ? shards[s].forwardSums[k] : shards[s].backwardSums[k];
            for (int i = 0; i < totals.length; i++) {
                totals[i] += partial[i];
            }
        }
    }

    /**
     * Phase {@link #jobPhase} of shard s's training pass. With m steps that need batch sums, phases
     * 0 .. m-1 run forward up to the next such step and write its partial forward sums; phase m
     * runs forward to the end, the loss and backward down to the last such step, writing its
     * partial backward sums; phases m+1 .. 2m run backward on from there.
     */
    private void trainPhase(int s, int worker) {
        ShardState b = shards[s];
        Buffers w = buffers(s, worker);
        Scratch sc = scratch[worker];
        int m = sumSteps.length;
        int phase = jobPhase;
        long noiseSeed = jobNoiseSeed + (jobShardBase + s) * 0x9E3779B97F4A7C15L;
        if (phase == 0) {
            int offset = offsetOf(jobShardBase + s);
            jobData.copyImages(jobOrder, jobFrom + offset, b.count, w.input);
            jobObjective.fill(w.truth, jobOrder, jobFrom + offset, b.count);
        }
        if (phase < m) {
            int from = phase == 0 ? 0 : sumSteps[phase - 1];
            int to = sumSteps[phase];
            w.forward(b, from, to, true, noiseSeed, sc);
            b.stepShards[to].forwardSums(b.forwardSums[phase], w.in(to), b.count);
            return;
        }
        int last = plan.size() - 1;
        if (phase == m) {
            w.forward(b, m == 0 ? 0 : sumSteps[m - 1], plan.size(), true, noiseSeed, sc);
            float[] out = w.output();
            measure(b, out, w.truth);
            // Keras averages the loss over the whole batch, so each image's gradient is scaled by 1 / batch size.
            float scale = 1f / jobCount;
            if (fused != null) {
                jobObjective.loss().backwardFused(w.gradients[last], out, w.truth, b.count, scale);
            } else {
                jobObjective.loss().backward(w.gradients[last], out, w.truth, b.count, scale);
            }
        }
        // backward: from the end (phase m) or from the sum step this phase resumes at
        int k = 2 * m - phase;                      // the sum step that ends this phase: sumSteps[k - 1]
        int from = phase == m ? last : sumSteps[k];
        int downTo = k == 0 ? -1 : sumSteps[k - 1];
        w.backward(b, from, downTo, sc);
        if (k > 0) {
            int i = sumSteps[k - 1];
            b.stepShards[i].backwardSums(b.backwardSums[k - 1], w.gradients[i], w.in(i), w.activations[i], b.count);
        }
    }

    /**
     * Computes shard {@code shard} of a batch of {@code batchSize} samples, {@code order[batchFrom ..]}
     * of the objective's data, exactly as {@link #computeGradients} computes that shard of the
     * whole batch: its gradients ({@link #shardGradients}) and its sums. For a batch whose shards
     * run on several machines; this engine needs the capacity of one shard.
     *
     * @throws UnsupportedOperationException for models whose steps need sums over the whole batch
     */
    void computeShard(Objective objective, int[] order, int batchFrom, int batchSize, int shard, long noiseSeed) {
        if (sumSteps.length > 0) {
            throw new UnsupportedOperationException("the shards of " + plan.get(sumSteps[0]).step().describe()
                    + " need sums over the whole batch, so they cannot be computed one by one");
        }
        int count = Math.min(SHARD_SIZE, batchSize - shard * SHARD_SIZE);
        if (shard < 0 || count < 1) {
            throw new IllegalArgumentException("a batch of " + batchSize + " images has no shard " + shard);
        }
        usedShards = assign(count);
        jobData = objective.data();
        jobObjective = objective;
        jobOrder = order;
        jobFrom = batchFrom;
        jobCount = batchSize;
        jobNoiseSeed = noiseSeed;
        jobShardBase = shard;
        jobPhase = 0;
        prepare();
        pool.run(1, trainPhase);
        sumShards(1);
        jobData = null;
        jobObjective = null;
    }

    /** The parameter gradients {@link #computeShard} computed, [p] in the model's parameter order (shared). */
    float[][] shardGradients() {
        return shards[0].paramGrads;
    }

    /** Sums the shards' parameter gradients into the parameters' gradient buffers and applies the optimizer. */
    void applyUpdate(Optimizer optimizer) {
        if (ran != this) {
            ran.applyUpdate(optimizer);
            return;
        }
        applyUpdate(optimizer, ownGradients, usedShards);
    }

    /**
     * Sums the given shards' gradients ([s][p], s in shard order, count of them) into the
     * parameters' gradient buffers and applies the optimizer, as for a batch computed here.
     *
     * <p>When the optimizer clips by norm it needs every gradient's norm before any update, so
     * the step runs in two passes over the chunks: the first reduces each chunk and sums its
     * squares (in double, in index order), then each parameter's sum of squares is its chunks'
     * sums added in chunk order, which fixes the clipping factors whatever thread ran which
     * chunk; the second pass updates. Otherwise one pass reduces and updates each chunk.
     */
    void applyUpdate(Optimizer optimizer, float[][][] shardGradients, int count) {
        map(optimizer);
        reduceSource = shardGradients;
        reduceCount = count;
        jobOptimizer = optimizer;
        optimizer.beginStep();
        if (optimizer.needsGradientNorms()) {
            pool.run(chunkParam.length, reduceAndSquare);
            java.util.Arrays.fill(paramSquares, 0.0);
            for (int c = 0; c < chunkParam.length; c++) {
                int i = trainedIndex[chunkParam[c]];
                if (i >= 0) {
                    paramSquares[i] += chunkSquares[c];
                }
            }
            optimizer.gradientSquares(paramSquares);
            pool.run(chunkParam.length, update);
        } else {
            pool.run(chunkParam.length, reduceAndUpdate);
        }
        jobOptimizer = null;
        for (Parameter p : params) {
            p.markChanged();
        }
    }

    /**
     * Which of the model's parameters the optimizer trains, and at which of its indices: it
     * updates exactly the parameters it was built with (the model's trainable ones); the chunks of
     * any other parameter are skipped, neither reduced nor updated.
     */
    private void map(Optimizer optimizer) {
        if (optimizer == mapped) {
            return;
        }
        List<Parameter> trained = optimizer.parameters();
        trainedIndex = new int[params.size()];
        for (int p = 0; p < params.size(); p++) {
            trainedIndex[p] = -1;
            for (int i = 0; i < trained.size(); i++) {
                if (trained.get(i) == params.get(p)) {
                    trainedIndex[p] = i;
                }
            }
        }
        paramSquares = new double[trained.size()];
        mapped = optimizer;
    }

    private void reduceAndUpdate(int c, int worker) {
        if (trainedIndex[chunkParam[c]] < 0) {
            return;
        }
        reduce(c);
        update(c, worker);
    }

    private void reduceAndSquare(int c, int worker) {
        if (trainedIndex[chunkParam[c]] < 0) {
            return;
        }
        reduce(c);
        float[] grad = params.get(chunkParam[c]).grad();
        double squares = 0;
        for (int i = chunkFrom[c]; i < chunkTo[c]; i++) {
            squares += (double) grad[i] * grad[i];
        }
        chunkSquares[c] = squares;
    }

    private void update(int c, int worker) {
        int i = trainedIndex[chunkParam[c]];
        if (i >= 0) {
            jobOptimizer.update(i, chunkFrom[c], chunkTo[c]);
        }
    }

    /**
     * Chunk c's gradient: the shards' gradients summed into the parameter's gradient buffer, then
     * its weight penalty's gradient added.
     */
    private void reduce(int c) {
        int p = chunkParam[c];
        int from = chunkFrom[c];
        int to = chunkTo[c];
        Parameter param = params.get(p);
        float[] grad = param.grad();
        // Shard order, always: the sum is the same whatever thread runs this chunk.
        System.arraycopy(reduceSource[0][p], from, grad, from, to - from);
        for (int s = 1; s < reduceCount; s++) {
            float[] g = reduceSource[s][p];
            for (int i = from; i < to; i++) {
                grad[i] += g[i];
            }
        }
        Regularizer penalty = param.regularizer();
        if (penalty != null) {
            penalty.addGradient(grad, param.value(), from, to);
        }
    }

    // ---- inference ----

    /**
     * Forward pass in inference mode over samples {@code from .. from+n)}, taken from {@code data}
     * or, when data is null, from {@code input} (all samples, input shape each). Predictions go to
     * the same rows of {@code output} (all samples, output size each) when it is not null. With an
     * objective (on data), leaves what the batch measured in the step's sums.
     */
    void forward(Dataset data, Objective objective, float[] input, int from, int n, float[] output) {
        if (onStarter()) {
            starter.forward(data, objective, input, from, n, output);
            takeMeasures(starter);
            return;
        }
        int used = assign(n);
        jobData = data;
        jobObjective = objective;
        jobInput = input;
        jobFrom = from;
        jobOutput = output;
        prepare();
        pool.run(used, forwardShard);
        sumShards(used);
        jobData = null;
        jobObjective = null;
        jobInput = null;
        jobOutput = null;
    }

    private void forwardShard(int s, int worker) {
        ShardState b = shards[s];
        Buffers w = buffers(s, worker);
        int offset = offsetOf(s);
        if (jobData != null) {
            jobData.copyImages(null, jobFrom + offset, b.count, w.input);
            if (jobObjective != null) {
                jobObjective.fill(w.truth, null, jobFrom + offset, b.count);
            }
        } else {
            System.arraycopy(jobInput, (jobFrom + offset) * inSize, w.input, 0, b.count * inSize);
        }
        w.forward(b, 0, plan.size(), false, 0, scratch[worker]);
        float[] out = w.output();
        if (jobOutput != null) {
            System.arraycopy(out, 0, jobOutput, (jobFrom + offset) * outSize, b.count * outSize);
        }
        if (jobObjective != null) {
            measure(b, out, w.truth);
        }
    }

    /**
     * Whether the batch about to run runs on the starter; closes the starter when the switch says
     * this batch is the first on this engine's own path.
     */
    private boolean onStarter() {
        if (starter != null && !pathSwitch.stayOnStart()) {
            starter.close();
            starter = null;
        }
        ran = starter == null ? this : starter;
        return starter != null;
    }

    /** Copies what the other engine's last batch measured (the loss, weight and metric sums) into this one's. */
    private void takeMeasures(BatchEngine other) {
        stepLossSum = other.stepLossSum;
        stepWeightSum = other.stepWeightSum;
        System.arraycopy(other.stepMetricSums, 0, stepMetricSums, 0, stepMetricSums.length);
    }

    @Override
    public void close() {
        if (starter != null) {
            starter.close();
        }
        pool.close();
    }
}
