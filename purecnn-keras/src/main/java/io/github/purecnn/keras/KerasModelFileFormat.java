package io.github.purecnn.keras;

import io.github.purecnn.model.ModelFileFormat;
import io.github.purecnn.model.Sequential;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Keras's {@code .h5} and {@code .keras} files as a model file format of the core's
 * {@link io.github.purecnn.model.ModelFiles} (registered in
 * {@code META-INF/services/io.github.purecnn.model.ModelFileFormat}), so that the command line's
 * {@code --model}, and {@code convert}, take them.
 */
public final class KerasModelFileFormat implements ModelFileFormat {

    /** Found by {@link java.util.ServiceLoader}. */
    public KerasModelFileFormat() {
    }

    @Override
    public String description() {
        return "Keras 2 HDF5 model (.h5), Keras 3 archive (.keras)";
    }

    @Override
    public boolean recognizes(byte[] head) {
        KerasModels.Kind kind = KerasModels.kind(head);
        return kind == KerasModels.Kind.HDF5 || kind == KerasModels.Kind.ARCHIVE;
    }

    @Override
    public boolean writesTo(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        return name.endsWith(".keras") || name.endsWith(".h5") || name.endsWith(".hdf5");
    }

    @Override
    public Sequential read(Path file) throws IOException {
        return KerasModels.load(file);
    }

    @Override
    public void write(Sequential model, Path file) throws IOException {
        KerasModels.save(model, file);
    }
}
