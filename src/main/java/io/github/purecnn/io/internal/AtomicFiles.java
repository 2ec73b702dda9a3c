package io.github.purecnn.io.internal;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes a file so that readers, and the file system after a crash, see either the previous
 * file or the complete new one, never a half-written one.
 *
 * <p>The content goes to a temporary file in the target's folder (the same file system, so the
 * final rename is a rename and not a copy), named {@code .NAME.RANDOM.tmp}, is flushed and forced
 * to the disk, and is then renamed over the target. On any failure the temporary file is deleted
 * and the target is left as it was.
 *
 * <p>A process killed in the middle of a write cannot delete its temporary file; the next
 * successful write of the same target removes such leftovers once they are
 * {@link #STALE_AFTER} old, so that a write still running in another process keeps its own.
 *
 * <p>A target that is a symbolic link is not replaced: the file it points to is written (through
 * any chain of links), and the link stays, as {@code echo > link} would do. A target that exists
 * but is not a regular file (a folder, a device, a pipe) is refused. Failures of the file system
 * while writing (a full disk, a quota) name the target.
 */
public final class AtomicFiles {

    /** Writes content to a stream; may throw {@link IOException}. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        /**
         * Consumes {@code value}, for example writes the file content to it.
         *
         * @param value what to consume
         * @throws IOException if consuming fails
         */
        void accept(T value) throws IOException;
    }

    /**
     * How old a leftover temporary file must be before a later write removes it: far longer than
     * any write of this library takes, so that only files of dead writers go.
     */
    public static final Duration STALE_AFTER = Duration.ofHours(1);

    private static final int BUFFER = 1 << 16;
    private static final int NAME_ATTEMPTS = 10;
    /** What Linux allows when resolving a path, so that a loop of links ends with a message. */
    private static final int MAX_LINKS = 40;

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with what {@code body} writes. The stream handed to {@code body} is
     * buffered; closing it is allowed and only flushes it. Exceptions that {@code body} throws
     * itself pass through unchanged.
     *
     * @param target the file to write; if a symbolic link, the file it points to
     * @param body writes the content
     * @throws FileSystemException naming {@code target} when the file system fails while writing
     *     (a full disk), or when the target is a folder or another kind of file that is not regular
     * @throws IOException what {@code body} or the file system threw; {@code target} is then
     *     unchanged and no temporary file remains
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(body, "body");
        Path file = followLinks(target);
        Path dir = file.getParent();
        if (dir == null || file.getFileName() == null) {
            throw new IllegalArgumentException("expected a path to a file, found " + target);
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new FileSystemException(target.toString(), null, (Files.isDirectory(file) ? "is a folder"
                    : "is not a regular file (a pipe, socket or device)") + ": expected a file to replace");
        }
        String name = file.getFileName().toString();
        Path temp = null;
        FileChannel channel = null;
        try {
            // Not Files.createTempFile: its owner-only permissions would carry over to the target.
            for (int attempt = 0; channel == null; attempt++) {
                temp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36)
                        + ".tmp");
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
                OutputStream buffered = new BufferedOutputStream(new PathNamingStream(Channels.newOutputStream(ch),
                        target), BUFFER);
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
                try {
                    ch.force(true);
                } catch (IOException e) {
                    throw failure(target, e);
                }
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
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
        removeStaleTemporaryFiles(dir, name, Instant.now().minus(STALE_AFTER));
    }

    /**
     * The file that {@code target} finally names: {@code target} itself unless it is a symbolic
     * link, else the end of its chain of links (which need not exist yet), as an absolute path.
     */
    static Path followLinks(Path target) throws IOException {
        Path path = target.toAbsolutePath();
        for (int links = 0; Files.isSymbolicLink(path); links++) {
            if (links == MAX_LINKS) {
                throw new FileSystemException(target.toString(), null, "more than " + MAX_LINKS
                        + " symbolic links in a row (a loop?)");
            }
            // A relative link is relative to the folder that holds the link.
            path = path.getParent().resolve(Files.readSymbolicLink(path));
        }
        return path;
    }

    /**
     * Deletes the temporary files of earlier writes of {@code name} in {@code dir} that are older
     * than {@code before}: only names of exactly this class's pattern for this target, only
     * regular files. Best effort: a file that cannot be removed stays, and the write has succeeded.
     */
    static void removeStaleTemporaryFiles(Path dir, String name, Instant before) {
        Pattern own = Pattern.compile("\\." + Pattern.quote(name) + "\\.[0-9a-z]{1,16}\\.tmp");
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(dir,
                p -> own.matcher(p.getFileName().toString()).matches())) {
            for (Path p : candidates) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(before)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // Not an error: the new file is complete and in place; the leftover waits for the next write.
        }
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

    private static FileSystemException failure(Path target, IOException cause) {
        FileSystemException e = new FileSystemException(target.toString(), null, "write failed: " + cause.getMessage());
        e.initCause(cause);
        return e;
    }

    /**
     * The channel's stream, whose failures ("No space left on device" names no file) name the target.
     * It sits below the buffer, so it sees only the file system's own errors, never the body's.
     */
    private static final class PathNamingStream extends FilterOutputStream {
        private final Path target;

        PathNamingStream(OutputStream out, Path target) {
            super(out);
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw failure(target, e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw failure(target, e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw failure(target, e);
            }
        }
    }
}
