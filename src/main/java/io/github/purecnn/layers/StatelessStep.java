package io.github.purecnn.layers;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.Step;

/**
 * The step of a layer without weights or per-shard state, whose passes are functions of their
 * arguments (padding, cropping, upsampling, LeakyReLU): every shard runs the same two methods.
 */
abstract class StatelessStep implements Step {
    private final String description;

    StatelessStep(Layer layer, String what) {
        this.description = layer.name() + ": " + what;
    }

    @Override
    public String describe() {
        return description;
    }

    /** out (n, output shape) writes; in (n, input shape) reads. */
    abstract void forward(float[] out, float[] in, int n);

    /** dIn (n, input shape) writes; dOut (n, output shape) reads, may be overwritten; out the forward pass's output. */
    abstract void backward(float[] dIn, float[] dOut, float[] out, int n);

    @Override
    public Step.Shard newShard(int capacity) {
        return new Step.Shard() {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                StatelessStep.this.forward(out, in, n);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                if (dIn != null) {
                    StatelessStep.this.backward(dIn, dOut, out, n);
                }
            }

            @Override
            public float[][] grads() {
                return NO_GRADS;
            }
        };
    }
}
