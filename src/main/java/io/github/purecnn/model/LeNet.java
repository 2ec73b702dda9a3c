package io.github.purecnn.model;

import io.github.purecnn.layers.Padding;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.AveragePooling2D;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.tensor.Shape;

/**
 * The seed tutorial's LeNet-like network for 28 x 28 grey digits: two 3 x 3 convolutions (6 and
 * 16 filters, ReLU), each followed by 2 x 2 average pooling with "same" padding, then dense
 * layers of 120, 84 and 10 units, the last with softmax. 81,194 parameters. Its layer order and
 * weight layouts are those of the equivalent Keras model, so Keras weights load into it.
 */
public final class LeNet {
    private LeNet() {
    }

    /**
     * The network, uncompiled, its weights drawn from {@code seed}.
     *
     * @param seed the model's seed ({@link Sequential#seed()}): the same seed gives the same initial
     *     weights, shuffles and dropout
     * @return a new model for inputs (28, 28, 1) with 10 softmax outputs
     */
    public static Sequential create(long seed) {
        return new Sequential(seed, Shape.of(28, 28, 1),
                new Conv2D(6, 3).activation(Activation.RELU),
                new AveragePooling2D(2).padding(Padding.SAME),
                new Conv2D(16, 3).activation(Activation.RELU),
                new AveragePooling2D(2).padding(Padding.SAME),
                new Flatten(),
                new Dense(120).activation(Activation.RELU),
                new Dense(84).activation(Activation.RELU),
                new Dense(10).activation(Activation.SOFTMAX));
    }
}
