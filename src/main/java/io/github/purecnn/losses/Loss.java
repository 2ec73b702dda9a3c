package io.github.purecnn.losses;

import io.github.purecnn.layers.Activation;
import io.github.purecnn.runtime.Truth;

/**
 * A loss, as Keras's: per row of a prediction (its last dimension: classes or values) a row
 * loss, averaged over a sample's rows and weighted by the sample's weight; the model divides the
 * sum over a batch by the batch size, Keras's {@code sum_over_batch_size} reduction (which
 * divides by the number of samples, not by the sum of their weights).
 *
 * <p>{@link #sum} returns that weighted sum over n samples; {@link #backward} writes the gradient
 * of {@code scale * sum} with respect to the predictions.
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

    /** Whether the loss reads class labels ({@link Truth#labels()}) rather than target values. */
    default boolean needsLabels() {
        return false;
    }

    /**
     * pred (n, rows, cols) reads; the targets of n samples read. The sum, in double, over the n
     * samples of each sample's weight times its mean row loss.
     */
    double sum(float[] pred, Truth truth, int n);

    /** dPred (n, rows, cols) writes: {@code scale} times the gradient of {@link #sum} w.r.t. pred. */
    void backward(float[] dPred, float[] pred, Truth truth, int n, float scale);

    /**
     * The output activation through which this loss gives the gradient with respect to the
     * activation's input directly (softmax for the cross-entropies and sigmoid for binary
     * cross-entropy, on probabilities): exact and numerically stable where the chain through the
     * activation's derivative would divide by tiny probabilities; null for none.
     */
    default Activation fusedActivation() {
        return null;
    }

    /**
     * dz (n, rows, cols) writes: the gradient of {@code scale * sum} with respect to the input z of
     * the {@link #fusedActivation()} that produced the probabilities (for the cross-entropies
     * {@code p * sum(t) - t}, for binary cross-entropy {@code (p - t) / cols}, weighted as {@link #sum}).
     *
     * @throws IllegalStateException for a loss without a fused activation
     */
    default void backwardFused(float[] dz, float[] probabilities, Truth truth, int n, float scale) {
        throw new IllegalStateException(kerasName() + (fromLogits() ? " on logits" : "") + " fuses with no activation");
    }

    /** Keras's {@code sparse_categorical_crossentropy} on probabilities. */
    static Loss sparseCategoricalCrossentropy() {
        return new SparseCategoricalCrossentropy(false);
    }

    /** Keras's {@code sparse_categorical_crossentropy}, on logits when {@code fromLogits}. */
    static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new SparseCategoricalCrossentropy(fromLogits);
    }

    /** Keras's {@code categorical_crossentropy} on probabilities. */
    static Loss categoricalCrossentropy() {
        return new CategoricalCrossentropy(false);
    }

    /** Keras's {@code categorical_crossentropy}, on logits when {@code fromLogits}. */
    static Loss categoricalCrossentropy(boolean fromLogits) {
        return new CategoricalCrossentropy(fromLogits);
    }

    /** Keras's {@code binary_crossentropy} on probabilities. */
    static Loss binaryCrossentropy() {
        return new BinaryCrossentropy(false);
    }

    /** Keras's {@code binary_crossentropy}, on logits when {@code fromLogits}. */
    static Loss binaryCrossentropy(boolean fromLogits) {
        return new BinaryCrossentropy(fromLogits);
    }

    /** Keras's {@code mean_squared_error}. */
    static Loss meanSquaredError() {
        return new MeanSquaredError();
    }

    /** Keras's {@code mean_absolute_error}. */
    static Loss meanAbsoluteError() {
        return new MeanAbsoluteError();
    }

    /** Keras's {@code huber} with its default delta, 1. */
    static Loss huber() {
        return new Huber(1.0);
    }

    /** Keras's {@code huber} with the given delta, positive. */
    static Loss huber(double delta) {
        return new Huber(delta);
    }

    /**
     * The loss with this Keras name (or alias: {@code mse}, {@code mae}, {@code bce},
     * {@code huber_loss}), on probabilities or, for the cross-entropies, on logits.
     *
     * @throws IllegalArgumentException for an unknown name, or logits with a loss that takes none
     */
    static Loss fromKerasName(String name, boolean fromLogits) {
        Loss loss = switch (name) {
            case "sparse_categorical_crossentropy" -> sparseCategoricalCrossentropy(fromLogits);
            case "categorical_crossentropy" -> categoricalCrossentropy(fromLogits);
            case "binary_crossentropy", "bce" -> binaryCrossentropy(fromLogits);
            case "mean_squared_error", "mse" -> meanSquaredError();
            case "mean_absolute_error", "mae" -> meanAbsoluteError();
            case "huber", "huber_loss" -> huber();
            default -> throw new IllegalArgumentException("unknown loss '" + name + "', expected one of "
                    + "sparse_categorical_crossentropy, categorical_crossentropy, binary_crossentropy, "
                    + "mean_squared_error, mean_absolute_error or huber");
        };
        if (fromLogits && !loss.fromLogits()) {
            throw new IllegalArgumentException(loss.kerasName() + " takes no logits, found from_logits true");
        }
        return loss;
    }
}
