package io.github.purecnn.io.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses a gzip stream (RFC 1952) and refuses everything the format does not allow, where
 * {@link java.util.zip.GZIPInputStream} lets some of it pass: header flags with a reserved bit set,
 * a header whose own CRC-16 is wrong, and bytes after the last member. Like {@code gzip -d},
 * several members one after the other read as one stream, and each member's CRC-32 and length
 * are checked against its trailer.
 *
 * <p>Bytes after the last member are an error unless they are all zero: zero padding is what
 * tape and block devices add, and Python's {@code gzip} module accepts it too.
 *
 * <p>Errors are {@link ZipException}s ({@link EOFException} for a stream cut short) that say which
 * member and what was expected; the caller adds the file name.
 */
public final class StrictGzipInputStream extends InputStream {
    private static final int ID1 = 0x1f;
    private static final int ID2 = 0x8b;
    private static final int DEFLATE = 8;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int RESERVED_FLAGS = 0xE0;

    private final InputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 dataCrc = new CRC32();
    /** Compressed input: bytes {@code [pos, limit)} are not yet consumed, neither by the inflater nor by a header. */
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    /** The member being read, from 1, and its uncompressed length so far. */
    private int member;
    private long memberLength;
    private boolean ended;
    private boolean closed;
    private final byte[] one = new byte[1];

    /**
     * Starts reading the gzip stream {@code in}, whose first member header is read and checked here.
     *
     * @param in the compressed bytes; closed with this stream
     * @throws ZipException if {@code in} does not start with a valid gzip member header
     * @throws EOFException if it ends inside that header
     */
    public StrictGzipInputStream(InputStream in) throws IOException {
        this.in = java.util.Objects.requireNonNull(in, "in");
        int id1 = nextByte();
        int id2 = id1 < 0 ? -1 : nextByte();
        if (id1 != ID1 || id2 != ID2) {
            throw new ZipException("not a gzip stream: expected the magic bytes 1f 8b, found "
                    + (id1 < 0 ? "an empty stream" : id2 < 0 ? String.format("%02x and the end", id1)
                    : String.format("%02x %02x", id1, id2)));
        }
        readHeader();
    }

    @Override
    public int read() throws IOException {
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        if (ended) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        while (true) {
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                ZipException z = new ZipException("gzip member " + member + ": corrupt deflate data: " + e.getMessage());
                z.initCause(e);
                throw z;
            }
            if (n > 0) {
                dataCrc.update(b, off, n);
                memberLength += n;
                return n;
            }
            if (inflater.finished()) {
                pos = limit - inflater.getRemaining();
                readTrailer();
                if (!startNextMember()) {
                    ended = true;
                    return -1;
                }
            } else if (inflater.needsInput()) {
                if (pos == limit && fill() < 0) {
                    throw new EOFException("gzip member " + member + " ends before its compressed data does: truncated");
                }
                inflater.setInput(buffer, pos, limit - pos);
                pos = limit;
            } else if (inflater.needsDictionary()) {
                throw new ZipException("gzip member " + member + ": the deflate data asks for a preset dictionary,"
                        + " which gzip does not allow");
            }
        }
    }

    /** Checks the member's CRC-32 and length (modulo 2^32) against its 8-byte trailer. */
    private void readTrailer() throws IOException {
        long crc = readLittleEndian(4, "trailer");
        long length = readLittleEndian(4, "trailer");
        if (crc != dataCrc.getValue()) {
            throw new ZipException(String.format("gzip member %d: CRC-32 mismatch: the trailer says %08x, the data"
                    + " hashes to %08x", member, crc, dataCrc.getValue()));
        }
        if (length != (memberLength & 0xFFFFFFFFL)) {
            throw new ZipException("gzip member " + member + ": length mismatch: the trailer says " + length
                    + " bytes (modulo 2^32), the data holds " + memberLength);
        }
    }

    /** After a member: another one, the end of the stream, or zero padding up to the end. */
    private boolean startNextMember() throws IOException {
        int first = nextByte();
        if (first < 0) {
            return false;
        }
        if (first == ID1) {
            int second = nextByte();
            if (second != ID2) {
                throw trailing();
            }
            inflater.reset();
            dataCrc.reset();
            memberLength = 0;
            readHeader();
            return true;
        }
        for (int b = first; b >= 0; b = nextByte()) {
            if (b != 0) {
                throw trailing();
            }
        }
        return false;
    }

    private ZipException trailing() {
        return new ZipException("bytes after gzip member " + member + " that are neither another member nor zero"
                + " padding: expected the stream to end there");
    }

    /** The rest of a member header, after its two magic bytes (RFC 1952, section 2.3). */
    private void readHeader() throws IOException {
        member++;
        CRC32 headerCrc = new CRC32();
        headerCrc.update(ID1);
        headerCrc.update(ID2);
        int method = headerByte(headerCrc);
        if (method != DEFLATE) {
            throw new ZipException("gzip member " + member + ": compression method " + method + ": expected 8"
                    + " (deflate), the only one gzip defines");
        }
        int flags = headerByte(headerCrc);
        if ((flags & RESERVED_FLAGS) != 0) {
            throw new ZipException(String.format("gzip member %d: header flags %02x set reserved bits (5 to 7):"
                    + " expected them zero, as RFC 1952 requires", member, flags));
        }
        for (int i = 0; i < 6; i++) {
            headerByte(headerCrc); // modification time, extra flags, operating system
        }
        if ((flags & FEXTRA) != 0) {
            int extraLength = headerByte(headerCrc) | headerByte(headerCrc) << 8;
            for (int i = 0; i < extraLength; i++) {
                headerByte(headerCrc);
            }
        }
        if ((flags & FNAME) != 0) {
            while (headerByte(headerCrc) != 0) {
                // the original file name, zero-terminated
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (headerByte(headerCrc) != 0) {
                // a comment, zero-terminated
            }
        }
        if ((flags & FHCRC) != 0) {
            long expected = headerCrc.getValue() & 0xFFFF;
            long found = readLittleEndian(2, "header");
            if (found != expected) {
                throw new ZipException(String.format("gzip member %d: header CRC-16 mismatch: the header says %04x,"
                        + " its bytes hash to %04x", member, found, expected));
            }
        }
    }

    private int headerByte(CRC32 crc) throws IOException {
        int b = nextByte();
        if (b < 0) {
            throw new EOFException("gzip member " + member + ": the stream ends inside its header: truncated");
        }
        crc.update(b);
        return b;
    }

    private long readLittleEndian(int bytes, String part) throws IOException {
        long value = 0;
        for (int i = 0; i < bytes; i++) {
            int b = nextByte();
            if (b < 0) {
                throw new EOFException("gzip member " + member + ": the stream ends inside its " + part + ": truncated");
            }
            value |= (long) b << (8 * i);
        }
        return value;
    }

    /** The next compressed byte outside the inflater's input, or -1 at the end of the stream. */
    private int nextByte() throws IOException {
        if (pos == limit && fill() < 0) {
            return -1;
        }
        return buffer[pos++] & 0xFF;
    }

    /** Refills the buffer once everything in it is consumed; returns -1 at the end of the stream. */
    private int fill() throws IOException {
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            return -1;
        }
        pos = 0;
        limit = n;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            inflater.end();
            in.close();
        }
    }
}
