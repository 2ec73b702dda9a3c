package io.github.purecnn.data;

import java.io.IOException;

/**
 * A data set file that is malformed or holds what was not asked for: a {@link DatasetFile} with a
 * bad header or length, a CIFAR file of the wrong length or with a label out of range, NumPy
 * arrays of shapes that do not make a data set. The message names the file (and the array or
 * record) and says what was expected and what was found.
 */
public class DatasetFormatException extends IOException {
    /**
     * An exception with a message that names the file.
     *
     * @param message the whole message: the file, what was expected and what was found
     */
    public DatasetFormatException(String message) {
        super(message);
    }

    /**
     * An exception with a message that names the file, caused by {@code cause}.
     *
     * @param message the whole message: the file, what was expected and what was found
     * @param cause   the lower-level error, such as a corrupt gzip stream's
     */
    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
