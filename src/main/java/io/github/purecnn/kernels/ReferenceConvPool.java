package io.github.purecnn.kernels;

import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.conv.ConvPoolPlan;
import io.github.purecnn.kernels.conv.ReferenceConv;
import io.github.purecnn.kernels.pool.PoolPlan;
import io.github.purecnn.kernels.pool.ReferencePool;

/**
 * The reference convolution with ReLU and the reference pooling, run one after the other through
 * scratch: the definition every one-pass {@link ConvPoolPlan} must equal, and the reference path's
 * own (so that the planner's fused step runs in every test on the reference kernels). It keeps the
 * convolution's output, after ReLU, for the backward pass; max pooling finds its argmax again from
 * it. The reference plans need no scratch, so this plan has all of it.
 */
public final class ReferenceConvPool implements ConvPoolPlan {
    private final ConvPlan conv;
    private final PoolPlan pool;

    public ReferenceConvPool(Window2D conv, int filters, Window2D pool, boolean max) {
        this.conv = new ReferenceConv(conv, filters);
        this.pool = max ? ReferencePool.max(pool) : ReferencePool.average(pool);
    }

    @Override
    public String name() {
        return conv.name() + " + " + pool.name();
    }

    @Override
    public Window2D conv() {
        return conv.geometry();
    }

    @Override
    public int filters() {
        return conv.filters();
    }

    @Override
    public Window2D pool() {
        return pool.geometry();
    }

    @Override
    public int packedSize() {
        return conv.packedSize();
    }

    @Override
    public void pack(float[] packed, float[] kernel) {
        conv.pack(packed, kernel);
    }

    private int convOutSize(int n) {
        return n * conv.geometry().outPixels() * conv.filters();
    }

    /** The gradient of the convolution's output. */
    @Override
    public int scratchFloats(int n) {
        return convOutSize(n);
    }

    /** The argmax of max pooling. */
    @Override
    public int scratchInts(int n) {
        return n * pool.geometry().outPixels() * pool.geometry().channels();
    }

    @Override
    public int savedSize() {
        return conv.geometry().outPixels() * conv.filters();
    }

    @Override
    public void forward(float[] pooled, float[] saved, float[] in, float[] kernel, float[] packed, float[] bias, int n, Scratch scratch) {
        conv.forward(saved, in, kernel, packed, bias, true, n, scratch);
        pool.forward(pooled, scratch.ints(), saved, n);
    }

    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dPooled, float[] saved, float[] in, int n, Scratch scratch) {
        float[] dConv = scratch.floats();
        if (pool.recordsArgmax()) {
            // the argmax again, from the kept output; the pooled values land in dConv and are overwritten below
            pool.forward(dConv, scratch.ints(), saved, n);
        }
        pool.backward(dConv, dPooled, scratch.ints(), n);
        Activations.reluBackward(dConv, saved, 0, convOutSize(n));
        conv.backwardParams(dKernel, dBias, dConv, in, n, scratch);
    }
}
