package com.example.digits;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.AveragePooling2D;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Predictor;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A digit classifier as an application would write one with purecnn: trained on MNIST digits,
 * saved, loaded back and served through a predictor, one image per request.
 */
public final class DigitService {
    private final Predictor predictor;

    private DigitService(Predictor predictor) {
        this.predictor = predictor;
    }

    /** Trains a small network for one epoch on the first {@code images} training digits and saves it to {@code file}. */
    public static Sequential train(Path mnistDir, int images, Path file) throws IOException {
        Dataset train = Mnist.load(mnistDir).train().subset(0, images);
        Sequential model = new Sequential(5, Shape.of(28, 28, 1),
                new Conv2D(8, 3).activation(Activation.RELU),
                new AveragePooling2D(2),
                new Flatten(),
                new Dense(10).activation(Activation.SOFTMAX));
        model.compile(new Adam(0.002), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        model.fit(train, new FitOptions().epochs(1).batchSize(32).verbose(0));
        model.save(file);
        return model;
    }

    /** A service over the model saved in {@code file}. */
    public static DigitService load(Path file) throws IOException {
        return new DigitService(Sequential.load(file).predictor());
    }

    /** The digit a 28x28 picture (row by row, 0..1) shows. */
    public int classify(float[] pixels) {
        float[] p = predictor.predict(new Tensor(Shape.of(28, 28, 1), pixels)).data();
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }
}
