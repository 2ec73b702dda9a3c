package io.github.purecnn.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A model file format besides purecnn's own, provided by an optional module (Keras's {@code .h5}
 * and {@code .keras} files come with {@code purecnn-keras}) and found by {@link ModelFiles}
 * through {@link java.util.ServiceLoader}: a module lists its implementation in
 * {@code META-INF/services/io.github.purecnn.model.ModelFileFormat}. Implementations need a
 * public no-argument constructor.
 */
public interface ModelFileFormat {

    /**
     * The format's name for messages and help, such as {@code "Keras 3 archive (.keras)"}.
     *
     * @return a short description naming the format and its usual extension
     */
    String description();

    /**
     * Whether a file that begins with {@code head} is in this format: decided by content, never
     * by the file's name.
     *
     * @param head the file's first bytes, {@link ModelFiles#HEAD_BYTES} of them or the whole
     *     file when it is shorter
     * @return true if {@link #read} should read the file
     */
    boolean recognizes(byte[] head);

    /**
     * Whether {@link #write} makes this format for a file of this name (by its extension).
     *
     * @param file the file a model is to be saved to; it need not exist
     * @return true if {@link ModelFiles#save} should write it in this format
     */
    boolean writesTo(Path file);

    /**
     * Reads the model in {@code file}.
     *
     * @param file a file whose head {@link #recognizes} accepted
     * @return the model the file describes, with its weights
     * @throws IOException naming the file when it cannot be read or purecnn cannot represent its
     *     model; nothing is returned half loaded
     */
    Sequential read(Path file) throws IOException;

    /**
     * Writes {@code model} to {@code file} in this format, replacing any previous file atomically.
     *
     * @param model the model to save
     * @param file a file {@link #writesTo} accepted
     * @throws IOException naming the file when it cannot be written, or the model has what the
     *     format cannot represent; any previous file is then unchanged
     */
    void write(Sequential model, Path file) throws IOException;
}
