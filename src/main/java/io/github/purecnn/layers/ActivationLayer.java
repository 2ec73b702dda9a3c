package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An activation as a layer of its own, Keras's {@code Activation('relu')}. Softmax normalises
 * over the last axis.
 */
public final class ActivationLayer extends Layer {
    private final Activation activation;

    public ActivationLayer(Activation activation) {
        this.activation = java.util.Objects.requireNonNull(activation, "activation");
    }

    @Override
    public String typeName() {
        return "Activation";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("activation", activation.kerasName());
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        return input;
    }

    @Override
    public Activation outputActivation() {
        return activation;
    }

    @Override
    public Shard newShard(int capacity, Kernels k) {
        int cols = inputShape().dim(inputShape().rank() - 1);
        int size = inputShape().size();
        return new Shard(parameters()) {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
                System.arraycopy(in, 0, out, 0, n * size);
                activation.forward(k, out, n * size / cols, cols);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, boolean dOutIsPreActivation) {
                if (dIn == null) {
                    return;
                }
                System.arraycopy(dOut, 0, dIn, 0, n * size);
                if (!dOutIsPreActivation) {
                    activation.backward(k, dIn, out, n * size / cols, cols);
                }
            }
        };
    }
}
