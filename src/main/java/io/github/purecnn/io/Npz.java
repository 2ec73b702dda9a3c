package io.github.purecnn.io;

import io.github.purecnn.io.internal.AtomicFiles;
import io.github.purecnn.io.internal.RegularFiles;
import io.github.purecnn.io.internal.ZipArchives;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy's {@code .npz} archives: a ZIP file with one {@code .npy} entry per
 * named array, as {@code np.savez} and {@code np.savez_compressed} make them. Names are given
 * and returned without the {@code .npy} suffix, and keep the order of the archive.
 *
 * <p>Reading never trusts the sizes a ZIP header declares: each entry is parsed as a stream,
 * so no more than its {@code .npy} header announces (and the limit allows) is ever inflated.
 */
public final class Npz {

    /** How entries are stored when writing. */
    public enum Compression {
        /** Entries as they are, like {@code np.savez}. */
        STORED,
        /** Entries deflated, like {@code np.savez_compressed}. */
        DEFLATED
    }

    private static final String SUFFIX = ".npy";
    /** A fixed entry time, so that the same arrays always make the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {
    }

    /**
     * Names arrays as {@code np.savez(path, *arrays)} does: {@code arr_0}, {@code arr_1}, ...
     *
     * @param arrays the arrays, in order
     * @return a new ordered map from those names to {@code arrays}
     */
    public static Map<String, NpyArray> positional(NpyArray... arrays) {
        Map<String, NpyArray> named = new LinkedHashMap<>();
        for (int i = 0; i < arrays.length; i++) {
            named.put("arr_" + i, Objects.requireNonNull(arrays[i], "arrays[" + i + "]"));
        }
        return named;
    }

    /**
     * Reads the archive at {@code path}, with the {@link Npy#DEFAULT_MAX_BYTES} limit on all its data.
     *
     * @param path the {@code .npz} file
     * @return the arrays by name, in archive order
     * @throws IOException as {@link #read(Path, long)}
     */
    public static Map<String, NpyArray> read(Path path) throws IOException {
        return read(path, Npy.DEFAULT_MAX_BYTES);
    }

    /**
     * Reads the archive at {@code path}, refusing more than {@code maxBytes} of array data in total.
     * Besides what {@link #read(InputStream, String, long)} checks, the archive's central directory
     * must list exactly the entries read, as NumPy (which goes by that directory) would see them.
     *
     * @param path the {@code .npz} file
     * @param maxBytes the most array data, summed over all entries, the archive may hold
     * @return the arrays by name, in archive order, in a map that cannot be modified
     * @throws NpyFormatException as {@link #read(InputStream, String, long)}, and if the central
     *     directory is missing or disagrees with the entries
     * @throws java.nio.file.FileSystemException naming the file if it is not a regular file
     */
    public static Map<String, NpyArray> read(Path path, long maxBytes) throws IOException {
        List<String> entries = new ArrayList<>();
        Map<String, NpyArray> arrays;
        try (InputStream in = RegularFiles.newInputStream(path)) {
            arrays = read(in, path.toString(), maxBytes, entries);
        }
        try {
            ZipArchives.requireCentralDirectory(path, entries);
        } catch (ZipException e) {
            throw new NpyFormatException(path + ": " + e.getMessage(), e);
        }
        return arrays;
    }

    /**
     * Reads an archive from {@code in}; does not close it. A stream is read once, front to back,
     * so the central directory at its end is not compared with the entries: {@link #read(Path, long)}
     * does that for a file.
     *
     * @param in the stream
     * @param source names the stream in messages, e.g. a file name
     * @param maxBytes the most array data, summed over all entries, the archive may hold
     * @return the arrays by name, in archive order, in a map that cannot be modified
     * @throws NpyFormatException if the stream is not a ZIP archive, an entry is not a valid
     *     {@code .npy} file, two entries have the same name, or the data exceeds {@code maxBytes}
     */
    public static Map<String, NpyArray> read(InputStream in, String source, long maxBytes) throws IOException {
        return read(in, source, maxBytes, new ArrayList<>());
    }

