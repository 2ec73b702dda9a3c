package io.github.purecnn.losses;

import io.github.purecnn.Internal;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.runtime.Truth;

import java.util.Map;

/**
 * A loss, as Keras's: per row of a prediction (its last dimension: classes or values) a row
 * loss, averaged over a sample's rows and weighted by the sample's weight; the model divides the
 * sum over a batch by the batch size, Keras's {@code sum_over_batch_size} reduction (which
 * divides by the number of samples, not by the sum of their weights).
 *
 * <p>Losses are made by this interface's factories ({@link #sparseCategoricalCrossentropy()} and
 * the others), and given to {@code Sequential.compile}. The members marked {@link Internal} are
 * how the model computes a loss ({@link #sum} returns that weighted sum over n samples;
 * {@link #backward} writes the gradient of {@code scale * sum} with respect to the predictions),
 * not part of the API.
 */
public sealed interface Loss permits RowLoss {
    /** Keras's clipping bound for probabilities: {@code [EPSILON, 1 - EPSILON]}. */
    float EPSILON = 1e-7f;

    /**
     * The Keras name, such as {@code "sparse_categorical_crossentropy"}.
     *
     * @return the name, as a Keras config writes it
     */
    String kerasName();

    /**
     * Whether the predictions are logits rather than probabilities.
     *
     * @return true for logits
     */
    default boolean fromLogits() {
        return false;
    }

    /**
     * The loss's arguments under their Keras names, as its Keras config holds them besides the
     * name: {@code from_logits} for the cross-entropies, {@code delta} for huber, none for the others.
     *
     * @return the arguments, unmodifiable
     */
    default Map<String, Object> config() {
        return Map.of();
    }

    /**
     * Whether the loss reads class labels ({@link Truth#labels()}) rather than target values.
     *
     * @return true for the sparse cross-entropy
     */
    @Internal
    default boolean needsLabels() {
        return false;
    }

    /**
     * pred (n, rows, cols) reads; the targets of n samples read. The sum, in double, over the n
     * samples of each sample's weight times its mean row loss.
     *
     * @param pred the predictions
     * @param truth the targets and sample weights
     * @param n the number of samples
     * @return the weighted sum
     */
    @Internal
    double sum(float[] pred, Truth truth, int n);

    /**
     * dPred (n, rows, cols) writes: {@code scale} times the gradient of {@link #sum} w.r.t. pred.
     *
     * @param dPred the gradient, written
     * @param pred the predictions
     * @param truth the targets and sample weights
     * @param n the number of samples
     * @param scale the factor of the sum (1 / batch size in training)
     */
    @Internal
    void backward(float[] dPred, float[] pred, Truth truth, int n, float scale);

    /**
     * The output activation through which this loss gives the gradient with respect to the
     * activation's input directly (softmax for the cross-entropies and sigmoid for binary
     * cross-entropy, on probabilities): exact and numerically stable where the chain through the
     * activation's derivative would divide by tiny probabilities; null for none.
     *
     * @return the activation, or null
     */
    @Internal
    default Activation fusedActivation() {
        return null;
    }

    /**
     * dz (n, rows, cols) writes: the gradient of {@code scale * sum} with respect to the input z of
     * the {@link #fusedActivation()} that produced the probabilities (for the cross-entropies
     * {@code p * sum(t) - t}, for binary cross-entropy {@code (p - t) / cols}, weighted as {@link #sum}).
     *
     * @param dz the gradient with respect to the activation's input, written
     * @param probabilities the activation's output
     * @param truth the targets and sample weights
     * @param n the number of samples
     * @param scale the factor of the sum
     * @throws IllegalStateException for a loss without a fused activation
     */
    @Internal
    default void backwardFused(float[] dz, float[] probabilities, Truth truth, int n, float scale) {
        throw new IllegalStateException(kerasName() + (fromLogits() ? " on logits" : "") + " fuses with no activation");
    }

    /**
     * Keras's {@code sparse_categorical_crossentropy} on probabilities.
     *
     * @return the loss
     */
    static Loss sparseCategoricalCrossentropy() {
        return new SparseCategoricalCrossentropy(false);
    }

    /**
     * Keras's {@code sparse_categorical_crossentropy}, on logits when {@code fromLogits}.
     *
     * @param fromLogits whether the predictions are logits
     * @return the loss
     */
    static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new SparseCategoricalCrossentropy(fromLogits);
    }

    /**
     * Keras's {@code categorical_crossentropy} on probabilities.
     *
     * @return the loss
     */
    static Loss categoricalCrossentropy() {
        return new CategoricalCrossentropy(false);
    }

    /**
     * Keras's {@code categorical_crossentropy}, on logits when {@code fromLogits}.
     *
     * @param fromLogits whether the predictions are logits
     * @return the loss
     */
    static Loss categoricalCrossentropy(boolean fromLogits) {
        return new CategoricalCrossentropy(fromLogits);
    }

    /**
     * Keras's {@code binary_crossentropy} on probabilities.
     *
     * @return the loss
     */
    static Loss binaryCrossentropy() {
        return new BinaryCrossentropy(false);
    }

    /**
     * Keras's {@code binary_crossentropy}, on logits when {@code fromLogits}.
     *
     * @param fromLogits whether the predictions are logits
     * @return the loss
     */
    static Loss binaryCrossentropy(boolean fromLogits) {
        return new BinaryCrossentropy(fromLogits);
    }

    /**
     * Keras's {@code mean_squared_error}.
     *
     * @return the loss
     */
    static Loss meanSquaredError() {
        return new MeanSquaredError();
    }

    /**
     * Keras's {@code mean_absolute_error}.
     *
     * @return the loss
     */
    static Loss meanAbsoluteError() {
        return new MeanAbsoluteError();
    }

    /**
     * Keras's {@code huber} with its default delta, 1.
     *
     * @return the loss
     */
    static Loss huber() {
        return new Huber(1.0);
    }

    /**
     * Keras's {@code huber} with the given delta, positive.
     *
     * @param delta where the loss turns from quadratic to linear, positive and finite
     * @return the loss
     * @throws IllegalArgumentException unless delta is a positive finite number
     */
    static Loss huber(double delta) {
        return new Huber(delta);
    }

    /**
     * The loss with this Keras name (or alias: {@code mse}, {@code mae}, {@code bce},
     * {@code huber_loss}), on probabilities or, for the cross-entropies, on logits.
     *
     * @param name the Keras name or alias
     * @param fromLogits whether the predictions are logits
     * @return the loss
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
