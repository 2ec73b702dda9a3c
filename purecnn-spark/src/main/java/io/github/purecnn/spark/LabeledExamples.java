package io.github.purecnn.spark;

import org.apache.spark.api.java.function.Function;
import scala.Tuple2;

/**
 * Reads a {@link LabeledImage} and its index into an {@link Example}, checked against the
 * model's input size and classes; one that does not fit fails its task naming its index.
 */
final class LabeledExamples implements Function<Tuple2<LabeledImage, Long>, Example> {
    private static final long serialVersionUID = 1L;

    private final int imageSize;
    private final String inputShape;
    private final int classes;

    LabeledExamples(int imageSize, String inputShape, int classes) {
        this.imageSize = imageSize;
        this.inputShape = inputShape;
        this.classes = classes;
    }

    @Override
    public Example call(Tuple2<LabeledImage, Long> indexed) {
        LabeledImage image = indexed._1();
        long index = indexed._2();
        if (image == null) {
            throw new IllegalArgumentException("image " + index + " is null");
        }
        if (image.image().length != imageSize) {
            throw new IllegalArgumentException("image " + index + " has " + image.image().length + " values, the model takes"
                    + " images of shape " + inputShape + ", " + imageSize + " values");
        }
        int label = Example.label(image.label(), classes, "image " + index + ": its label");
        return new Example(index, label, null, image.image());
    }
}
