package io.github.purecnn.io.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Opens files for reading only when they are regular files, and names the file in every error.
 *
 * <p>Every reader of this library goes through here, because a path given by a user may name a
 * folder (which the file system refuses with a bare "Is a directory") or a named pipe, whose
 * opening blocks until some other process writes to it: a reader must never wait forever on a
 * path that was supposed to be a file. The check follows symbolic links, so a link to a file
 * is read as that file.
 */
public final class RegularFiles {

    private RegularFiles() {
    }

    /**
     * Checks that {@code file} is a regular file, without opening it.
     *
     * @param file the path to check
     * @throws java.nio.file.NoSuchFileException if nothing is there
     * @throws FileSystemException naming {@code file} if it is a folder, a pipe, a socket or a device
     * @throws IOException if its attributes cannot be read
     */
    public static void requireRegularFile(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new FileSystemException(file.toString(), null, (attributes.isDirectory() ? "is a folder"
                    : "is not a regular file (a pipe, socket or device)") + ", expected a file");
        }
    }

    /**
     * Opens {@code file} for reading once {@link #requireRegularFile} has passed. A read that
     * fails in the file system (a failing disk, a file on a vanished network share) throws a
     * {@link FileSystemException} that names {@code file}.
     *
     * @param file the file to open
     * @return a stream of its bytes, unbuffered
     * @throws java.nio.file.NoSuchFileException if nothing is there
     * @throws FileSystemException naming {@code file} if it is not a regular file
     * @throws IOException if it cannot be opened
     */
    public static InputStream newInputStream(Path file) throws IOException {
        requireRegularFile(file);
        return new FilterInputStream(Files.newInputStream(file)) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw readFailed(file, e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return in.read(b, off, len);
                } catch (IOException e) {
                    throw readFailed(file, e);
                }
            }

            @Override
            public long skip(long n) throws IOException {
                try {
                    return super.skip(n);
                } catch (IOException e) {
                    throw readFailed(file, e);
                }
            }
        };
    }

    private static FileSystemException readFailed(Path file, IOException cause) {
        FileSystemException e = new FileSystemException(file.toString(), null, "read failed: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }
}
