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

    /**
     * An exception about {@code file}; the message is prefixed with the file's name.
     *
     * @param file    the image file that could not be read
     * @param problem what is wrong with it, which follows the file's name in the message
     */
    public ImageFileException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /**
     * An exception about {@code file}, caused by {@code cause}.
     *
     * @param file    the image file that could not be read
     * @param problem what is wrong with it, which follows the file's name in the message
     * @param cause   the decoder's error
     */
    public ImageFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /**
     * The file that could not be read.
     *
     * @return the path as given to the constructor; null after the exception was deserialized
     */
    public Path file() {
        return file;
    }
}
