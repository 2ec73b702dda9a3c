package io.github.purecnn.spark;

import io.github.purecnn.layers.CustomLayer;
import io.github.purecnn.tensor.Shape;

import java.util.Map;

/**
 * The identity as a custom layer, for the test layers that look into (or break) a forward pass
 * where it runs: inside Spark tasks, which reach it only through the model file, so each
 * subclass registers its type for the executors to load it.
 */
abstract class IdentityProbe extends CustomLayer {
    /** What the subclass does before the forward pass copies its input; it may throw. */
    protected abstract void probe();

    @Override
    protected final Map<String, Object> arguments() {
        return Map.of();
    }

    @Override
    public final Shape computeOutputShape(Shape input) {
        return input;
    }

    @Override
    protected final void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
        probe();
        System.arraycopy(in, 0, out, 0, n * inputShape().size());
    }

    @Override
    protected final void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Gradients grads) {
        if (dIn != null) {
            System.arraycopy(dOut, 0, dIn, 0, n * inputShape().size());
        }
    }
}
