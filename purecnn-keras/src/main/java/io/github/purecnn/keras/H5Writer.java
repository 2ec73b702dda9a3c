package io.github.purecnn.keras;

import io.github.purecnn.io.AtomicFiles;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes an HDF5 file through jHDF, whose writer takes a path and builds the file in one go on
 * {@code close}: the file is made in a temporary file, then either copied into place atomically
 * ({@link #writeAtomically}) or read back as bytes for an archive entry ({@link #toBytes}).
 */
final class H5Writer {
    /** Fills a new HDF5 file's root group. */
    @FunctionalInterface
    interface Content {
        void fill(WritableGroup root) throws IOException;
    }

    /** The attribute jHDF adds to every root it writes; Keras's files have no such attribute, so it is removed. */
    private static final String JHDF_MARK = "_jHDF";

    private H5Writer() {
    }

    /** Writes the HDF5 file to {@code target}, replacing any previous file atomically. */
    static void writeAtomically(Path target, Content content) throws IOException {
        Path temp = write(content);
        try {
            AtomicFiles.write(target, out -> Files.copy(temp, out));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The bytes of the HDF5 file. */
    static byte[] toBytes(Content content) throws IOException {
        Path temp = write(content);
        try {
            return Files.readAllBytes(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path write(Content content) throws IOException {
        Path temp = Files.createTempFile("purecnn-keras-", ".h5");
        try {
            try (WritableHdfFile hdf = HdfFile.write(temp)) {
                content.fill(hdf);
                hdf.removeAttribute(JHDF_MARK);
            }
            return temp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot write the HDF5 file: " + e, e);
        }
    }
}
