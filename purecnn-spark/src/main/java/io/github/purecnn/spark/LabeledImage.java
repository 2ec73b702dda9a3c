package io.github.purecnn.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One training image of an RDD for {@link ImageTrainer}: its values, flat NHWC floats of the
 * model's input size, and its class. Two are equal when their values are equal bit for bit.
 *
 * @param image the image's values (not copied)
 * @param label its class, in {@code [0, classes)}
 */
public record LabeledImage(float[] image, int label) implements Serializable {
    /** A labelled image; the array is not copied. */
    public LabeledImage {
        Objects.requireNonNull(image, "image");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledImage l && label == l.label && Arrays.equals(image, l.image);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(image) + label;
    }

    @Override
    public String toString() {
        return "LabeledImage[label " + label + ", " + image.length + " values]";
    }
}
