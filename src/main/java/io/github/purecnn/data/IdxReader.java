package io.github.purecnn.data;

import io.github.purecnn.io.internal.RegularFiles;
import io.github.purecnn.io.internal.StrictGzipInputStream;
import io.github.purecnn.tensor.Shape;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and its relatives: a big-endian header (two zero bytes,
 * the element type code, the number of dimensions, then one 32-bit size per dimension) followed
 * by the elements in row-major order.
 *
 * <p>A file may be gzip-compressed; that is decided by its first two bytes (the gzip magic
 * {@code 1f 8b}), never by its name. There is no ambiguity: an IDX file starts with two zero
 * bytes.
 *
 * <p>The reader is strict. The file (for a gzip file: its uncompressed content) must hold
 * exactly the bytes its header promises, no fewer and no more; anything else, including a corrupt
 * or truncated gzip stream, raises an {@link IdxFormatException} that names the file and gives
 * the expected and the actual values. The gzip side is {@link StrictGzipInputStream}: several
 * members read as one stream, and a reserved header flag, a bad checksum or bytes after the last
 * member are errors.
 *
 * <p>The data size the header declares is held against a limit ({@link #DEFAULT_MAX_BYTES}, or
 * the caller's) before anything is allocated, and memory grows only as bytes really arrive: a
 * small file whose header claims gigabytes costs no more than its own length.
 */
public final class IdxReader {
    /** Java arrays cannot quite reach {@code Integer.MAX_VALUE} elements on common JVMs. */
    static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;
    /** The default limit on the data of one file: 1 GiB, twenty times MNIST's largest file. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    /** Bytes after the promised content are counted up to this many, for the message, and no further. */
    private static final long MAX_TRAILING_COUNTED = 1 << 20;

    private static final int BUFFER_BYTES = 1 << 16;
    /**
     * A gzip stream's uncompressed length is unknown until it ends, so its data buffer starts at
     * this size and doubles: a corrupt header promising gigabytes then costs no more memory than
     * the stream really holds.
     */
    private static final int FIRST_GZIP_CHUNK = 1 << 20;

    private final Path file;
    private final InputStream in;
    private final boolean gzip;
    private final long maxBytes;
    /** Bytes consumed from the (uncompressed) IDX content so far, for error messages. */
    private long position;

    private IdxReader(Path file, InputStream in, boolean gzip, long maxBytes) {
        this.file = file;
        this.in = in;
        this.gzip = gzip;
        this.maxBytes = maxBytes;
    }

    /**
     * Reads a whole IDX file, plain or gzip-compressed, of at most {@link #DEFAULT_MAX_BYTES} of data.
     *
     * @param file the file to read
     * @return its type, shape and elements
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws java.nio.file.FileSystemException naming the file if it is a folder, a pipe or a device
     * @throws IdxFormatException if the file is not a well-formed IDX file of exactly the length
     *     its header promises, its gzip stream is corrupt, or its data exceeds the limit
     * @throws IOException if the file cannot be read
     */
    public static IdxArray read(Path file) throws IOException {
        return read(file, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads a whole IDX file, plain or gzip-compressed, refusing one whose header declares more
     * than {@code maxBytes} of data before reading any of it.
     *
     * @param file the file to read
     * @param maxBytes the most data bytes (elements times their size) the file may declare; at
     *     most {@code Integer.MAX_VALUE - 8}, the size of one Java array
     * @return its type, shape and elements
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws java.nio.file.FileSystemException naming the file if it is a folder, a pipe or a device
     * @throws IdxFormatException if the file is not a well-formed IDX file of exactly the length
     *     its header promises, its gzip stream is corrupt, or its data exceeds {@code maxBytes}
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if {@code maxBytes} is negative or above {@code Integer.MAX_VALUE - 8}
     */
    public static IdxArray read(Path file, long maxBytes) throws IOException {
        if (maxBytes < 0 || maxBytes > MAX_ARRAY_BYTES) {
            throw new IllegalArgumentException("maxBytes must be between 0 and " + MAX_ARRAY_BYTES + ", found "
                    + maxBytes);
        }
        try (BufferedInputStream buffered = new BufferedInputStream(RegularFiles.newInputStream(file), BUFFER_BYTES)) {
            buffered.mark(2);
            boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
            buffered.reset();
            if (!gzip) {
                return new IdxReader(file, buffered, false, maxBytes).readIdx(Files.size(file));
            }
            StrictGzipInputStream inflating;
            try {
                inflating = new StrictGzipInputStream(buffered);
            } catch (ZipException | EOFException e) {
                throw new IdxFormatException(file + ": corrupt gzip header: " + e.getMessage(), e);
            }
            try (inflating) {
                return new IdxReader(file, inflating, true, maxBytes).readIdx(-1);
            }
        }
    }

    /** {@code fileLength} is the plain file's length, or -1 for a gzip stream. */
    private IdxArray readIdx(long fileLength) throws IOException {
        byte[] magic = readHeaderBytes(4, 4);
        if (magic[0] != 0 || magic[1] != 0) {
            throw format(String.format("not an IDX file: its magic number must start with two zero bytes,"
                    + " found %02x %02x", magic[0] & 0xFF, magic[1] & 0xFF));
        }
        IdxType type = IdxType.forCode(magic[2] & 0xFF);
        if (type == null) {
            throw format(String.format("unknown element type code 0x%02X in the magic number;"
                    + " expected one of %s", magic[2] & 0xFF, IdxType.validCodes()));
        }
        int rank = magic[3] & 0xFF;
        if (rank == 0) {
            throw format("the magic number gives 0 dimensions; an IDX file has 1 to 255");
        }
        int headerBytes = 4 + 4 * rank;
        byte[] sizes = readHeaderBytes(4 * rank, headerBytes);
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = ((sizes[4 * i] & 0xFFL) << 24) | ((sizes[4 * i + 1] & 0xFFL) << 16)
                    | ((sizes[4 * i + 2] & 0xFFL) << 8) | (sizes[4 * i + 3] & 0xFFL);
        }
        int dataBytes = checkedDataBytes(dims, type);
        if (dataBytes > maxBytes) {
            throw format("dimensions " + tuple(dims) + " of " + type + " declare " + dataBytes + " bytes of data,"
                    + " more than the limit of " + maxBytes + " bytes (IdxReader.read(file, maxBytes) sets it)");
        }
        Shape shape = Shape.of(Arrays.stream(dims).mapToInt(d -> (int) d).toArray());
        long expectedLength = (long) headerBytes + dataBytes;
        if (fileLength >= 0 && fileLength != expectedLength) {
            throw lengthMismatch(fileLength, headerBytes, type, shape, dataBytes);
        }
        byte[] data = readData(dataBytes, fileLength >= 0, headerBytes, type, shape);
        long trailing = countRemaining();
        if (trailing > MAX_TRAILING_COUNTED) {
            throw format((gzip ? "uncompressed content" : "file") + " is longer than its header (" + type
                    + ", dimensions " + shape + ") promises, " + expectedLength + " bytes: more than "
                    + MAX_TRAILING_COUNTED + " trailing bytes");
        }
        if (trailing > 0) {
            throw lengthMismatch(expectedLength + trailing, headerBytes, type, shape, dataBytes);
        }
        return new IdxArray(type, shape, data);
    }

    /** The number of data bytes the dimensions describe, checked to fit one Java array. */
    private int checkedDataBytes(long[] dims, IdxType type) throws IdxFormatException {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 0) {
                throw format("dimension " + i + " of " + tuple(dims) + " is 0; every dimension must be at least 1");
            }
        }
        long bytes = type.elementBytes();
        for (int i = 0; i < dims.length; i++) {
            // Dimensions are at most 2^32 - 1 and the product so far at most MAX_ARRAY_BYTES, so
            // this long product cannot overflow before the check below stops it.
            bytes *= dims[i];
            if (bytes > MAX_ARRAY_BYTES) {
                BigInteger count = BigInteger.ONE;
                for (long d : dims) {
                    count = count.multiply(BigInteger.valueOf(d));
                }
                throw format("dimensions " + tuple(dims) + " describe " + count + " elements of "
                        + type + ", " + count.multiply(BigInteger.valueOf(type.elementBytes()))
                        + " bytes; one Java array holds at most " + MAX_ARRAY_BYTES + " bytes");
            }
        }
        return (int) bytes;
    }

    /** Dimensions in the notation of {@link Shape#toString()}, for sizes that make no valid shape. */
    private static String tuple(long[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i > 0 ? ", " : "").append(dims[i]);
        }
        return sb.append(dims.length == 1 ? ",)" : ")").toString();
    }

    /** Reads {@code count} header bytes; {@code headerBytes} is the full header length, for the message. */
    private byte[] readHeaderBytes(int count, int headerBytes) throws IOException {
        byte[] b = new byte[count];
        int n = readFully(b, 0, count);
        if (n < count) {
            throw format((gzip ? "uncompressed content" : "file") + " ends after " + position
                    + " bytes, inside the IDX header" + (headerBytes > 4 ? " of " + headerBytes + " bytes" : ""));
        }
        return b;
    }

    private byte[] readData(int length, boolean lengthChecked, int headerBytes, IdxType type, Shape shape)
            throws IOException {
        byte[] buf = new byte[lengthChecked ? length : Math.min(length, FIRST_GZIP_CHUNK)];
        int filled = 0;
        while (true) {
            filled += readFully(buf, filled, buf.length - filled);
            if (filled < buf.length) {
                throw lengthMismatch(headerBytes + (long) filled, headerBytes, type, shape, length);
            }
            if (filled == length) {
                return buf;
            }
            buf = Arrays.copyOf(buf, (int) Math.min(length, 2L * buf.length));
        }
    }

    /** Reads until {@code len} bytes or the end of the stream; returns how many were read. */
    private int readFully(byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = read(b, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /**
     * Counts the bytes left, stopping once past {@link #MAX_TRAILING_COUNTED}: a small gzip file
     * can inflate to gigabytes of trailing zeros, which are not worth the time to count.
     */
    private long countRemaining() throws IOException {
        byte[] sink = new byte[BUFFER_BYTES];
        long count = 0;
        for (int n; count <= MAX_TRAILING_COUNTED && (n = read(sink, 0, sink.length)) >= 0; ) {
            count += n;
        }
        return count;
    }

    /** The one place that reads the stream, so that every failure gets the file name and position. */
    private int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (ZipException | EOFException e) {
            // Only the gzip layer throws these; a failure of the file system itself already names the file.
            throw format("corrupt or truncated gzip stream after " + position + " uncompressed bytes: "
                    + e.getMessage(), e);
        }
        if (n > 0) {
            position += n;
        }
        return n;
    }

    private IdxFormatException lengthMismatch(long actual, int headerBytes, IdxType type, Shape shape, int dataBytes) {
        long expected = (long) headerBytes + dataBytes;
        String what = gzip ? "uncompressed content" : "file";
        String verdict = actual < expected ? "truncated" : (actual - expected) + " trailing bytes";
        return format(what + " is " + actual + " bytes long, but its header (" + type + ", dimensions " + shape
                + ") promises " + headerBytes + " + " + dataBytes + " = " + expected + " bytes: " + verdict);
    }

    private IdxFormatException format(String problem) {
        return new IdxFormatException(file + ": " + problem);
    }

    private IdxFormatException format(String problem, Throwable cause) {
        return new IdxFormatException(file + ": " + problem, cause);
    }
}
