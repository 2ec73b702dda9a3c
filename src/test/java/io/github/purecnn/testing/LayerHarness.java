package io.github.purecnn.testing;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.runtime.BatchSums;
import io.github.purecnn.runtime.Step;

/**
 * One built layer run on its own, as the engine runs it: its step on the given kernels, one shard
 * of up to {@code capacity} images, and a scratch of the size the step asks for. Every forward
 * pass first marks the layer's parameters changed and lets the step re-derive its packed copies,
 * so tests may write into the parameter arrays directly (finite differences do).
 *
 * <p>A step with batch sums (batch normalisation) runs in training as in a batch of this one
 * shard: its partial sums are the totals, and the once-per-batch work runs before the forward pass.
 */
public final class LayerHarness {
    private final Layer layer;
    private final Step step;
    private final Step.Shard shard;
    private final Scratch scratch;
    private final BatchSums sums;
    private final double[] forwardPartial;
    private final double[] backwardPartial;

    public LayerHarness(Layer layer, Kernels kernels, int capacity) {
        this(layer, kernels, capacity, false);
    }

    public LayerHarness(Layer layer, Kernels kernels, int capacity, boolean lossGivesPreActivationGradient) {
        this.layer = layer;
        this.step = layer.newStep(kernels, lossGivesPreActivationGradient);
        this.shard = step.newShard(capacity);
        this.scratch = new Scratch(step.scratchNeeds(), capacity);
        this.sums = step.batchSums();
        this.forwardPartial = sums == null ? null : new double[sums.forwardTotals().length];
        this.backwardPartial = sums == null ? null : new double[sums.backwardTotals().length];
    }

    public Step step() {
        return step;
    }

    public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
        for (Parameter p : layer.weights()) {
            p.markChanged();
        }
        step.prepare();
        if (sums != null && training) {
            shard.forwardSums(forwardPartial, in, n);
            System.arraycopy(forwardPartial, 0, sums.forwardTotals(), 0, forwardPartial.length);
            sums.forwardTotalsReady();
        }
        shard.forward(out, in, n, training, noiseSeed, scratch);
    }

    /** The backward pass after a forward pass in training. */
    public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n) {
        if (sums != null) {
            shard.backwardSums(backwardPartial, dOut, in, out, n);
            System.arraycopy(backwardPartial, 0, sums.backwardTotals(), 0, backwardPartial.length);
        }
        shard.backward(dIn, dOut, in, out, n, scratch);
    }

    /** The shard's gradients, one per trainable parameter of the layer, in order. */
    public float[][] grads() {
        return shard.grads();
    }
}
