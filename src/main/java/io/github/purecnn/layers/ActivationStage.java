package io.github.purecnn.layers;

import io.github.purecnn.kernels.LinearPlan;

/**
 * The activation that ends a computing step (Conv2D, Dense, the depthwise and separable
 * convolutions): ReLU runs inside the plan's forward pass, on values still in registers; the
 * others run after it, in place over the output. GELU and SiLU need their input in the backward
 * pass, so for them the plan writes into a per-shard pre-activation buffer, which the forward
 * pass then activates into the output.
 */
final class ActivationStage {
    private final Activation activation;
    private final boolean preActivationGradient;
    private final int channels;

    /**
     * @param preActivationGradient the loss gives the gradient with respect to the activation's
     *     input (a softmax fused with cross-entropy): the backward pass skips the activation
     * @param channels the output's last dimension, over which softmax normalises
     */
    ActivationStage(Activation activation, boolean preActivationGradient, int channels) {
        this.activation = activation;
        this.preActivationGradient = preActivationGradient;
        this.channels = channels;
    }

    /** Whether the plan applies the activation itself (ReLU). */
    boolean inPlan() {
        return activation == Activation.RELU;
    }

    /** A shard's pre-activation buffer of {@code values} floats, or null when the backward pass needs none. */
    float[] newPreActivation(long values) {
        return activation.backwardNeedsInput() && !preActivationGradient ? new float[Math.toIntExact(values)] : null;
    }

    /** Where the plan writes its output: the pre-activation buffer if there is one, else the output. */
    static float[] planTarget(float[] out, float[] pre) {
        return pre == null ? out : pre;
    }

    /** out [0, len) writes: the activation of what the plan wrote (into pre, or into out itself). */
    void forward(float[] out, float[] pre, int len) {
        if (pre != null) {
            System.arraycopy(pre, 0, out, 0, len);
        }
        if (!inPlan()) {
            activation.forward(out, len / channels, channels);
        }
    }

    /**
     * dOut [0, len) in place: the gradient with respect to the output becomes that with respect to
     * the activation's input. ReLU's backward is the plan's (a path may run it on vectors).
     */
    void backward(float[] dOut, float[] out, float[] pre, int len, LinearPlan plan) {
        if (preActivationGradient) {
            return;
        }
        if (inPlan()) {
            plan.reluBackward(dOut, out, len);
        } else {
            activation.backward(dOut, out, pre, len / channels, channels);
        }
    }
}
