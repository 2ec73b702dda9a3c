package io.github.purecnn.layers;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.Step;

/**
 * The step of a layer whose output is its input, reshaped, passed through an activation over the
 * last axis (Activation) or not (Flatten).
 */
final class CopyStep implements Step {
    private final Layer layer;
    private final Activation activation;
    private final boolean preActivationGradient;

    CopyStep(Layer layer, Activation activation, boolean preActivationGradient) {
        this.layer = layer;
        this.activation = activation;
        this.preActivationGradient = preActivationGradient;
    }

    @Override
    public String describe() {
        return layer.name() + ": " + activation.kerasName();
    }

    @Override
    public Step.Shard newShard(int capacity) {
        int size = layer.inputShape().size();
        int cols = layer.inputShape().dim(layer.inputShape().rank() - 1);
        return new Step.Shard() {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                if (out != in) {
                    System.arraycopy(in, 0, out, 0, n * size);
                }
                activation.forward(out, n * size / cols, cols);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                if (dIn == null) {
                    return;
                }
                if (dIn != dOut) {
                    System.arraycopy(dOut, 0, dIn, 0, n * size);
                }
                if (!preActivationGradient) {
                    activation.backward(dIn, out, in, n * size / cols, cols);
                }
            }

            @Override
            public float[][] grads() {
                return NO_GRADS;
            }
        };
    }
}
