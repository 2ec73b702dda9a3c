package io.github.purecnn.benchmarks.suite;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;

/**
 * The suite's networks and random images for benchmarks outside this package (the training-step
 * benchmarks live in the library's model package, beside the engine they drive).
 */
public final class SuiteNetworks {
    private SuiteNetworks() {
    }

    /** The model's layers, weights drawn from {@code seed}, not yet compiled. */
    public static Sequential network(SuiteModel model, long seed) {
        return model.layers(seed);
    }

    /** {@code count} random images of the model's input shape (pixels uniform in [0, 1)) with random labels. */
    public static Dataset randomImages(Sequential network, int count, long seed) {
        Shape in = network.inputShape();
        return SuiteData.randomImages(count, in, seed);
    }
}
