package io.github.purecnn.cli;

import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;

/** The seed tutorial's model ({@link LeNet}) compiled as the tutorial compiles it. */
final class SeedModel {
    private SeedModel() {
    }

    /** The network, its weights drawn from {@code seed}, compiled as the tutorial does: Adam, sparse categorical cross-entropy, accuracy. */
    static Sequential create(long seed, double learningRate) {
        return LeNet.create(seed).compile(new Adam(learningRate), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
    }
}
