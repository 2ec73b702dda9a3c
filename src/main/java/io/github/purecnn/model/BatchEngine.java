package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.runtime.Step;

import java.util.ArrayList;
import java.util.List;

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
 */
final class BatchEngine implements AutoCloseable {
    /** Images per shard: small enough that two or four threads share a batch of 64 evenly, large enough to keep kernels efficient. */
    static final int SHARD_SIZE = 16;
    /** Parameter values per reduction-and-update task. */
    private static final int CHUNK = 8192;

    private final List<Layer> layers;
    private final List<Planner.Planned> plan;
    private final boolean fusedSoftmax;
    private final WorkerPool pool;
    private final ShardBuffers[] shards;
    private final WorkerBuffers[] workers;
    private final int inSize;
    private final int outSize;
    /** The first planned step that computes something; those before it only reshape the input. */
    private final int firstComputing;

    // the reduce-and-update chunks: parameter index and value range of each
    private final List<Parameter> params;
    private final int[] chunkParam;
    private final int[] chunkFrom;
    private final int[] chunkTo;

    // the current job, read by the tasks (set before each pool run, so tasks allocate nothing)
    private Dataset jobData;
    private int[] jobOrder;
    private int jobFrom;
    private int jobCount;
    private long jobNoiseSeed;
    private Loss jobLoss;
    private Optimizer jobOptimizer;
    private float[] jobInput;
    private float[] jobOutput;

    /** What the last batch measured: its summed loss and how many images it classified right. */
    double stepLossSum;
    int stepCorrect;
    /** How many shards the last training batch used: the ones whose gradients hold its contribution. */
    private int usedShards;

    private final WorkerPool.Task trainShard = this::trainShard;
    private final WorkerPool.Task forwardShard = this::forwardShard;
    private final WorkerPool.Task reduceAndUpdate = this::reduceAndUpdate;

