package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.Map;

/**
 * Flattens each sample to a vector in height-width-channel order, as Keras does for NHWC data,
 * so Dense kernels keep Keras's layout. Changes only the shape: the model lets input and output
 * share one buffer.
 */
public final class Flatten extends Layer {
    /** A Flatten layer, Keras's {@code Flatten()}. */
    public Flatten() {
    }


    @Override
    public String typeName() {
        return "Flatten";
    }

    @Override
    protected Map<String, Object> arguments() {
        return Map.of();
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        return Shape.of(input.size());
    }

    @Override
    public boolean reshapesOnly() {
        return true;
    }

    /**
     * A copy; the model's engine runs no step for it and lets input and output share one buffer.
     *
     * @param k unused: a copy needs no kernel
     * @param lossGivesPreActivationGradient unused: the layer has no activation
     * @return a new step that copies its input to its output
     */
    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new CopyStep(this, Activation.LINEAR, false);
    }
}