    /** Reads an archive from {@code in}, adding each entry's name to {@code entries} as it is met. */
    private static Map<String, NpyArray> read(InputStream in, String source, long maxBytes, List<String> entries)
            throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        if (maxBytes < 0 || maxBytes > Npy.MAX_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxBytes must be between 0 and " + Npy.MAX_BYTES_LIMIT
                    + ", found " + maxBytes);
        }
        BufferedInputStream buffered = new BufferedInputStream(in);
        checkZipSignature(buffered, source);
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        long left = maxBytes;
        String where = source;
        try {
            ZipInputStream zip = new ZipInputStream(buffered);
            String previous = null;
            for (ZipEntry entry = next(zip, source, previous); entry != null; entry = next(zip, source, previous)) {
                String entryName = entry.getName();
                entries.add(entryName);
                previous = entryName;
                where = source + " entry '" + entryName + "'";
                if (entry.isDirectory() || !entryName.endsWith(SUFFIX)) {
                    throw new NpyFormatException(where + ": expected only .npy entries in an .npz archive, found "
                            + (entry.isDirectory() ? "a folder" : "another kind of file"));
                }
                String name = entryName.substring(0, entryName.length() - SUFFIX.length());
                if (arrays.containsKey(name)) {
                    throw new NpyFormatException(where + ": expected each array name once, found '" + name
                            + "' twice");
                }
                String limitName = left == maxBytes ? "the archive's limit of " + maxBytes + " bytes"
                        : "the " + left + " bytes left of the archive's limit of " + maxBytes + " bytes";
                NpyArray array = Npy.read(zip, where, left, limitName);
                left -= array.dataBytes();
                arrays.put(name, array);
                where = source;
            }
        } catch (ZipException | EOFException e) {
            // The ZIP layer's own checks: bad CRC, bad compressed data, a stream cut short.
            throw new NpyFormatException(where + ": corrupt or truncated ZIP archive: " + ZipArchives.reason(e), e);
        }
        return Collections.unmodifiableMap(arrays);
    }

    /** The next entry; a malformed entry header is reported with what came before it. */
    private static ZipEntry next(ZipInputStream zip, String source, String previous) throws IOException {
        try {
            return ZipArchives.nextEntry(zip);
        } catch (ZipException e) {
            throw new NpyFormatException(source + (previous == null ? ", first entry" : ", entry after '" + previous
                    + "'") + ": corrupt ZIP archive: " + e.getMessage(), e);
        }
    }

    /**
     * A stream that is not a ZIP archive at all reads as an empty one through
     * {@link ZipInputStream}; look at its first bytes so that mistake gets a clear message.
     */
    private static void checkZipSignature(BufferedInputStream in, String source) throws IOException {
        in.mark(4);
        byte[] sig = in.readNBytes(4);
        in.reset();
        boolean entry = sig.length == 4 && sig[0] == 'P' && sig[1] == 'K' && sig[2] == 3 && sig[3] == 4;
        boolean empty = sig.length == 4 && sig[0] == 'P' && sig[1] == 'K' && sig[2] == 5 && sig[3] == 6;
        if (!entry && !empty) {
            throw new NpyFormatException(source + ": not an .npz (ZIP) archive: expected it to start with"
                    + " PK\\3\\4 or PK\\5\\6, found " + (sig.length == 0 ? "an empty file"
                    : "the bytes " + HexFormat.ofDelimiter(" ").formatHex(sig)));
        }
    }

    /**
     * Writes {@code arrays} to {@code path}, deflated, through {@link AtomicFiles}.
     *
     * @param path the file to write
     * @param arrays the arrays by name, written in map order
     * @throws IOException if the file cannot be written; it is then unchanged
     */
    public static void write(Path path, Map<String, NpyArray> arrays) throws IOException {
        write(path, arrays, Compression.DEFLATED);
    }

    /**
     * Writes {@code arrays} to {@code path} through {@link AtomicFiles}, in map order.
     *
     * @param path the file to write
     * @param arrays the arrays by name
     * @param compression stored, as {@code np.savez}, or deflated, as {@code np.savez_compressed}
     * @throws IOException if the file cannot be written; it is then unchanged
     */
    public static void write(Path path, Map<String, NpyArray> arrays, Compression compression) throws IOException {
        checkNames(arrays);
        Objects.requireNonNull(compression, "compression");
        AtomicFiles.write(path, out -> write(out, arrays, compression));
    }

    /**
     * Writes {@code arrays} as an archive to {@code out}, in map order, elements little-endian.
     * Finishes the archive but does not close {@code out}.
     *
     * @param out where to write
     * @param arrays the arrays by name
     * @param compression stored or deflated
     * @throws IOException if {@code out} fails
     */
    public static void write(OutputStream out, Map<String, NpyArray> arrays, Compression compression)
            throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(compression, "compression");
        checkNames(arrays);
        // Closing the ZipOutputStream finishes the archive and frees its native deflater, but must
        // not close the caller's stream, hence this wrapper without close().
        try (ZipOutputStream zip = new ZipOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        })) {
            writeEntries(zip, arrays, compression);
        }
    }

    private static void writeEntries(ZipOutputStream zip, Map<String, NpyArray> arrays, Compression compression)
            throws IOException {
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            ZipEntry entry = new ZipEntry(e.getKey() + SUFFIX);
            entry.setTimeLocal(ENTRY_TIME);
            if (compression == Compression.STORED) {
                // A stored entry's header carries its size and CRC before the data, so compute them
                // with a first pass through the encoder rather than holding the encoded bytes.
                CheckedOutputStream crc = new CheckedOutputStream(OutputStream.nullOutputStream(), new CRC32());
                Npy.write(crc, e.getValue(), ByteOrder.LITTLE_ENDIAN);
                long size = NpyHeader.encode(e.getValue().dtype(), ByteOrder.LITTLE_ENDIAN,
                        e.getValue().shape()).length + e.getValue().dataBytes();
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(size);
                entry.setCompressedSize(size);
                entry.setCrc(crc.getChecksum().getValue());
            } else {
                entry.setMethod(ZipEntry.DEFLATED);
            }
            zip.putNextEntry(entry);
            Npy.write(zip, e.getValue(), ByteOrder.LITTLE_ENDIAN);
            zip.closeEntry();
        }
    }

    private static void checkNames(Map<String, NpyArray> arrays) {
        Objects.requireNonNull(arrays, "arrays");
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("every array needs a non-empty name, found "
                        + (e.getKey() == null ? "null" : "\"\"") + " in " + arrays.keySet());
            }
            Objects.requireNonNull(e.getValue(), () -> "array '" + e.getKey() + "'");
        }
    }
}
