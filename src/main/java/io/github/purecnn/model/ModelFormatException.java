package io.github.purecnn.model;

import java.io.IOException;

/**
 * A model file or Keras weights file that cannot be loaded: not a model archive, a format this
 * version cannot read, a missing or damaged entry, a size beyond the reader's limits, or an
 * architecture, config or tensor that does not fit. The message names the file and, where there
 * is one, the entry, and says what was expected and what was found. Nothing was loaded.
 */
public class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An error whose {@code message} names the file and entry, what was expected and what was found.
     *
     * @param message the whole message
     */
    public ModelFormatException(String message) {
        super(message);
    }

    /**
     * As {@link #ModelFormatException(String)}, for a problem first reported by {@code cause}.
     *
     * @param message the whole message
     * @param cause the lower-level error
     */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
