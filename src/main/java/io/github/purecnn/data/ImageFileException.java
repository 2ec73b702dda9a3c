package io.github.purecnn.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An image file that cannot be read: not an image, an image format other than PNG, JPEG, BMP and
 * GIF, damaged or truncated data, or dimensions beyond the allowed limit. The message names the
 * file and says what is wrong with it.
 */
public class ImageFileException extends IOException {
    private final transient Path file;

    /** An exception about {@code file}; the message is prefixed with the file's name. */
    public ImageFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** An exception about {@code file}, caused by {@code cause}. */
    public ImageFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }
}
