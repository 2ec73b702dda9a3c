package io.github.purecnn.testing;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.runtime.Step;

/**
 * One built layer run on its own, as the engine runs it: its step on the given kernels, one shard
 * of up to {@code capacity} images, and a scratch of the size the step asks for. Every forward
 * pass first marks the layer's parameters changed and lets the step re-derive its packed copies,
 * so tests may write into the parameter arrays directly (finite differences do).
 */
public final class LayerHarness {
    private final Layer layer;
    private final Step step;
    private final Step.Shard shard;
    private final Scratch scratch;

    public LayerHarness(Layer layer, Kernels kernels, int capacity) {
        this(layer, kernels, capacity, false);
    }

    public LayerHarness(Layer layer, Kernels kernels, int capacity, boolean lossGivesPreActivationGradient) {
        this.layer = layer;
        this.step = layer.newStep(kernels, lossGivesPreActivationGradient);
        this.shard = step.newShard(capacity);
        this.scratch = new Scratch(step.scratchFloats(capacity), step.scratchInts(capacity),
                step.scratchRows(capacity), step.scratchRowLength(capacity));
    }

    public Step step() {
        return step;
    }

    public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
        for (Parameter p : layer.parameters()) {
            p.markChanged();
        }
        step.prepare();
        shard.forward(out, in, n, training, noiseSeed, scratch);
    }

    public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n) {
        shard.backward(dIn, dOut, in, out, n, scratch);
    }

    public float[][] grads() {
        return shard.grads();
    }
}
