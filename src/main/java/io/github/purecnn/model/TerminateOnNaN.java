package io.github.purecnn.model;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends training gracefully when a batch's loss is NaN or infinite, as Keras's
 * {@code TerminateOnNaN}: instead of the {@link NonFiniteLossException} that fit throws without
 * it, the model stops; the epoch ends with the batches before (validation, its log, the
 * callbacks' {@code onEpochEnd} and {@code onTrainEnd} all run) and fit returns its history.
 * Where Keras has already applied the bad batch's update when its callback sees the loss,
 * purecnn checks the loss first: the weights are those before the bad batch.
 */
public final class TerminateOnNaN implements Callback {
    /** The callback; it takes no arguments, as Keras's. */
    public TerminateOnNaN() {
    }

    private static final Logger LOG = LoggerFactory.getLogger(TerminateOnNaN.class);

    private Sequential model;
    private int terminatedEpoch;
    private int terminatedBatch;

    @Override
    public void onTrainBegin(Sequential m) {
        model = m;
        terminatedEpoch = 0;
        terminatedBatch = 0;
    }

    @Override
    public boolean onNonFiniteLoss(int epoch, int batch, double loss) {
        LOG.warn("epoch {}, batch {}: the loss is {}, training terminated", epoch, batch, loss);
        terminatedEpoch = epoch;
        terminatedBatch = batch;
        model.stopTraining();
        return true;
    }

    /**
     * The epoch in which training was terminated, or 0 if it was not.
     *
     * @return the epoch of the last fit, from 1, or 0
     */
    public int terminatedEpoch() {
        return terminatedEpoch;
    }

    /**
     * The batch (from 1) whose loss terminated training, or 0 if none did.
     *
     * @return the batch within {@link #terminatedEpoch()}, from 1, or 0
     */
    public int terminatedBatch() {
        return terminatedBatch;
    }
}
