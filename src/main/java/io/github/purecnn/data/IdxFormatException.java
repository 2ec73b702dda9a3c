package io.github.purecnn.data;

import java.io.IOException;

/**
 * A file that is not a well-formed IDX file, or whose contents do not fit what was asked of it
 * (an image file that is not 3-D, labels out of range, image and label counts that disagree).
 * The message names the file and says what was expected and what was found.
 */
public class IdxFormatException extends IOException {
    public IdxFormatException(String message) {
        super(message);
    }

    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
