package io.github.purecnn.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers, and the file system after a crash, see either the previous
 * file or the complete new one, never a half-written one.
 *
 * <p>The content goes to a temporary file in the target's folder (the same file system, so the
 * final rename is a rename and not a copy), is flushed and forced to the disk, and is then
 * renamed over the target. On any failure the temporary file is deleted and the target is left
 * as it was.
 */
public final class AtomicFiles {

    /** Writes content to a stream; may throw {@link IOException}. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        /** Consumes {@code value}, for example writes the file content to it. */
        void accept(T value) throws IOException;
    }

    private static final int BUFFER = 1 << 16;
    private static final int NAME_ATTEMPTS = 10;

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with what {@code body} writes. The stream handed to {@code body} is
     * buffered; closing it is allowed and only flushes it.
     *
     * @throws IOException what {@code body} or the file system threw; {@code target} is then
     *     unchanged and no temporary file remains
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(body, "body");
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null) {
            throw new IllegalArgumentException("expected a path to a file, found " + target);
        }
        Path temp = null;
        FileChannel channel = null;
        try {
            // Not Files.createTempFile: its owner-only permissions would carry over to the target.
            for (int attempt = 0; channel == null; attempt++) {
                temp = dir.resolve("." + absolute.getFileName() + "."
                        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
                try {
                    channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    temp = null;
                    if (attempt + 1 == NAME_ATTEMPTS) {
                        throw e;
                    }
                }
            }
            try (FileChannel ch = channel) {
                OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER);
                body.accept(new FilterOutputStream(buffered) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        // The channel must stay open until it has been forced to the disk.
                        flush();
                    }
                });
                buffered.flush();
                ch.force(true);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (Throwable t) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    t.addSuppressed(e);
                }
            }
            throw t;
        }
        syncDirectory(dir);
    }

    /**
     * Forces the folder entry of the rename to the disk, so the new file survives a power loss.
     * Some platforms (Windows) cannot open a folder as a channel; there the rename's own
     * guarantees are all there is, and the write has still succeeded.
     */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Not an error: the file is complete and in place; only durability is platform-bound.
        }
    }
}
