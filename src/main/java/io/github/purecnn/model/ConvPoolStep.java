package io.github.purecnn.model;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.ScratchNeeds;
import io.github.purecnn.kernels.conv.ConvPoolPlan;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Pooling2D;
import io.github.purecnn.runtime.PackedKernel;
import io.github.purecnn.runtime.Step;

/**
 * A Conv2D with ReLU and the pooling after it, run as one pass by a {@link ConvPoolPlan}: the
 * planner's fusion for a model's first computing layer. It computes no input gradient, and no
 * gradient at all when the convolution is frozen.
 */
final class ConvPoolStep implements Step {
    private final Conv2D conv;
    private final Pooling2D pool;
    private final ConvPoolPlan plan;
    private final PackedKernel packed;

    ConvPoolStep(Conv2D conv, Pooling2D pool, ConvPoolPlan plan) {
        this.conv = conv;
        this.pool = pool;
        this.plan = plan;
        this.packed = new PackedKernel(plan.packedSize());
    }

    @Override
    public String describe() {
        return conv.name() + " + " + pool.name() + ": " + plan.name() + " " + plan.conv().describe() + " x" + plan.filters()
                + ", pool " + plan.pool().describe();
    }

    @Override
    public ScratchNeeds scratchNeeds() {
        return plan;
    }

    @Override
    public int prepareParts() {
        return packed.stale(conv.kernel().version()) ? 1 : 0;
    }

    @Override
    public void prepare(int part) {
        plan.pack(packed.values(), conv.kernel().value());
    }

    @Override
    public Step.Shard newShard(int capacity) {
        // saved (capacity, plan.savedSize()): what the forward pass keeps for the backward pass
        float[] saved = new float[Math.multiplyExact(capacity, plan.savedSize())];
        float[] kernel = conv.kernel().value();
        float[] bias = conv.bias() == null ? null : conv.bias().value();
        boolean trains = conv.isTrainable();
        float[][] grads = !trains ? NO_GRADS : bias == null ? new float[][] {new float[kernel.length]}
                : new float[][] {new float[kernel.length], new float[bias.length]};
        return new Step.Shard() {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                plan.forward(out, saved, in, kernel, packed.values(), bias, n, scratch);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                if (dIn != null) {
                    throw new IllegalStateException(describe() + " computes no input gradient: it runs only as a first layer");
                }
                if (trains) {
                    plan.backwardParams(grads[0], bias == null ? null : grads[1], dOut, saved, in, n, scratch);
                }
            }

            @Override
            public float[][] grads() {
                return grads;
            }
        };
    }
}
