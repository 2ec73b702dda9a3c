package io.github.purecnn.layers;

import io.github.purecnn.kernels.Activations;

import java.util.Locale;

/**
 * Element-wise (and, for softmax, row-wise) activation functions, by their Keras names. Every
 * backward pass is computed from the activation's output alone, so layers keep no
 * pre-activation copy.
 */
public enum Activation {
    LINEAR, RELU, SIGMOID, TANH, SOFTMAX;

    /** The Keras spelling: {@code "relu"}, {@code "softmax"}, ... */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Activation fromKerasName(String name) {
        for (Activation a : values()) {
            if (a.kerasName().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + name
                + "', expected one of linear, relu, sigmoid, tanh, softmax");
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
        }
    }

    /** dy (rows, cols) in place: the gradient w.r.t. the output y becomes the gradient w.r.t. z. */
    void backward(float[] dy, float[] y, int rows, int cols) {
        int len = rows * cols;
        switch (this) {
            case LINEAR -> { }
            case RELU -> Activations.reluBackward(dy, y, 0, len);
            case SIGMOID -> Activations.sigmoidBackward(dy, y, 0, len);
            case TANH -> Activations.tanhBackward(dy, y, 0, len);
            case SOFTMAX -> Activations.softmaxBackward(dy, y, rows, cols);
        }
    }
}
