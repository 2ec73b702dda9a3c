package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Activations;

import java.util.Arrays;
import java.util.Locale;

/**
 * Element-wise (and, for softmax, row-wise) activation functions, by their Keras names, with
 * Keras 3's formulas (see {@link Activations}): {@code leaky_relu} has Keras's default slope 0.2
 * (the {@link LeakyReLU} layer takes any), {@code elu} alpha 1, {@code gelu} the exact form
 * (Keras's default {@code approximate=False}); {@code swish} is read as {@code silu}, the name
 * Keras 3 writes. Backward passes work from the activation's output, except GELU's and SiLU's,
 * which need its input ({@link #backwardNeedsInput}).
 */
public enum Activation {
    /** The identity (Keras's {@code None} or {@code "linear"}). */
    LINEAR,
    /** {@code max(x, 0)}. */
    RELU,
    /** {@code 1 / (1 + exp(-x))}. */
    SIGMOID,
    /** {@code tanh(x)}. */
    TANH,
    /** {@code exp(x) / sum(exp(x))} over the last axis. */
    SOFTMAX,
    /** {@code x} above 0, else {@code 0.2 x}. */
    LEAKY_RELU,
    /** {@code x} above 0, else {@code exp(x) - 1}. */
    ELU,
    /** {@code scale * elu(x, alpha)} with Keras's constants (scale 1.0507, alpha 1.6733). */
    SELU,
    /** {@code 0.5 x (1 + erf(x / sqrt 2))}, exact. */
    GELU,
    /** {@code x * sigmoid(x)}, also called swish. */
    SILU,
    /** {@code log(1 + exp(x))}. */
    SOFTPLUS,
    /** {@code x / 6 + 0.5} clipped to [0, 1]. */
    HARD_SIGMOID,
    /** {@code exp(x)}. */
    EXPONENTIAL;

    /** The slope below zero of the {@code leaky_relu} activation: Keras's default. */
    public static final float LEAKY_RELU_SLOPE = 0.2f;

    /**
     * The Keras spelling: {@code "relu"}, {@code "softmax"}, {@code "hard_sigmoid"}...
     *
     * @return the lower-case name Keras's configs use
     */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The activation of a Keras name ({@code "swish"} is {@code silu}).
     *
     * @param name a Keras activation name, such as {@code "relu"}, {@code "linear"} or {@code "swish"}
     * @return the activation of that name
     * @throws IllegalArgumentException naming the name and the ones known
     */
    public static Activation fromKerasName(String name) {
        if ("swish".equals(name)) {
            return SILU;
        }
        for (Activation a : values()) {
            if (a.kerasName().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name + "', expected one of "
                + String.join(", ", Arrays.stream(values()).map(Activation::kerasName).toList()) + " (or swish)");
    }

    /**
     * Whether the backward pass needs the activation's input besides its output (GELU, SiLU).
     *
     * @return true for GELU and SiLU, whose derivative is a function of the input, not of the output
     */
    @Internal
    public boolean backwardNeedsInput() {
        return this == GELU || this == SILU;
    }

    /** x (rows, cols) in place: z becomes activation(z). */
    void forward(float[] x, int rows, int cols) {
        int len = rows * cols;
        switch (this) {
            case LINEAR -> { }
            case RELU -> Activations.reluForward(x, 0, len);
            case SIGMOID -> Activations.sigmoidForward(x, 0, len);
            case TANH -> Activations.tanhForward(x, 0, len);
            case SOFTMAX -> Activations.softmaxForward(x, rows, cols);
            case LEAKY_RELU -> Activations.leakyReluForward(x, 0, len, LEAKY_RELU_SLOPE);
            case ELU -> Activations.eluForward(x, 0, len);
            case SELU -> Activations.seluForward(x, 0, len);
            case GELU -> Activations.geluForward(x, 0, len);
            case SILU -> Activations.siluForward(x, 0, len);
            case SOFTPLUS -> Activations.softplusForward(x, 0, len);
            case HARD_SIGMOID -> Activations.hardSigmoidForward(x, 0, len);
            case EXPONENTIAL -> Activations.exponentialForward(x, 0, len);
        }
    }

    /**
     * dy (rows, cols) in place: the gradient w.r.t. the output y becomes the gradient w.r.t. the
     * input z; z is read only where {@link #backwardNeedsInput} (and may be null elsewhere).
     */
    void backward(float[] dy, float[] y, float[] z, int rows, int cols) {
        int len = rows * cols;
        switch (this) {
            case LINEAR -> { }
            case RELU -> Activations.reluBackward(dy, y, 0, len);
            case SIGMOID -> Activations.sigmoidBackward(dy, y, 0, len);
            case TANH -> Activations.tanhBackward(dy, y, 0, len);
            case SOFTMAX -> Activations.softmaxBackward(dy, y, rows, cols);
            case LEAKY_RELU -> Activations.leakyReluBackward(dy, y, 0, len, LEAKY_RELU_SLOPE);
            case ELU -> Activations.eluBackward(dy, y, 0, len);
            case SELU -> Activations.seluBackward(dy, y, 0, len);
            case GELU -> Activations.geluBackward(dy, z, 0, len);
            case SILU -> Activations.siluBackward(dy, z, 0, len);
            case SOFTPLUS -> Activations.softplusBackward(dy, y, 0, len);
            case HARD_SIGMOID -> Activations.hardSigmoidBackward(dy, y, 0, len);
            case EXPONENTIAL -> Activations.exponentialBackward(dy, y, 0, len);
        }
    }
}
