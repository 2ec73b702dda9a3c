package io.github.purecnn.spark;

/**
 * A Spark job of training failed: its message names the model, the epoch and step (or the
 * reading of the data) and the cause, as Spark reported it after its retries; the cause is
 * Spark's exception. Nothing of the failed step reached the model, which keeps the weights of the
 * last step applied; checkpoints already written are untouched.
 */
public final class TrainingFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure of training, with Spark's exception as its cause. */
    public TrainingFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
