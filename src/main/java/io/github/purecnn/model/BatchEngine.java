package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Optimizer;

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
 * <p>Where the kernels offer it, the first computing layer runs together with the pooling after it
 * ({@link Conv2D#newPooledShard}), and a Conv2D right after that pair hands it its input gradient
 * channel by channel ({@link #planarHandOver}): the gradient buffer between them then holds (n, C,
 * H, W) instead of NHWC. Nothing else reads that buffer.
 */
final class BatchEngine implements AutoCloseable {
    /** Images per shard: small enough that two or four threads share a batch of 64 evenly, large enough to keep kernels efficient. */
    static final int SHARD_SIZE = 16;
    /** Parameter values per reduction-and-update task. */
    private static final int CHUNK = 8192;

    private final List<Layer> layers;
    private final Kernels kernels;
    private final WorkerPool pool;
    private final ShardBuffers[] shards;
    private final WorkerBuffers[] workers;
    private final int inSize;
    private final int outSize;
    /** The first layer that computes something; those before it only reshape the input. */
    private final int firstComputing;
    /** Whether layer l runs with layer l + 1 in one shard (see {@link Conv2D#newPooledShard}). */
    private final boolean[] fusedWithNext;

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

    BatchEngine(List<Layer> layers, int capacity, Kernels kernels, int threads) {
        this.layers = layers;
        this.kernels = kernels;
        this.inSize = layers.get(0).inputShape().size();
        this.outSize = layers.get(layers.size() - 1).outputShape().size();
        this.firstComputing = firstComputing(layers);
        this.fusedWithNext = fusedWithNext(layers, kernels);
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

    /**
     * One shard's share of a batch: which images it holds, the layers' shards (with their caches
     * and this shard's parameter gradients), and what its images measured.
     */
    private final class ShardBuffers {
        final int capacity;
        final Layer.Shard[] layerShards;
        final float[][] paramGrads;         // [p] this shard's gradient of the model's parameter p
        int count;                          // images in this shard for the current batch
        double lossSum;                     // summed per-image loss of the current batch
        int correct;                        // images whose arg-max prediction equals the label

        ShardBuffers(int capacity) {
            this.capacity = capacity;
            layerShards = new Layer.Shard[layers.size()];
            List<float[]> grads = new ArrayList<>();
            for (int l = 0; l < layers.size(); l++) {
                layerShards[l] = newShard(layers, fusedWithNext, l, capacity, kernels);
                grads.addAll(List.of(layerShards[l].grads()));
            }
            paramGrads = grads.toArray(new float[0][]);
        }
    }

    /**
     * One worker's activation and gradient buffers, sized for a shard. A shard's forward and
     * backward run on one worker, one after the other, so the shards a worker runs can take turns
     * with one set: it stays in that core's cache from shard to shard.
     */
    private final class WorkerBuffers {
        final float[] input;                // (shard, input shape)
        final float[][] activations;        // [l] (shard, output shape of layer l); Flatten shares its input's
        final float[][] gradients;          // [l] (shard, output shape of layer l): d loss / d activations[l]
        final int[] labels;                 // (shard)

        WorkerBuffers(int capacity) {
            input = new float[capacity * inSize];
            activations = new float[layers.size()][];
            gradients = new float[layers.size()][];
            float[] prev = input;
            float[] prevGrad = null;
            for (int l = 0; l < layers.size(); l++) {
                Layer layer = layers.get(l);
                if (layer.reshapesOnly()) {
                    activations[l] = prev;
                    gradients[l] = prevGrad != null ? prevGrad : new float[capacity * layer.outputShape().size()];
                } else if (fusedWithNext[l]) {
                    // Its output stays inside the fused shard.
                    activations[l] = null;
                    gradients[l] = null;
                } else {
                    activations[l] = new float[capacity * layer.outputShape().size()];
                    gradients[l] = new float[capacity * layer.outputShape().size()];
                }
                prev = activations[l];
                prevGrad = gradients[l];
            }
            labels = new int[capacity];
        }

        float[] output() {
            return activations[layers.size() - 1];
        }

        void forward(ShardBuffers s, boolean training, long noiseSeed) {
            float[] in = input;
            for (int l = 0; l < layers.size(); l = lastOfRun(fusedWithNext, l) + 1) {
                int last = lastOfRun(fusedWithNext, l);
                if (!layers.get(l).reshapesOnly()) {
                    s.layerShards[l].forward(activations[last], in, s.count, training, noiseSeed + l);
                }
                in = activations[last];
            }
        }

        void backward(ShardBuffers s, boolean fused) {
            for (int last = layers.size() - 1; last >= 0; last = firstOfRun(fusedWithNext, last) - 1) {
                int l = firstOfRun(fusedWithNext, last);
                if (layers.get(l).reshapesOnly()) {
                    continue;
                }
                float[] in = l == 0 ? input : activations[l - 1];
                // Nobody reads the gradient of the input, nor of a reshaped view of it (a leading Flatten).
                float[] dIn = l <= firstComputing ? null : gradients[l - 1];
                boolean preActivation = fused && last == layers.size() - 1;
                s.layerShards[l].backward(dIn, gradients[last], in, activations[last], s.count, preActivation);
            }
        }
    }

    /** The first layer that computes something; those before it only reshape the input. */
    static int firstComputing(List<Layer> layers) {
        int first = 0;
        while (first < layers.size() - 1 && layers.get(first).reshapesOnly()) {
            first++;
        }
        return first;
    }

    /**
     * Whether each layer runs together with the next in one shard (see
     * {@link Conv2D#newPooledShard}). The fused pass computes no input gradient, so only the first
     * computing layer may.
     */
    static boolean[] fusedWithNext(List<Layer> layers, Kernels kernels) {
        boolean[] fused = new boolean[layers.size()];
        int first = firstComputing(layers);
        if (first + 1 < layers.size() && layers.get(first) instanceof Conv2D conv) {
            fused[first] = conv.fusesWith(layers.get(first + 1), kernels);
        }
        return fused;
    }

    /**
     * Layer l's shard: the one running it with layer l + 1 where {@code fused[l]}. A fused pair and
     * a Conv2D right after it pass the gradient between them in planes where the kernels allow.
     */
    static Layer.Shard newShard(List<Layer> layers, boolean[] fused, int l, int capacity, Kernels kernels) {
        if (fused[l]) {
            return ((Conv2D) layers.get(l)).newPooledShard(layers.get(l + 1), capacity, kernels,
                    planarHandOver(layers, fused, l + 2, kernels));
        }
        if (planarHandOver(layers, fused, l, kernels)) {
            return ((Conv2D) layers.get(l)).newShard(capacity, kernels, true);
        }
        return layers.get(l).newShard(capacity, kernels);
    }

    /** Whether layer l is a Conv2D right after a fused pair that takes its input gradient in planes. */
    static boolean planarHandOver(List<Layer> layers, boolean[] fused, int l, Kernels kernels) {
        return l >= 2 && l < layers.size() && fused[l - 2] && layers.get(l) instanceof Conv2D conv
                && conv.writesInputGradientPlanes(kernels);
    }

    /** The last layer of the run that starts at layer l: l itself, or l + 1 when fused with it. */
    static int lastOfRun(boolean[] fused, int l) {
        return fused[l] ? l + 1 : l;
    }

    /** The first layer of the run that ends at layer last. */
    static int firstOfRun(boolean[] fused, int last) {
        return last > 0 && fused[last - 1] ? last - 1 : last;
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
        int last = layers.size() - 1;
        boolean fused = jobLoss.fusesWithSoftmax() && layers.get(last).outputActivation() == Activation.SOFTMAX;
        // Keras averages the loss over the whole batch, so each image's gradient is scaled by 1 / batch size.
        float scale = 1f / jobCount;
        if (fused) {
            jobLoss.backwardThroughSoftmax(w.gradients[last], out, w.labels, b.count, outSize, scale);
        } else {
            jobLoss.backward(w.gradients[last], out, w.labels, b.count, outSize, scale);
        }
        w.backward(b, fused);
    }

    /** Sums the shards' parameter gradients into the parameters' gradient buffers and applies the optimizer. */
    void applyUpdate(Optimizer optimizer) {
        jobOptimizer = optimizer;
        optimizer.beginStep();
        pool.run(chunkParam.length, reduceAndUpdate);
        jobOptimizer = null;
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
        jobOptimizer.update(kernels, p, from, to);
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
