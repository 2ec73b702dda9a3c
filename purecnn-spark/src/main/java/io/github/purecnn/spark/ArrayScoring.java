package io.github.purecnn.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;

import java.io.IOException;
import java.util.Iterator;

/** Scores the images of one partition of an RDD of flat NHWC float arrays. */
final class ArrayScoring implements FlatMapFunction<Iterator<float[]>, Prediction> {
    private static final long serialVersionUID = 1L;

    private final ShippedModel model;
    private final int batchSize;

    ArrayScoring(ShippedModel model, int batchSize) {
        this.model = model;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Prediction> call(Iterator<float[]> images) throws IOException {
        ModelPredictor predictor = model.predictor();
        return new ScoringIterator<>(images, predictor, batchSize, "image", TaskContext.getPartitionId()) {
            @Override
            protected void readImage(float[] image, float[] into, int offset) {
                if (image == null) {
                    throw new IllegalArgumentException("the image is null");
                }
                if (image.length != predictor.imageSize()) {
                    throw new IllegalArgumentException("the image has " + image.length + " values, the model takes"
                            + " images of shape " + predictor.inputShape() + ", " + predictor.imageSize() + " values");
                }
                System.arraycopy(image, 0, into, offset, image.length);
            }

            @Override
            protected Prediction result(float[] image, float[] probabilities, int predicted) {
                return new Prediction(probabilities, predicted);
            }
        };
    }
}
