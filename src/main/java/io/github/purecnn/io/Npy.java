package io.github.purecnn.io;

import io.github.purecnn.io.NpyArray.DType;

import io.github.purecnn.io.internal.AtomicFiles;
import io.github.purecnn.io.internal.RegularFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Reads and writes NumPy's {@code .npy} format: a magic string, a version, a Python-dict header
 * giving dtype, order and shape, then the elements in C order.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0, the dtypes of {@link DType} in either
 * byte order, and C order only. Writing produces version 1.0 (2.0 only if the header outgrows
 * 1.0's 64 KiB), byte for byte as NumPy's {@code np.save} writes the same array.
 *
 * <p>Readers never trust the header's sizes: the data size must be below a limit the caller
 * chooses, and memory is allocated as bytes actually arrive, so a short file that claims to
 * hold gigabytes costs no more than its real length before it is rejected as truncated.
 */
public final class Npy {
    /** The default limit on the data bytes of one array, or of all arrays of an archive: 1 GiB. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;
    /** The largest limit a caller may set: the data is read into one Java byte array. */
    public static final long MAX_BYTES_LIMIT = Integer.MAX_VALUE - 8;
    /**
     * The longest header read. NumPy's own writer needs a few hundred bytes even at 32 dimensions;
     * the limit only stops a corrupt length field from making us read megabytes of "header".
     */
    static final int MAX_HEADER_BYTES = 1 << 20;
    /** Reads start with a buffer of at most this size and double it as data keeps arriving. */
    private static final int FIRST_CHUNK = 1 << 16;
    /** Elements are encoded through a buffer of this size. */
    private static final int WRITE_CHUNK = 1 << 16;

    private Npy() {
    }

    /**
     * Reads the array in {@code path}, with the {@link #DEFAULT_MAX_BYTES} limit.
     *
     * @param path the {@code .npy} file
     * @return its array
     * @throws IOException as {@link #read(Path, long)}
     */
    public static NpyArray read(Path path) throws IOException {
        return read(path, DEFAULT_MAX_BYTES);
    }

    /**
     * Reads the array in {@code path}, refusing data larger than {@code maxBytes}.
     *
     * @param path the {@code .npy} file
     * @param maxBytes the most data bytes the header may declare, at most {@link #MAX_BYTES_LIMIT}
     * @return its array
     * @throws NpyFormatException if the file is not a valid {@code .npy} file this reader
     *     supports, or its data exceeds {@code maxBytes}
     * @throws java.nio.file.FileSystemException naming the file if it is not a regular file
     */
    public static NpyArray read(Path path, long maxBytes) throws IOException {
        checkLimit(maxBytes);
        try (InputStream in = new BufferedInputStream(RegularFiles.newInputStream(path), FIRST_CHUNK)) {
            return read(in, path.toString(), maxBytes);
        }
    }

    /**
     * Reads one array from {@code in}, which must end right after it; does not close {@code in}.
     *
     * @param in the stream
     * @param source names the stream in messages, e.g. a file name
     * @param maxBytes the most data bytes the header may declare, at most {@link #MAX_BYTES_LIMIT}
     * @return the array
     * @throws NpyFormatException if the stream is not a valid {@code .npy} file this reader
     *     supports, has bytes after the array, or its data exceeds {@code maxBytes}
     */
    public static NpyArray read(InputStream in, String source, long maxBytes) throws IOException {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(source, "source");
        checkLimit(maxBytes);
        return read(in, source, maxBytes, "the limit of " + maxBytes + " bytes");
    }

    /**
     * Reads one array, then checks that {@code in} ends. {@code limitName} says in messages what
     * {@code maxBytes} is, since an archive passes what is left of its own limit.
     */
    static NpyArray read(InputStream in, String source, long maxBytes, String limitName) throws IOException {
        byte[] start = readUpTo(in, 10);
        if (start.length < 10 || !Arrays.equals(start, 0, 6, NpyHeader.MAGIC, 0, 6)) {
            throw new NpyFormatException(source + ": not a .npy file: expected it to start with the magic"
                    + " \\x93NUMPY and a version, found " + (start.length == 0 ? "an empty file"
                    : "the bytes " + HexFormat.ofDelimiter(" ").formatHex(start)));
        }
        int major = start[6];
        int minor = start[7];
        if ((major < 1 || major > 3) || minor != 0) {
            throw new NpyFormatException(source + ": unsupported .npy format version " + major + "." + minor
                    + ": expected 1.0, 2.0 or 3.0");
        }
        long headerLength = (start[8] & 0xFF) | (start[9] & 0xFF) << 8;
        if (major > 1) {
            byte[] high = readUpTo(in, 2);
            if (high.length < 2) {
                throw truncated(source, "the 4-byte header length", 4, 2 + high.length);
            }
            headerLength |= ((long) (high[0] & 0xFF) << 16) | ((long) (high[1] & 0xFF) << 24);
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new NpyFormatException(source + ": bad header: expected a header length of at most "
                    + MAX_HEADER_BYTES + " bytes, found " + headerLength);
        }
        byte[] headerBytes = readUpTo(in, (int) headerLength);
        if (headerBytes.length < headerLength) {
            throw truncated(source, "the header", headerLength, headerBytes.length);
        }
        NpyHeader header = NpyHeader.parse(decodeHeader(headerBytes, major, source), source);

        int count = checkedCount(header, source);
        long dataBytes = (long) count * header.dtype.itemSize();
        if (dataBytes > maxBytes) {
            throw new NpyFormatException(source + ": header declares " + header.dtype.numpyName() + " shape "
                    + header.shapeTuple() + ", " + dataBytes + " bytes of data: expected at most "
                    + limitName);
        }
        byte[] data = readUpTo(in, (int) dataBytes);
        if (data.length < dataBytes) {
            throw truncated(source, "the data of the " + header.dtype.numpyName() + " array "
                    + header.shapeTuple(), dataBytes, data.length);
        }
        if (in.read() >= 0) {
            throw new NpyFormatException(source + ": trailing bytes: expected the file to end after the "
                    + dataBytes + " data bytes its header declares, found more");
        }
        int[] shape = new int[header.shape.length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = (int) header.shape[i];
        }
        return new NpyArray(header.dtype, shape, count, decode(data, header.dtype, header.order, count));
    }

    /** The element count of the header's shape, refused if it cannot be one Java array. */
    private static int checkedCount(NpyHeader header, String source) throws NpyFormatException {
        long count = 1;
        for (long dim : header.shape) {
            if (dim == 0) {
                return 0;
            }
        }
        try {
            for (long dim : header.shape) {
                count = Math.multiplyExact(count, dim);
            }
        } catch (ArithmeticException e) {
            throw new NpyFormatException(source + ": header declares shape " + header.shapeTuple()
                    + ", whose element count overflows 64 bits: expected a real array size", e);
        }
        if (count > MAX_BYTES_LIMIT) {
            throw new NpyFormatException(source + ": header declares shape " + header.shapeTuple()
                    + " with " + count + " elements: expected at most " + MAX_BYTES_LIMIT
                    + " (one Java array)");
        }
        return (int) count;
    }

    /** Versions 1.0 and 2.0 write the header in Latin-1, 3.0 in UTF-8. */
    private static String decodeHeader(byte[] bytes, int major, String source) throws NpyFormatException {
        if (major < 3) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new NpyFormatException(source + ": bad header: expected UTF-8 text (format 3.0), found "
                    + "invalid bytes", e);
        }
    }

    private static Object decode(byte[] data, DType dtype, ByteOrder order, int count) {
        ByteBuffer buf = ByteBuffer.wrap(data).order(order);
        return switch (dtype) {
            case FLOAT32 -> {
                float[] a = new float[count];
                buf.asFloatBuffer().get(a);
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[count];
                buf.asDoubleBuffer().get(a);
                yield a;
            }
            case INT32 -> {
                int[] a = new int[count];
                buf.asIntBuffer().get(a);
                yield a;
            }
            case INT64 -> {
                long[] a = new long[count];
                buf.asLongBuffer().get(a);
                yield a;
            }
            case UINT8 -> data;
        };
    }

    /**
     * Reads up to {@code n} bytes, fewer only if the stream ends first. The buffer grows as bytes
     * arrive instead of being allocated at {@code n} up front, because {@code n} comes from the
     * file and is not yet known to be true.
     */
    private static byte[] readUpTo(InputStream in, int n) throws IOException {
        byte[] buf = new byte[Math.min(n, FIRST_CHUNK)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            }
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                return Arrays.copyOf(buf, filled);
            }
            filled += r;
        }
        return buf;
    }

    private static NpyFormatException truncated(String source, String what, long expected, long found) {
        return new NpyFormatException(source + ": truncated: expected " + expected + " bytes of " + what
                + ", found only " + found);
    }

    private static void checkLimit(long maxBytes) {
        if (maxBytes < 0 || maxBytes > MAX_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxBytes must be between 0 and " + MAX_BYTES_LIMIT
                    + ", found " + maxBytes);
        }
    }

    /**
     * Writes {@code array} little-endian to {@code path} through {@link AtomicFiles}, so that a
     * failure leaves any previous file in place.
     *
     * @param path the file to write
     * @param array what to write
     * @throws IOException if the file cannot be written; it is then unchanged
     */
    public static void write(Path path, NpyArray array) throws IOException {
        Objects.requireNonNull(array, "array");
        AtomicFiles.write(path, out -> write(out, array, ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * Writes {@code array} as a {@code .npy} file with elements in {@code order} (uint8 has
     * none and is written {@code |u1}). Does not close {@code out}.
     *
     * @param out where to write
     * @param array what to write
     * @param order the byte order of the elements
     * @throws IOException if {@code out} fails
     */
    public static void write(OutputStream out, NpyArray array, ByteOrder order) throws IOException {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(order, "order");
        out.write(NpyHeader.encode(array.dtype(), order, array.shape()));
        writeData(out, array, order);
    }

    private static void writeData(OutputStream out, NpyArray array, ByteOrder order) throws IOException {
        Object data = array.rawData();
        int itemSize = array.dtype().itemSize();
        ByteBuffer buf = ByteBuffer.allocate(WRITE_CHUNK).order(order);
        int perChunk = WRITE_CHUNK / itemSize;
        for (int from = 0; from < array.size(); from += perChunk) {
            int n = Math.min(perChunk, array.size() - from);
            buf.clear();
            switch (array.dtype()) {
                case FLOAT32 -> buf.asFloatBuffer().put((float[]) data, from, n);
                case FLOAT64 -> buf.asDoubleBuffer().put((double[]) data, from, n);
                case INT32 -> buf.asIntBuffer().put((int[]) data, from, n);
                case INT64 -> buf.asLongBuffer().put((long[]) data, from, n);
                case UINT8 -> buf.put((byte[]) data, from, n);
            }
            out.write(buf.array(), 0, n * itemSize);
        }
    }
}
