package io.github.purecnn.spark;

import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.util.Arrays;

/**
 * The one place where scoring runs the model. One instance serves every task and thread of an
 * executor JVM at once: {@link Sequential#predict(Tensor)} only reads the weights, and each call
 * works in buffers and worker threads of its own, so concurrent calls are safe. That costs each
 * batch its buffers; a predictor that keeps them between calls would change this class only.
 */
final class ModelPredictor {
    private final Sequential model;
    private final Shape inputShape;
    private final int imageSize;
    private final int classes;

    /**
     * @param threads how many threads each {@link #predict} call uses (the CPUs Spark gives a task);
     *     results do not depend on it
     */
    ModelPredictor(Sequential model, int threads) {
        this.model = model.threads(threads);
        this.inputShape = model.inputShape();
        this.imageSize = inputShape.size();
        this.classes = model.outputShape().size();
    }

    /** The shape of one image, without batch dimension. */
    Shape inputShape() {
        return inputShape;
    }

    /** Floats per image. */
    int imageSize() {
        return imageSize;
    }

    /** Class probabilities per image. */
    int classes() {
        return classes;
    }

    /**
     * The class probabilities of {@code count} images, bit for bit those of {@code model.predict}.
     *
     * @param images the images one after the other, NHWC, in the first {@code count * imageSize()}
     *     floats (read only)
     * @return {@code count * classes()} floats, image by image
     */
    float[] predict(float[] images, int count) {
        int size = count * imageSize;
        float[] batch = images.length == size ? images : Arrays.copyOf(images, size);
        return model.predict(new Tensor(inputShape.withBatch(count), batch)).data();
    }
}
