package io.github.purecnn.spark;

import org.apache.spark.TaskContext;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Scores the images of one partition of an RDD of flat NHWC float arrays. A Scala function, so
 * that the scored RDD is made by {@code RDD.mapPartitions} with the class tag of
 * {@link Prediction}: Scala's {@code collect()} then gives an {@code Array[Prediction]} (the Java
 * API's {@code mapPartitions} would tag it as holding plain objects).
 */
final class ArrayScoring extends AbstractFunction1<Iterator<float[]>, Iterator<Prediction>> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ShippedModel model;
    private final int batchSize;

    ArrayScoring(ShippedModel model, int batchSize) {
        this.model = model;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Prediction> apply(Iterator<float[]> images) {
        ModelPredictor predictor;
        try {
            predictor = model.predictor();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        java.util.Iterator<float[]> source = CollectionConverters.asJava(images);
        return CollectionConverters.asScala(new ScoringIterator<float[], Prediction>(source, predictor, batchSize,
                "image", TaskContext.getPartitionId()) {
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
        });
    }
}
