package io.github.purecnn.losses;

/**
 * A loss over a batch of predictions (rows of {@code classes} values) against integer class
 * labels. Losses that need one-hot targets build them from the labels, as Keras users do with
 * {@code to_categorical}.
 *
 * <p>{@link #sum} returns the sum of the per-sample losses (the model divides by the batch
 * size); {@link #backward} writes the gradient of {@code scale * sum} with respect to the
 * predictions.
 */
public interface Loss {
    /** Keras's clipping bound for probabilities: {@code [EPSILON, 1 - EPSILON]}. */
    float EPSILON = 1e-7f;

    /** The Keras name, such as {@code "sparse_categorical_crossentropy"}. */
    String kerasName();

    /** Whether the predictions are logits rather than probabilities. */
    default boolean fromLogits() {
        return false;
    }

    /** pred (n, classes) reads; labels (n) reads. The sum, in double, of the n per-sample losses. */
    double sum(float[] pred, int[] labels, int n, int classes);

    /** dPred (n, classes) writes: {@code scale} times the gradient of the summed loss w.r.t. pred. */
    void backward(float[] dPred, float[] pred, int[] labels, int n, int classes, float scale);

    /**
     * Whether, after a softmax output, this loss gives the gradient with respect to the softmax's
     * input directly ({@code probabilities - one_hot}): exact and numerically stable where the
     * chain through the softmax Jacobian would divide by tiny probabilities.
     */
    default boolean fusesWithSoftmax() {
        return false;
    }

    /**
     * dz (n, classes) writes: {@code scale * (p - one_hot(label))}, the gradient of the summed
     * loss with respect to the input of the softmax that produced the probabilities p. Only for
     * losses whose {@link #fusesWithSoftmax()} is true.
     */
    default void backwardThroughSoftmax(float[] dz, float[] probabilities, int[] labels, int n, int classes, float scale) {
        if (!fusesWithSoftmax()) {
            throw new IllegalStateException(kerasName() + (fromLogits() ? " on logits" : "") + " does not fuse with a softmax");
        }
        CrossEntropy.probabilitiesMinusOneHot(dz, probabilities, labels, n, classes, scale);
    }

    static Loss sparseCategoricalCrossentropy() {
        return new SparseCategoricalCrossentropy(false);
    }

    static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new SparseCategoricalCrossentropy(fromLogits);
    }

    static Loss categoricalCrossentropy() {
        return new CategoricalCrossentropy(false);
    }

    static Loss categoricalCrossentropy(boolean fromLogits) {
        return new CategoricalCrossentropy(fromLogits);
    }

    static Loss meanSquaredError() {
        return new MeanSquaredError();
    }

    /**
     * The loss with this Keras name, on probabilities or, for the cross-entropies, on logits.
     *
     * @throws IllegalArgumentException for an unknown name, or logits with mean squared error
     */
    static Loss fromKerasName(String name, boolean fromLogits) {
        return switch (name) {
            case "sparse_categorical_crossentropy" -> sparseCategoricalCrossentropy(fromLogits);
            case "categorical_crossentropy" -> categoricalCrossentropy(fromLogits);
            case "mean_squared_error", "mse" -> {
                if (fromLogits) {
                    throw new IllegalArgumentException("mean_squared_error takes no logits, found from_logits true");
                }
                yield meanSquaredError();
            }
            default -> throw new IllegalArgumentException("unknown loss '" + name + "', expected "
                    + "sparse_categorical_crossentropy, categorical_crossentropy or mean_squared_error");
        };
    }
}
