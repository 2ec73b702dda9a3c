package io.github.purecnn.io;

import java.io.IOException;

/**
 * A {@code .npy} file or {@code .npz} archive that cannot be read: bad magic, a header that does
 * not parse, an unsupported dtype or layout, a size beyond the reader's limit, or data that is
 * shorter or longer than the header declares. The message names the file (and archive entry),
 * what was expected and what was found.
 */
public class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An error whose {@code message} names the file, what was expected and what was found.
     *
     * @param message the whole message
     */
    public NpyFormatException(String message) {
        super(message);
    }

    /**
     * As {@link #NpyFormatException(String)}, for a problem first reported by {@code cause}.
     *
     * @param message the whole message
     * @param cause the lower-level error
     */
    public NpyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
