package io.github.purecnn.model;

/**
 * What one epoch of training measured. Validation values are {@code NaN} when the fit had no
 * validation data; accuracy is {@code NaN} when the model was compiled without it.
 *
 * @param epoch              1 for the first epoch
 * @param loss               mean training loss over the epoch's images
 * @param accuracy           fraction of training images classified right during the epoch
 * @param validationLoss     loss on the validation data after the epoch
 * @param validationAccuracy accuracy on the validation data after the epoch
 * @param seconds            wall time of the epoch's training steps (validation excluded)
 */
public record EpochLog(int epoch, double loss, double accuracy, double validationLoss, double validationAccuracy,
                       double seconds) {

    /** The names {@link #get} knows, as Keras's History calls them. */
    public static final java.util.List<String> QUANTITIES = java.util.List.of("loss", "accuracy", "val_loss", "val_accuracy");

    public boolean hasValidation() {
        return !Double.isNaN(validationLoss);
    }

    /**
     * The value of a monitored quantity by its Keras name: {@code loss}, {@code accuracy},
     * {@code val_loss} or {@code val_accuracy}.
     */
    public double get(String name) {
        return switch (name) {
            case "loss" -> loss;
            case "accuracy" -> accuracy;
            case "val_loss" -> validationLoss;
            case "val_accuracy" -> validationAccuracy;
            default -> throw new IllegalArgumentException("unknown quantity '" + name
                    + "', expected loss, accuracy, val_loss or val_accuracy");
        };
    }
}