    /**
     * An engine for batches of up to {@code capacity} images.
     *
     * @param lossFusesWithSoftmax the training loss gives the gradient with respect to a last
     *     softmax's input (see {@link Loss#fusesWithSoftmax}); false for inference
     */
    BatchEngine(List<Layer> layers, int capacity, Kernels kernels, int threads, boolean lossFusesWithSoftmax) {
        this.layers = layers;
        this.inSize = layers.get(0).inputShape().size();
        this.outSize = layers.get(layers.size() - 1).outputShape().size();
        this.plan = Planner.plan(layers, kernels, lossFusesWithSoftmax);
        this.fusedSoftmax = Planner.fusesSoftmax(layers, lossFusesWithSoftmax);
        this.firstComputing = firstComputing(plan);
        long widest = inSize;
        for (Layer l : layers) {
            widest = Math.max(widest, l.outputShape().size());
        }
        if (capacity < 1 || (long) Math.min(capacity, SHARD_SIZE) * widest > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a batch of " + capacity + " needs shard buffers of "
                    + Math.min(capacity, SHARD_SIZE) + " x " + widest + " floats, more than one array holds");
        }
        int shardCount = (capacity + SHARD_SIZE - 1) / SHARD_SIZE;
        this.shards = new ShardBuffers[shardCount];
        for (int s = 0; s < shardCount; s++) {
            shards[s] = new ShardBuffers(Math.min(SHARD_SIZE, capacity - s * SHARD_SIZE));
        }
        this.pool = new WorkerPool(Math.max(1, Math.min(threads, shardCount)));
        this.workers = new WorkerBuffers[pool.threads()];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new WorkerBuffers(shards[0].capacity);
        }
        prepare();
        this.params = new ArrayList<>();
        for (Layer l : layers) {
            params.addAll(l.parameters());
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
    }

    /** The largest batch this engine can take. */
    int capacity() {
        int total = 0;
        for (ShardBuffers s : shards) {
            total += s.capacity;
        }
        return total;
    }

    int threads() {
        return pool.threads();
    }

    /** What runs, one line per step: for the log. */
    String describe() {
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
     * and this shard's parameter gradients), and what its images measured.
     */
    private final class ShardBuffers {
        final int capacity;
        final Step.Shard[] stepShards;      // [i] planned step i's shard; null where it only reshapes
        final float[][] paramGrads;         // [p] this shard's gradient of the model's parameter p
        int count;                          // images in this shard for the current batch
        double lossSum;                     // summed per-image loss of the current batch
        int correct;                        // images whose arg-max prediction equals the label

        ShardBuffers(int capacity) {
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
        }
    }

    /**
     * One worker's activation and gradient buffers, sized for a shard, and its scratch. A shard's
     * forward and backward run on one worker, one after the other, so the shards a worker runs can
     * take turns with one set: it stays in that core's cache from shard to shard.
     */
    private final class WorkerBuffers {
        final float[] input;                // (shard, input shape)
        final float[][] activations;        // [i] (shard, output shape of planned step i); a reshape shares its input's
        final float[][] gradients;          // [i] (shard, output shape of planned step i): d loss / d activations[i]
        final int[] labels;                 // (shard)
        final Scratch scratch;              // what the steps' plans need during one call

        WorkerBuffers(int capacity) {
            input = new float[capacity * inSize];
            activations = new float[plan.size()][];
            gradients = new float[plan.size()][];
            float[] prev = input;
            float[] prevGrad = null;
            int scratchFloats = 0;
            int scratchInts = 0;
            for (int i = 0; i < plan.size(); i++) {
                Planner.Planned p = plan.get(i);
                int size = capacity * layers.get(p.last()).outputShape().size();
                if (p.step() == null) {
                    activations[i] = prev;
                    gradients[i] = prevGrad != null ? prevGrad : new float[size];
                } else {
                    activations[i] = new float[size];
                    gradients[i] = new float[size];
                    scratchFloats = Math.max(scratchFloats, p.step().scratchFloats(capacity));
                    scratchInts = Math.max(scratchInts, p.step().scratchInts(capacity));
                }
                prev = activations[i];
                prevGrad = gradients[i];
            }
            labels = new int[capacity];
            scratch = new Scratch(scratchFloats, scratchInts);
        }

        float[] output() {
            return activations[plan.size() - 1];
        }

        void forward(ShardBuffers s, boolean training, long noiseSeed) {
            float[] in = input;
            for (int i = 0; i < plan.size(); i++) {
                if (s.stepShards[i] != null) {
                    s.stepShards[i].forward(activations[i], in, s.count, training, noiseSeed + plan.get(i).first(), scratch);
                }
                in = activations[i];
            }
        }

        void backward(ShardBuffers s) {
            for (int i = plan.size() - 1; i >= 0; i--) {
                if (s.stepShards[i] == null) {
                    continue;
                }
                float[] in = i == 0 ? input : activations[i - 1];
                // Nobody reads the gradient of the input, nor of a reshaped view of it (a leading Flatten).
                float[] dIn = i <= firstComputing ? null : gradients[i - 1];
                s.stepShards[i].backward(dIn, gradients[i], in, activations[i], s.count, scratch);
            }
        }
    }

    /** The first planned step that computes something; those before it only reshape the input. */
    static int firstComputing(List<Planner.Planned> plan) {
        int first = 0;
        while (first < plan.size() - 1 && plan.get(first).step() == null) {
            first++;
        }
        return first;
    }

    /** Lets every step bring what it derives from the parameters up to date (see {@link Step#prepare}). */
    private void prepare() {
        for (Planner.Planned p : plan) {
            if (p.step() != null) {
                p.step().prepare();
            }
        }
    }

    /** Cuts a batch of n images into the shards; returns how many shards it uses. */
    private int assign(int n) {
        int used = 0;
        int remaining = n;
        for (ShardBuffers s : shards) {
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

    /** Adds up the used shards' losses and correct counts, in shard order, into {@link #stepLossSum} and {@link #stepCorrect}. */
    private void sumShards(int used) {
        double lossSum = 0;
        int correct = 0;
        for (int s = 0; s < used; s++) {
            lossSum += shards[s].lossSum;
            correct += shards[s].correct;
        }
        stepLossSum = lossSum;
        stepCorrect = correct;
    }

    // ---- training ----

    /**
     * Runs forward and backward over images {@code order[from .. from+n)} of {@code data} and
     * leaves the summed loss and correct count in {@link #stepLossSum} and {@link #stepCorrect}.
     * The parameters are untouched until {@link #applyUpdate} is called.
     */
    void computeGradients(Dataset data, int[] order, int from, int n, Loss loss, long noiseSeed) {
        int used = assign(n);
        usedShards = used;
        jobData = data;
        jobOrder = order;
        jobFrom = from;
        jobCount = n;
        jobLoss = loss;
        jobNoiseSeed = noiseSeed;
        prepare();
        pool.run(used, trainShard);
        sumShards(used);
        jobData = null;
    }

    private void trainShard(int s, int worker) {
        ShardBuffers b = shards[s];
        WorkerBuffers w = workers[worker];
        int offset = offsetOf(s);
        jobData.copyImages(jobOrder, jobFrom + offset, b.count, w.input);
        jobData.copyLabels(jobOrder, jobFrom + offset, b.count, w.labels);
        w.forward(b, true, jobNoiseSeed + s * 0x9E3779B97F4A7C15L);
        float[] out = w.output();
        b.lossSum = jobLoss.sum(out, w.labels, b.count, outSize);
        b.correct = countCorrect(out, w.labels, b.count, outSize);
        int last = plan.size() - 1;
        // Keras averages the loss over the whole batch, so each image's gradient is scaled by 1 / batch size.
        float scale = 1f / jobCount;
        if (fusedSoftmax) {
            jobLoss.backwardThroughSoftmax(w.gradients[last], out, w.labels, b.count, outSize, scale);
        } else {
            jobLoss.backward(w.gradients[last], out, w.labels, b.count, outSize, scale);
        }
        w.backward(b);
    }

    /** Sums the shards' parameter gradients into the parameters' gradient buffers and applies the optimizer. */
    void applyUpdate(Optimizer optimizer) {
        jobOptimizer = optimizer;
        optimizer.beginStep();
        pool.run(chunkParam.length, reduceAndUpdate);
        jobOptimizer = null;
        for (Parameter p : params) {
            p.markChanged();
        }
    }


    private void reduceAndUpdate(int c, int worker) {
        int p = chunkParam[c];
        int from = chunkFrom[c];
        int to = chunkTo[c];
        float[] grad = params.get(p).grad();
        // Shard order, always: the sum is the same whatever thread runs this chunk.
        System.arraycopy(shardGrad(0, p), from, grad, from, to - from);
        for (int s = 1; s < usedShards; s++) {
            float[] g = shardGrad(s, p);
            for (int i = from; i < to; i++) {
                grad[i] += g[i];
            }
        }
        jobOptimizer.update(p, from, to);
    }

    /** Parameter number p's gradient buffer in shard s. */
    private float[] shardGrad(int s, int p) {
        return shards[s].paramGrads[p];
    }

    // ---- inference ----

    /**
     * Forward pass in inference mode over images {@code from .. from+n)}, taken from {@code data}
     * or, when data is null, from {@code input} (all images, input shape each). Predictions go to
     * the same rows of {@code output} (all images, output size each) when it is not null. With a
     * loss and data, leaves the summed loss and correct count in {@link #stepLossSum} and
     * {@link #stepCorrect}.
     */
    void forward(Dataset data, float[] input, int from, int n, float[] output, Loss loss) {
        int used = assign(n);
        jobData = data;
        jobInput = input;
        jobFrom = from;
        jobOutput = output;
        jobLoss = loss;
        prepare();
        pool.run(used, forwardShard);
        sumShards(used);
        jobData = null;
        jobInput = null;
        jobOutput = null;
    }

    private void forwardShard(int s, int worker) {
        ShardBuffers b = shards[s];
        WorkerBuffers w = workers[worker];
        int offset = offsetOf(s);
        if (jobData != null) {
            jobData.copyImages(null, jobFrom + offset, b.count, w.input);
            jobData.copyLabels(null, jobFrom + offset, b.count, w.labels);
        } else {
            System.arraycopy(jobInput, (jobFrom + offset) * inSize, w.input, 0, b.count * inSize);
        }
        w.forward(b, false, 0);
        float[] out = w.output();
        if (jobOutput != null) {
            System.arraycopy(out, 0, jobOutput, (jobFrom + offset) * outSize, b.count * outSize);
        }
        if (jobLoss != null && jobData != null) {
            b.lossSum = jobLoss.sum(out, w.labels, b.count, outSize);
            b.correct = countCorrect(out, w.labels, b.count, outSize);
        } else {
            b.lossSum = 0;
            b.correct = 0;
        }
    }

    /** The number of rows whose largest value (first on ties) is at the label's position. */
    static int countCorrect(float[] pred, int[] labels, int n, int classes) {
        int correct = 0;
        for (int row = 0; row < n; row++) {
            if (argmax(pred, row * classes, classes) == labels[row]) {
                correct++;
            }
        }
        return correct;
    }

    static int argmax(float[] x, int base, int len) {
        int best = 0;
        for (int j = 1; j < len; j++) {
            if (x[base + j] > x[base + best]) {
                best = j;
            }
        }
        return best;
    }

    @Override
    public void close() {
        pool.close();
    }
}
