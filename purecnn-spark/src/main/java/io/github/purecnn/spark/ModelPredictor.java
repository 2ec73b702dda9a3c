package io.github.purecnn.spark;

import io.github.purecnn.model.Predictor;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;

/**
 * The one place where scoring runs the model: the core's {@link Predictor} over the loaded
 * model, one instance for every task and thread of an executor JVM. Each call runs on the
 * calling task's thread and starts none, so an executor running N tasks scores on N threads
 * whatever {@code spark.task.cpus} says; the predictor keeps the buffers of its forward passes
 * between calls, so concurrent tasks share one packed copy of the weights and allocate nothing
 * per batch.
 */
final class ModelPredictor {
    private final Predictor predictor;
    private final Shape inputShape;
    private final int imageSize;
    private final int classes;

    /**
     * A predictor over a snapshot of {@code model}, which may be dropped after. At most as many
     * calls run at once as the JVM has processors (the core's default): the tasks an executor
     * runs at once are bounded by its cores, and a task beyond that waits for a free set of
     * buffers rather than make more.
     */
    ModelPredictor(Sequential model) {
        this.predictor = model.predictor();
        this.inputShape = predictor.inputShape();
        this.imageSize = inputShape.size();
        this.classes = predictor.outputShape().size();
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
     * Writes the class probabilities of {@code count} images into {@code probabilities}, bit for
     * bit those of {@link Sequential#predict} on the same images, allocating nothing.
     *
     * @param images the images one after the other, NHWC, in the first {@code count * imageSize()}
     *     floats (read only)
     * @param probabilities written: the first {@code count * classes()} floats, image by image
     */
    void predict(float[] images, int count, float[] probabilities) {
        predictor.predict(images, count, probabilities);
    }
}
