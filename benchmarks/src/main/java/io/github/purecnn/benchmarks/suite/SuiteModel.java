package io.github.purecnn.benchmarks.suite;

import io.github.purecnn.layers.Padding;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;

import java.util.Locale;

/**
 * The models of the speed suite, as Keras defines them, each with the batch size and the data
 * it trains on. Their PyTorch twins are in {@code benchmarks/pytorch/twins.py}, under the same
 * names; the suite's figures are meant to be read side by side with theirs.
 */
public enum SuiteModel {
    /** The seed tutorial's LeNet: the library's own {@link LeNet}; batch 64, MNIST. */
    LENET(64, SuiteData.MNIST) {
        @Override
        Sequential layers(long seed) {
            return LeNet.create(seed);
        }
    },
    /**
     * keras.io's {@code mnist_convnet}: Conv2D 32@3x3 relu, MaxPooling2D 2, Conv2D 64@3x3 relu,
     * MaxPooling2D 2, Flatten, Dropout 0.5, Dense 10 softmax; batch 128, MNIST.
     */
    CONVNET(128, SuiteData.MNIST) {
        @Override
        Sequential layers(long seed) {
            return new Sequential(seed, Shape.of(28, 28, 1),
                    new Conv2D(32, 3).activation(Activation.RELU),
                    new MaxPooling2D(2),
                    new Conv2D(64, 3).activation(Activation.RELU),
                    new MaxPooling2D(2),
                    new Flatten(),
                    new Dropout(0.5),
                    new Dense(10).activation(Activation.SOFTMAX));
        }
    },
    /**
     * All-convolutional, downsampling by strides instead of pooling: Conv2D 16@3x3 strides 2
     * 'same' relu, Conv2D 32@3x3 strides 2 'same' relu, Flatten, Dense 10 softmax; batch 64, MNIST.
     */
    STRIDED(64, SuiteData.MNIST) {
        @Override
        Sequential layers(long seed) {
            return new Sequential(seed, Shape.of(28, 28, 1),
                    new Conv2D(16, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU),
                    new Conv2D(32, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU),
                    new Flatten(),
                    new Dense(10).activation(Activation.SOFTMAX));
        }
    },
    /**
     * Keras's classic {@code cifar10_cnn}: Conv2D 32@3x3 'same' relu, Conv2D 32@3x3 relu,
     * MaxPooling2D 2, Dropout 0.25, Conv2D 64@3x3 'same' relu, Conv2D 64@3x3 relu, MaxPooling2D
     * 2, Dropout 0.25, Flatten, Dense 512 relu, Dropout 0.5, Dense 10 softmax; batch 32, random
     * 32x32x3 images (a speed test only).
     */
    CIFAR(32, SuiteData.RANDOM_CIFAR) {
        @Override
        Sequential layers(long seed) {
            return new Sequential(seed, Shape.of(32, 32, 3),
                    new Conv2D(32, 3).padding(Padding.SAME).activation(Activation.RELU),
                    new Conv2D(32, 3).activation(Activation.RELU),
                    new MaxPooling2D(2),
                    new Dropout(0.25),
                    new Conv2D(64, 3).padding(Padding.SAME).activation(Activation.RELU),
                    new Conv2D(64, 3).activation(Activation.RELU),
                    new MaxPooling2D(2),
                    new Dropout(0.25),
                    new Flatten(),
                    new Dense(512).activation(Activation.RELU),
                    new Dropout(0.5),
                    new Dense(10).activation(Activation.SOFTMAX));
        }
    };

    private final int batchSize;
    private final SuiteData data;

    SuiteModel(int batchSize, SuiteData data) {
        this.batchSize = batchSize;
        this.data = data;
    }

    /** The model's layers, weights drawn from {@code seed}, not yet compiled. */
    abstract Sequential layers(long seed);

    /** The name the command line and the PyTorch twins use: {@code lenet}, {@code convnet}, ... */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Images per training step, as in the model's Keras original. */
    public int batchSize() {
        return batchSize;
    }

    /** What the model trains on. */
    public SuiteData data() {
        return data;
    }

    /** The model named {@code key}, as {@link #key()} spells it. */
    public static SuiteModel of(String key) {
        for (SuiteModel m : values()) {
            if (m.key().equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown model '" + key + "': expected one of " + keys());
    }

    /** Every model's key, comma-separated. */
    public static String keys() {
        StringBuilder s = new StringBuilder();
        for (SuiteModel m : values()) {
            s.append(s.length() == 0 ? "" : ",").append(m.key());
        }
        return s.toString();
    }
}
