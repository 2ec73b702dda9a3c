package io.github.purecnn.data;

import java.io.IOException;

/**
 * A file that is not a well-formed IDX file, or whose contents do not fit what was asked of it
 * (an image file that is not 3-D, labels out of range, image and label counts that disagree).
 * The message names the file and says what was expected and what was found.
 */
public class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An error whose {@code message} names the file, what was expected and what was found.
     *
     * @param message the whole message
     */
    public IdxFormatException(String message) {
        super(message);
    }

    /**
     * As {@link #IdxFormatException(String)}, for a problem first reported by {@code cause}.
     *
     * @param message the whole message
     * @param cause the lower-level error
     */
    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
