package io.github.purecnn.cli;

import io.github.purecnn.model.Sequential;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the model file that {@code --model FILE} names, for every command that takes one: the
 * one place that decides, by content, what kind of model file it is.
 */
final class ModelFiles {
    /** HDF5's signature, which Keras's {@code .h5} files start with. */
    private static final byte[] HDF5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private ModelFiles() {
    }

    /**
     * The model saved in {@code file}: a purecnn model file as {@code train --save} writes it.
     *
     * @throws IOException naming the file when it cannot be read, or is a Keras {@code .h5} file,
     *     which this build does not read
     */
    static Sequential load(Path file) throws IOException {
        byte[] start;
        try (InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(HDF5.length);
        }
        if (java.util.Arrays.equals(start, HDF5)) {
            throw new IOException(file + ": a Keras HDF5 (.h5) model file; this command line reads purecnn model"
                    + " files (train --save)");
        }
        return Sequential.load(file);
    }
}
