package io.github.purecnn.model;

import io.github.purecnn.kernels.Padding;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.AveragePooling2D;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.tensor.Shape;

/** The seed tutorial's LeNet-like model, for tests. */
final class SeedModel {
    private SeedModel() {
    }

    static Sequential create(long seed) {
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
