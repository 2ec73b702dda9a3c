package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An activation as a layer of its own, Keras's {@code Activation('relu')}. Softmax normalises
 * over the last axis.
 */
public final class ActivationLayer extends Layer {
    private final Activation activation;

    /**
     * Keras's {@code Activation} layer applying the given activation.
     *
     * @param activation the activation, Keras's {@code activation} argument
     * @throws NullPointerException if {@code activation} is null
     */
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

    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new CopyStep(this, activation, lossGivesPreActivationGradient);
    }
}
