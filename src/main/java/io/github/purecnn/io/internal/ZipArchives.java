package io.github.purecnn.io.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * The two checks every ZIP-based reader here ({@code .npz} archives, model files) needs on top of
 * {@link ZipInputStream}, which reads an archive as a stream of local entries.
 * <ul>
 *   <li>{@link #nextEntry}: the JDK reports a malformed local header, such as an entry name that
 *       is not valid UTF-8, with an unchecked exception that names nothing; here it becomes a
 *       {@link ZipException} the reader can wrap with its file and position.</li>
 *   <li>{@link #requireCentralDirectory}: a stream reader never looks at the central directory at
 *       the end of the file, which is what {@code unzip}, Python's {@code zipfile} and so NumPy
 *       go by. A file cut short there, or one whose directory shows other tools other entries,
 *       would read here as intact although they refuse it.</li>
 * </ul>
 */
public final class ZipArchives {

    private ZipArchives() {
    }

    /**
     * {@code zip.getNextEntry()}, with a malformed entry header reported as a {@link ZipException}.
     *
     * @param zip the archive being read
     * @return the next entry, or null at the end of the local entries
     * @throws ZipException if the entry's header is malformed (its name is not valid UTF-8, its
     *     extra fields are inconsistent, ...)
     * @throws IOException as {@link ZipInputStream#getNextEntry} throws it
     */
    public static ZipEntry nextEntry(ZipInputStream zip) throws IOException {
        try {
            return zip.getNextEntry();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // What the JDK throws for a name that does not decode ("malformed input off : 0, length : 1").
            ZipException z = new ZipException("malformed entry header: " + e.getMessage()
                    + " (an entry name that is not valid UTF-8, or inconsistent header fields)");
            z.initCause(e);
            throw z;
        }
    }

    /**
     * What the ZIP layer said went wrong: its message, which the JDK leaves out for some streams
     * that end early.
     *
     * @param e a {@link ZipException} or {@link java.io.EOFException} from reading an archive
     * @return its message, or a sentence saying the archive ends too early
     */
    public static String reason(IOException e) {
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        return e instanceof java.io.EOFException ? "the archive ends inside an entry" : e.getClass().getSimpleName();
    }

    /**
     * Checks that the central directory of {@code file} lists exactly the entries in
     * {@code streamed}, in that order.
     *
     * @param file the archive
     * @param streamed the entry names as {@link #nextEntry} met them
     * @throws ZipException if the file has no readable central directory, or it lists other entries;
     *     the message says which, but does not name the file (the caller adds its own context)
     */
    public static void requireCentralDirectory(Path file, List<String> streamed) throws ZipException {
        List<String> listed = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            zip.stream().forEach(e -> listed.add(e.getName()));
        } catch (IOException | IllegalArgumentException e) {
            ZipException z = new ZipException("truncated or corrupt ZIP archive: expected a central directory at its"
                    + " end, found none readable (" + e.getMessage() + ")");
            z.initCause(e);
            throw z;
        }
        if (!listed.equals(streamed)) {
            throw new ZipException("corrupt ZIP archive: its central directory lists the entries " + listed
                    + ", its contents hold " + streamed);
        }
    }
}
