package io.github.purecnn.model;

import io.github.purecnn.io.internal.RegularFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Loads and saves models in any format on the class path: purecnn's own model file
 * ({@link Sequential#save}) and those of the {@link ModelFileFormat}s that optional modules
 * provide. Reading decides the format by the file's content; writing by the file's name.
 */
public final class ModelFiles {
    /** How many leading bytes {@link ModelFileFormat#recognizes} is shown. */
    public static final int HEAD_BYTES = 512;
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private ModelFiles() {
    }

    /**
     * The formats the optional modules on the class path provide, purecnn's own not included.
     *
     * @return a new list of them, in {@link java.util.ServiceLoader} order; empty without such a module
     */
    public static List<ModelFileFormat> formats() {
        List<ModelFileFormat> found = new ArrayList<>();
        ServiceLoader.load(ModelFileFormat.class, ModelFiles.class.getClassLoader()).forEach(found::add);
        return found;
    }

    /**
     * Loads the model in {@code file}: with the first provided format that recognizes its
     * content, else as a purecnn model file ({@link Sequential#load}).
     *
     * @param file a purecnn model file, or a file of a provided format (such as a Keras {@code .h5}
     *     or {@code .keras} file with {@code purecnn-keras})
     * @return the model with its weights (a purecnn model file saved compiled also gives back its
     *     compile settings and optimizer state)
     * @throws ModelFormatException naming the file when its content is not a model file a format
     *     on the class path reads, or is damaged
     * @throws IOException naming the file when it cannot be read, and saying so when it is an
     *     HDF5 file that no module on the class path reads
     */
    public static Sequential load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] head;
        // Only a regular file: a named pipe would block this read, a folder fail it naming nothing.
        try (InputStream in = RegularFiles.newInputStream(file)) {
            head = in.readNBytes(HEAD_BYTES);
        }
        for (ModelFileFormat format : formats()) {
            if (format.recognizes(head)) {
                return format.read(file);
            }
        }
        if (startsWith(head, HDF5_SIGNATURE)) {
            throw new ModelFormatException(file + ": an HDF5 file (a Keras .h5 model?): reading it needs the"
                    + " purecnn-keras module on the class path");
        }
        return Sequential.load(file);
    }

    /**
     * Saves {@code model} to {@code file} in the format its name asks for: that of the first
     * provided format that {@link ModelFileFormat#writesTo writes to} such a name, else the
     * purecnn model file ({@link Sequential#save}).
     *
     * @param model the model to save
     * @param file the file to write, replaced atomically
     * @throws IOException naming the file when it cannot be written; any previous file is then unchanged
     * @throws IllegalStateException if the model has no layers and is saved as a purecnn model file
     * @throws IllegalArgumentException when the name asks for a Keras file ({@code .keras},
     *     {@code .h5}, {@code .hdf5}) and no module on the class path writes one
     */
    public static void save(Sequential model, Path file) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(file, "file");
        for (ModelFileFormat format : formats()) {
            if (format.writesTo(file)) {
                format.write(model, file);
                return;
            }
        }
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".keras") || name.endsWith(".h5") || name.endsWith(".hdf5")) {
            // Written as a purecnn model file, it would be a file whose name lies about its content.
            throw new IllegalArgumentException(file + ": writing Keras files needs the purecnn-keras module on the"
                    + " class path");
        }
        model.save(file);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
