package io.github.purecnn.model;

/**
 * Hooks into {@code fit}, as Keras callbacks: every method has an empty default. Epochs and
 * batches count from 1 in messages and from the values given here: epoch 1 is the first.
 * Callbacks are called on the thread that called {@code fit}.
 */
public interface Callback {

    default void onTrainBegin(Sequential model) {
    }

    default void onTrainEnd(Sequential model, History history) {
    }

    default void onEpochBegin(int epoch) {
    }

    /** After the epoch's training and validation. {@code model.stopTraining()} ends the fit after this epoch. */
    default void onEpochEnd(int epoch, EpochLog log) {
    }

    default void onBatchBegin(int epoch, int batch) {
    }

    /**
     * After a batch's update.
     *
     * @param logs the epoch's running means so far ({@code loss} and the metrics), updated in
     *     place by fit: read them during the call
     */
    default void onBatchEnd(int epoch, int batch, int batches, BatchLog logs) {
    }

    /**
     * Called when a batch's loss is NaN or infinite, before its update (which is then skipped).
     * Training stops with a {@link NonFiniteLossException} unless a callback returns true here:
     * to only warn and go on with the next batch, or to end training gracefully after asking the
     * model to stop ({@link TerminateOnNaN}).
     */
    default boolean onNonFiniteLoss(int epoch, int batch, double loss) {
        return false;
    }
}
