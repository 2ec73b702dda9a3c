package io.github.purecnn.model;

/**
 * Training met a NaN or infinite loss. The batch's update was not applied, so the weights are
 * those after the previous batch.
 */
public final class NonFiniteLossException extends ArithmeticException {
    private final int epoch;
    private final int batch;
    private final double loss;

    /**
     * The failure at batch {@code batch} of {@code batches} in {@code epoch} (both from 1), with the loss found.
     *
     * @param epoch the epoch, from 1
     * @param batch the batch within the epoch, from 1
     * @param batches how many batches the epoch has
     * @param loss the batch's loss: NaN or infinite
     */
    public NonFiniteLossException(int epoch, int batch, int batches, double loss) {
        super("loss became " + loss + " in epoch " + epoch + ", batch " + batch + " of " + batches
                + "; training stopped before applying that batch (lower the learning rate, or check the inputs for NaN)");
        this.epoch = epoch;
        this.batch = batch;
        this.loss = loss;
    }

    /**
     * The epoch in which the loss stopped being finite, from 1.
     *
     * @return the epoch
     */
    public int epoch() {
        return epoch;
    }

    /**
     * The batch within the epoch, from 1.
     *
     * @return the batch whose update was not applied
     */
    public int batch() {
        return batch;
    }

    /**
     * The loss found: NaN or infinite.
     *
     * @return the batch's loss, weight penalties included
     */
    public double loss() {
        return loss;
    }
}
