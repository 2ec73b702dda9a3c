package io.github.purecnn.model;

/**
 * Hooks into {@code fit}, as Keras callbacks: every method has an empty default. Epochs and
 * batches count from 1 in messages and from the values given here: epoch 1 is the first.
 * Callbacks are called on the thread that called {@code fit}.
 */
public interface Callback {

    /**
     * Before the first epoch of {@code fit}, once the data are checked.
     *
     * @param model the model being trained; a callback keeps it to act on it later (stop it, set
     *     its learning rate, save it)
     */
    default void onTrainBegin(Sequential model) {
    }

    /**
     * After the last epoch of {@code fit}, whether it ran them all or stopped early.
     *
     * @param model the model trained
     * @param history the logs of the epochs this fit ran, the one {@code fit} returns
     */
    default void onTrainEnd(Sequential model, History history) {
    }

    /**
     * Before the epoch's first batch.
     *
     * @param epoch the epoch of this fit, from 1
     */
    default void onEpochBegin(int epoch) {
    }

    /**
     * After the epoch's training and validation. {@code model.stopTraining()} ends the fit after this epoch.
     *
     * @param epoch the epoch of this fit, from 1
     * @param log what the epoch measured: {@code loss}, the metrics, their {@code val_} values
     *     with validation data, and {@code learning_rate}
     */
    default void onEpochEnd(int epoch, EpochLog log) {
    }

    /**
     * Before a batch's forward pass.
     *
     * @param epoch the epoch of this fit, from 1
     * @param batch the batch within the epoch, from 1
     */
    default void onBatchBegin(int epoch, int batch) {
    }

    /**
     * After a batch's update.
     *
     * @param epoch the epoch of this fit, from 1
     * @param batch the batch within the epoch, from 1
     * @param batches how many batches each epoch has, the last possibly smaller than the batch size
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
     *
     * @param epoch the epoch of this fit, from 1
     * @param batch the batch within the epoch, from 1
     * @param loss the batch's loss: NaN or infinite
     * @return true to skip the batch and go on (or end as asked); false, the default, to let
     *     {@code fit} throw the {@link NonFiniteLossException}
     */
    default boolean onNonFiniteLoss(int epoch, int batch, double loss) {
        return false;
    }
}
