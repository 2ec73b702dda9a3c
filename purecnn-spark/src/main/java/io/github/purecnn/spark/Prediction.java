package io.github.purecnn.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * What scoring makes of one image: the model's class probabilities and the predicted class, the
 * first of the largest probabilities (NumPy's {@code argmax}). Two predictions are equal when
 * their probabilities are equal bit for bit.
 *
 * @param probabilities the model's output for the image, one value per class (not copied)
 * @param predictedClass the index of the largest probability
 */
public record Prediction(float[] probabilities, int predictedClass) implements Serializable {
    /** A prediction; the array is not copied. */
    public Prediction {
        Objects.requireNonNull(probabilities, "probabilities");
        if (predictedClass < 0 || predictedClass >= probabilities.length) {
            throw new IllegalArgumentException("predicted class " + predictedClass + " is not one of the "
                    + probabilities.length + " classes");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prediction p && predictedClass == p.predictedClass
                && Arrays.equals(probabilities, p.probabilities);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(probabilities) + predictedClass;
    }

    @Override
    public String toString() {
        return "Prediction[class " + predictedClass + ", probabilities " + Arrays.toString(probabilities) + "]";
    }
}
