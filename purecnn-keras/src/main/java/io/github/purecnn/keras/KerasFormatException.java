package io.github.purecnn.keras;

import io.github.purecnn.model.ModelFormatException;

/**
 * A Keras file that cannot be read: not a Keras file, truncated or corrupt HDF5 or ZIP, a config
 * that is not JSON or lies about shapes, a dataset whose shape or type does not fit its layer,
 * a size beyond the reader's limits. The message names the file and, where there are ones, the
 * layer and the dataset or entry, and says what was expected and what was found. Nothing was
 * loaded: no model is returned and an existing model's weights are unchanged.
 */
public class KerasFormatException extends ModelFormatException {
    private static final long serialVersionUID = 1L;

    /** An error whose {@code message} names the file, layer and dataset, what was expected and what was found. */
    public KerasFormatException(String message) {
        super(message);
    }

    /** As {@link #KerasFormatException(String)}, for a problem first reported by {@code cause}. */
    public KerasFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
