package io.github.purecnn.layers;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.ScratchNeeds;
import io.github.purecnn.runtime.Step;

/**
 * Two steps of one layer run one after the other through a per-shard buffer: a SeparableConv2D
 * is its depthwise convolution, then a 1x1 convolution over that. The parameter gradients are
 * the first step's, then the second's.
 */
final class ChainStep implements Step {
    private final Step first;
    private final Step second;
    private final int midPerImage;
    /** How many of the announced preparation's parts are the first step's. */
    private int firstParts;

    /** @param midPerImage floats per image of the first step's output, the second's input */
    ChainStep(Step first, Step second, int midPerImage) {
        this.first = first;
        this.second = second;
        this.midPerImage = midPerImage;
    }

    @Override
    public String describe() {
        return first.describe() + ", then " + second.describe();
    }

    @Override
    public ScratchNeeds scratchNeeds() {
        return ScratchNeeds.larger(first.scratchNeeds(), second.scratchNeeds());
    }

    @Override
    public int prepareParts() {
        firstParts = first.prepareParts();
        return firstParts + second.prepareParts();
    }

    /** The first step's parts, then the second's. */
    @Override
    public void prepare(int part) {
        if (part < firstParts) {
            first.prepare(part);
        } else {
            second.prepare(part - firstParts);
        }
    }

    @Override
    public Step.Shard newShard(int capacity) {
        Step.Shard a = first.newShard(capacity);
        Step.Shard b = second.newShard(capacity);
        // mid, dMid (capacity, the first step's output shape): its output and the gradient with respect to it
        float[] mid = new float[Math.multiplyExact(capacity, midPerImage)];
        float[] dMid = new float[mid.length];
        float[][] grads = new float[a.grads().length + b.grads().length][];
        System.arraycopy(a.grads(), 0, grads, 0, a.grads().length);
        System.arraycopy(b.grads(), 0, grads, a.grads().length, b.grads().length);
        return new Step.Shard() {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                a.forward(mid, in, n, training, noiseSeed, scratch);
                b.forward(out, mid, n, training, noiseSeed, scratch);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                b.backward(dMid, dOut, mid, out, n, scratch);
                a.backward(dIn, dMid, in, mid, n, scratch);
            }

            @Override
            public float[][] grads() {
                return grads;
            }
        };
    }
}
