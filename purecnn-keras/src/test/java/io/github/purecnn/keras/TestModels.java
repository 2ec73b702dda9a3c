package io.github.purecnn.keras;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.util.SplittableRandom;

/** Small models and data for the tests. */
final class TestModels {
    private TestModels() {
    }

    /** Random images in [0, 1) with random labels; enough for training to change the weights. */
    static Dataset randomImages(Shape sample, int count, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[count * sample.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextDouble();
        }
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = rng.nextInt(classes);
        }
        return Dataset.of(new Tensor(sample.withBatch(count), x), y, classes);
    }

    /** The seed LeNet, compiled as the tutorial compiles it and trained one short epoch. */
    static Sequential trainedLeNet() {
        Sequential model = LeNet.create(7).compile(new Adam(0.001), Loss.sparseCategoricalCrossentropy(),
                Metric.ACCURACY).threads(2);
        model.fit(randomImages(Shape.of(28, 28, 1), 96, 10, 3), new FitOptions().epochs(1).batchSize(32).verbose(0));
        return model;
    }
}
