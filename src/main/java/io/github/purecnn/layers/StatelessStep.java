package io.github.purecnn.layers;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.Step;

/**
 * The step of a layer without parameters whose shards keep nothing between their forward and
 * backward passes (Rescaling, Normalization, Resizing, ZeroPadding2D, Cropping2D, UpSampling2D,
 * LeakyReLU): one object is the step and every shard of it. Its passes read only their arguments and what the step holds, which changes only in
 * {@link #prepare}, so shards can share it across threads.
 */
abstract class StatelessStep implements Step, Step.Shard {
    private final Layer layer;
    private final String what;

    StatelessStep(Layer layer, String what) {
        this.layer = layer;
        this.what = what;
    }

    @Override
    public final String describe() {
        return layer.name() + ": " + what;
    }

    @Override
    public final Step.Shard newShard(int capacity) {
        return this;
    }

    @Override
    public final float[][] grads() {
        return NO_GRADS;
    }

    @Override
    public final void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
        if (dIn != null) {
            inputGradient(dIn, dOut, out, n);
        }
    }

    /**
     * dIn (n, input shape) writes: the gradient with respect to the input; dOut (n, output shape)
     * reads; out the forward pass's output.
     */
    abstract void inputGradient(float[] dIn, float[] dOut, float[] out, int n);
}
