package io.github.purecnn.keras;

import io.github.purecnn.io.internal.AtomicFiles;
import io.jhdf.Superblock;
import io.jhdf.WritableGroupImpl;
import io.jhdf.api.WritableGroup;
import io.jhdf.storage.HdfFileChannel;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes an HDF5 file with jHDF's writable groups and datasets. The file is made in a temporary
 * file, then either copied into place atomically ({@link #writeAtomically}) or read back as bytes
 * for an archive entry ({@link #toBytes}).
 *
 * <p>jHDF's own {@code WritableHdfFile.close} is not used: after writing the groups it appends its
 * signature block at the end of the last dataset's data, not at the end of the file, and so
 * overwrites the headers of any groups written after that dataset (an empty group sorted after
 * one holding data, as Keras's layouts have: {@code layers/flatten/vars}, the root {@code vars}).
 * This class writes the same superblock and root group through jHDF's public classes, recording
 * the true end of the file, and adds no signature attribute (Keras's files have none).
 */
final class H5Writer {
    /** Fills a new HDF5 file's root group. */
    @FunctionalInterface
    interface Content {
        void fill(WritableGroup root) throws IOException;
    }

    /** Where jHDF's superblock version 2 puts the root group's object header. */
    private static final long ROOT_GROUP_ADDRESS = 64;

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
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                Superblock.SuperblockV2V3 superblock = new Superblock.SuperblockV2V3();
                HdfFileChannel hdf = new HdfFileChannel(channel, superblock);
                WritableGroupImpl root = new WritableGroupImpl(null, "/");
                content.fill(root);
                long end = root.write(hdf, ROOT_GROUP_ADDRESS);
                hdf.write(superblock.toBuffer(Math.max(end, channel.size())), 0);
                channel.force(true);
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
