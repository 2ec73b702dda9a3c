package io.github.purecnn.model;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Inference for servers: a trained model's forward pass that any number of threads may call at
 * once, each call running on the calling thread. Made by {@link Sequential#predictor()}.
 * <pre>{@code
 * Predictor predictor = model.predictor();            // once, after training or loading
 * // in each request, on the request's thread:
 * Tensor probabilities = predictor.predict(image);    // (28, 28, 1) or (n, 28, 28, 1) -> (n, 10)
 * }</pre>
 *
 * <p><b>Weights: a snapshot.</b> The predictor holds its own copy of the model's layers and
 * weights, taken when it was made. Training the model afterwards, setting its weights or loading
 * others into it does not change what the predictor computes, and cannot tear a prediction in
 * the middle of a step; make a new predictor to serve the new weights (a server swaps it in with
 * an {@code AtomicReference} or a volatile field, and calls in flight finish on the old one).
 *
 * <p><b>Threads.</b> Every method may be called from any number of threads at once. A call runs
 * on the calling thread only: the predictor starts no thread, ever, and holds none, so there is
 * nothing to close. A call of n images runs them in shards of 16 on one <em>lane</em>: the
 * activation buffers, caches and scratch memory of a forward pass over 16 images. Lanes are made
 * when concurrent calls first need them and kept for the next calls, at most
 * {@link #maxConcurrentCalls()} of them; a call beyond that many at once waits (uninterruptibly,
 * for one forward pass) until a lane is free. So after warm-up a call allocates nothing but its
 * result ({@link #predict(float[], int, float[])} not even that), and the memory stays bounded
 * whatever the number of calling threads. The layers' packed weights are made once and shared by
 * all lanes, read-only.
 *
 * <p><b>Results.</b> The same bits as {@link Sequential#predict} of the model at the time the
 * predictor was made, for the same input, whatever the number of threads and lanes: the images
 * of a call are cut into the same shards of 16, run by the same kernels. One call of many images
 * uses one core; for a large batch that one caller scores alone, {@code Sequential.predict},
 * which spreads the shards over {@link Sequential#threads()} threads, is faster.
 */
public final class Predictor {
    private final String modelName;
    private final Shape inputShape;
    private final Shape outputShape;
    private final int inSize;
    private final int outSize;
    private final List<Layer> layers;
    private final List<Planner.Planned> plan;
    /** One permit per lane: how many calls run at once. */
    private final Semaphore permits;
    /** The idle lanes; a null slot holds none. */
    private final AtomicReferenceArray<Lane> idle;

    /**
     * A predictor over {@code snapshot}, a private copy of a model that nothing else changes.
     *
     * @param maxConcurrentCalls how many calls run at once, each on a lane of its own
     */
    Predictor(Sequential snapshot, int maxConcurrentCalls) {
        this.modelName = snapshot.name();
        this.inputShape = snapshot.inputShape();
        this.outputShape = snapshot.outputShape();
        this.inSize = inputShape.size();
        this.outSize = outputShape.size();
        this.layers = snapshot.layers();
        // The plan Sequential.predict makes: the same steps, hence the same bits.
        this.plan = Planner.plan(layers, snapshot.kernels(), null);
        for (Planner.Planned p : plan) {
            if (p.step() != null) {
                // Packs the weights, once: the snapshot's never change, so the steps stay read-only from here on.
                p.step().prepare();
            }
        }
        this.permits = new Semaphore(maxConcurrentCalls);
        this.idle = new AtomicReferenceArray<>(maxConcurrentCalls);
    }

    /**
     * The per-sample input shape, as the model's.
     *
     * @return the shape of one sample, without batch dimension
     */
    public Shape inputShape() {
        return inputShape;
    }

    /**
     * The per-sample output shape, as the model's.
     *
     * @return the shape of one sample's output, without batch dimension
     */
    public Shape outputShape() {
        return outputShape;
    }

    /**
     * How many calls run at once at most (the others wait for a lane), and how many lanes are kept.
     *
     * @return the limit given to {@link Sequential#predictor(int)}: the number of processors for
     *     {@link Sequential#predictor()}
     */
    public int maxConcurrentCalls() {
        return idle.length();
    }

    /**
     * The model's outputs for a batch {@code (n, input shape)}, or for one sample given without
     * batch dimension; always with a batch dimension, {@code (n, output shape)}: as
     * {@link Sequential#predict(Tensor)}, bit for bit.
     *
     * @param x samples of shape {@code (n, input shape)}, or one of the input shape
     * @return a new tensor of the outputs, {@code (n, output shape)}; n is 1 for a single sample
     * @throws IllegalArgumentException naming the model's input shape and the one given
     */
    public Tensor predict(Tensor x) {
        Objects.requireNonNull(x, "x");
        int n = Sequential.samplesIn(x, inputShape, modelName);
        Shape outShape = outputShape.withBatch(n);
        float[] out = new float[outShape.size()];
        run(x.data(), n, out);
        return new Tensor(outShape, out);
    }

    /**
     * Writes the outputs of {@code count} samples into {@code output}, allocating nothing: the
     * call for a server that keeps its own arrays.
     *
     * @param input  (count, input shape) reads, flat; may be longer
     * @param count  how many samples to run, from the start of {@code input}
     * @param output (count, output shape) writes, flat; may be longer, the rest is untouched
     * @throws IllegalArgumentException naming the sizes, when count is below 1 or an array is too short
     */
    public void predict(float[] input, int count, float[] output) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, found " + count);
        }
        if (input.length / inSize < count) {
            throw new IllegalArgumentException("input holds " + input.length + " floats, fewer than " + count
                    + " samples of shape " + inputShape + " (" + inSize + " floats each) that model '" + modelName + "' takes");
        }
        if (output.length / outSize < count) {
            throw new IllegalArgumentException("output holds " + output.length + " floats, fewer than " + count
                    + " outputs of shape " + outputShape + " (" + outSize + " floats each) of model '" + modelName + "'");
        }
        run(input, count, output);
    }

    private void run(float[] input, int n, float[] output) {
        permits.acquireUninterruptibly();
        Lane lane = null;
        try {
            lane = takeIdle();
            if (lane == null) {
                lane = new Lane();
            }
            for (int from = 0; from < n; from += BatchEngine.SHARD_SIZE) {
                lane.forward(input, from, Math.min(BatchEngine.SHARD_SIZE, n - from), output);
            }
        } finally {
            if (lane != null) {
                putIdle(lane);
            }
            // Only once the lane is back: the next caller to get a permit finds it idle, rather than make another.
            permits.release();
        }
    }

    private Lane takeIdle() {
        for (int i = 0; i < idle.length(); i++) {
            Lane lane = idle.get(i);
            if (lane != null && idle.compareAndSet(i, lane, null)) {
                return lane;
            }
        }
        return null;
    }

    private void putIdle(Lane lane) {
        for (int i = 0; i < idle.length(); i++) {
            if (idle.get(i) == null && idle.compareAndSet(i, null, lane)) {
                return;
            }
        }
        // Every slot taken: a lane made while another was being put back; this one is let go.
    }

    /** How many lanes are kept now (for tests). */
    int lanesKept() {
        int kept = 0;
        for (int i = 0; i < idle.length(); i++) {
            kept += idle.get(i) == null ? 0 : 1;
        }
        return kept;
    }

    /**
     * What one forward pass over up to 16 samples needs of its own: each step's shard (its
     * caches), the input and activation buffers, the scratch. Used by one call at a time.
     */
    private final class Lane {
        final Step.Shard[] stepShards;      // [i] planned step i's shard; null where it only reshapes
        final float[] input;                // (16, input shape)
        final float[][] activations;        // [i] (16, output shape of planned step i); a reshape shares its input's
        final Scratch scratch = Planner.newScratch(plan, BatchEngine.SHARD_SIZE);

        Lane() {
            int capacity = BatchEngine.SHARD_SIZE;
            input = new float[capacity * inSize];
            stepShards = new Step.Shard[plan.size()];
            activations = new float[plan.size()][];
            float[] prev = input;
            for (int i = 0; i < plan.size(); i++) {
                Planner.Planned p = plan.get(i);
                if (p.step() == null) {
                    activations[i] = prev;
                } else {
                    stepShards[i] = p.step().newShard(capacity);
                    activations[i] = new float[capacity * layers.get(p.last()).outputShape().size()];
                }
                prev = activations[i];
            }
        }

        /** Rows {@code from .. from+n)} of {@code in} forward, into the same rows of {@code out}; as the engine's inference shard. */
        void forward(float[] in, int from, int n, float[] out) {
            System.arraycopy(in, from * inSize, input, 0, n * inSize);
            float[] x = input;
            for (int i = 0; i < plan.size(); i++) {
                if (stepShards[i] != null) {
                    stepShards[i].forward(activations[i], x, n, false, plan.get(i).first(), scratch);
                }
                x = activations[i];
            }
            System.arraycopy(x, 0, out, from * outSize, n * outSize);
        }
    }
}
