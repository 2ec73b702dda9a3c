package io.github.purecnn.runtime;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.ScratchNeeds;
/**
 * One step of a model's computation, as the batch engine runs it: a layer, or neighbouring layers
 * that the planner fused into one pass. A step is made once per model and batch capacity; it holds
 * what all shards share (the kernel plans, packed copies of the weights) and makes a {@link Shard}
 * per shard of the batch, which holds that shard's caches and parameter gradients.
 *
 * <p>The engine knows nothing else about a step: not which layers it runs nor how.
 */
public interface Step {

    /** The gradients of a shard whose layers have no parameters. */
    float[][] NO_GRADS = new float[0][];

    /** What runs, for logs and benchmarks: the layer names and their plans. */
    String describe();

    /**
     * What a call over n images needs of its thread's scratch; the engine gives each thread a
     * scratch of the largest needs of its steps.
     */
    default ScratchNeeds scratchNeeds() {
        return ScratchNeeds.NONE;
    }

    /**
     * Brings what the step derives from its parameters (packed kernels) up to date with their
     * current values, on the calling thread: {@link #prepareParts()}, then each part. Called
     * before each forward pass that follows a change of the parameters; it touches only the
     * step's own derived state.
     */
    default void prepare() {
        for (int part = 0, parts = prepareParts(); part < parts; part++) {
            prepare(part);
        }
    }

    /**
     * In how many parts the preparation due now runs (0 when the derived state is up to date),
     * each of which writes state of its own, so that the engine runs them on its threads at once
     * (a dense layer's transposed kernel is the size of its kernel, and repacked after every
     * update). Called once before the parts run: a step may count itself up to date from then on.
     */
    default int prepareParts() {
        return 0;
    }

    /** Part {@code part} of the preparation that {@link #prepareParts()} announced. */
    default void prepare(int part) {
    }

    /**
     * The sums over the whole batch that this step's training passes need between shards (see
     * {@link BatchSums}), or null when its shards work alone. With sums, training calls
     * {@link Shard#forwardSums} on every shard, then {@link Shard#forward}; and
     * {@link Shard#backwardSums}, then {@link Shard#backward}. Inference calls only forward.
     */
    default BatchSums batchSums() {
        return null;
    }

    /** The buffers of one shard of up to {@code capacity} images. */
    Shard newShard(int capacity);

    /** One shard's share of a step: its caches for the backward pass and its parameter gradients. */
    interface Shard {

        /**
         * out (n, output shape of the step's last layer) writes; in (n, input shape of its first) reads.
         *
         * @param noiseSeed seeds the randomness of this shard and step (dropout)
         * @param scratch   at least what {@link Step#scratchFloats} and {@link Step#scratchInts} asked for, owned by the calling thread
         */
        void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch);

        /**
         * Writes the parameter gradients into {@link #grads()} (whatever they held) and the input
         * gradient.
         *
         * @param dIn  (n, input shape) writes; null when nobody needs the input gradient
         * @param dOut (n, output shape) the gradient with respect to the output; may be overwritten
         * @param in   the input of the last forward pass
         * @param out  the output of the last forward pass
         */
        void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch);

        /** One gradient buffer per parameter of the step's layers, in their order. */
        float[][] grads();

        /**
         * Training, for a step with {@link Step#batchSums}: partial (the forward totals' size)
         * writes this shard's sums over its n images of input in.
         */
        default void forwardSums(double[] partial, float[] in, int n) {
            throw new UnsupportedOperationException("this step has no batch sums");
        }

        /**
         * Training, for a step with {@link Step#batchSums}, after its forward pass: partial (the
         * backward totals' size) writes this shard's sums over its n images, given dOut.
         */
        default void backwardSums(double[] partial, float[] dOut, float[] in, float[] out, int n) {
            throw new UnsupportedOperationException("this step has no batch sums");
        }
    }
}
