package io.github.purecnn.io.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strict gzip reader against streams built here: by {@link GZIPOutputStream}, and by hand
 * (RFC 1952) for the header fields it never writes (name, comment, extra field, header CRC)
 * and for every kind of damage.
 */
class StrictGzipInputStreamTest {
    private static final byte[] CONTENT = content(100_000);

    private static byte[] content(int n) {
        byte[] b = new byte[n];
        Random r = new Random(7);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (r.nextInt(16) + 'a'); // compressible, but not trivially
        }
        return b;
    }

    private static byte[] read(byte[] gzip) throws IOException {
        try (InputStream in = new StrictGzipInputStream(new ByteArrayInputStream(gzip))) {
            return in.readAllBytes();
        }
    }

    private static byte[] jdkGzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    /** A member with the given flags and optional fields, the content deflated raw, and a trailer. */
    private static byte[] member(int flags, byte[] extra, String name, String comment, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 0, 0, 0, 0, 0, 3});
        if (extra != null) {
            out.write(extra.length);
            out.write(extra.length >>> 8);
            out.writeBytes(extra);
        }
        if (name != null) {
            out.writeBytes(name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        if (comment != null) {
            out.writeBytes(comment.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        if ((flags & 0x02) != 0) {
            CRC32 crc = new CRC32();
            crc.update(out.toByteArray());
            out.write((int) crc.getValue());
            out.write((int) crc.getValue() >>> 8);
        }
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(content);
        deflater.finish();
        byte[] buf = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(content);
        writeInt(out, crc.getValue());
        writeInt(out, content.length);
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static void assertMessage(Exception e, String fragment) {
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void readsWhatGzipOutputStreamWrites() throws IOException {
        assertArrayEquals(CONTENT, read(jdkGzip(CONTENT)));
        assertArrayEquals(new byte[0], read(jdkGzip(new byte[0])));
    }

    @Test
    void readsEveryOptionalHeaderField() throws IOException {
        byte[] all = member(0x02 | 0x04 | 0x08 | 0x10, new byte[] {'A', 'B', 2, 0, 7, 9}, "digits.idx", "a comment",
                CONTENT);
        assertArrayEquals(CONTENT, read(all));
    }

    @Test
    void readsConcatenatedMembersAsOneStreamAndAcceptsZeroPadding() throws IOException {
        byte[] first = Arrays.copyOf(CONTENT, 1000);
        byte[] second = Arrays.copyOfRange(CONTENT, 1000, CONTENT.length);
        assertArrayEquals(CONTENT, read(concat(jdkGzip(first), member(0x08, null, "b", null, second))));
        assertArrayEquals(CONTENT, read(concat(jdkGzip(CONTENT), new byte[512])));
    }

    @Test
    void reservedFlagsAreRefused() throws IOException {
        for (int bit = 5; bit <= 7; bit++) {
            byte[] gz = member(1 << bit, null, null, null, CONTENT);
            assertMessage(assertThrows(ZipException.class, () -> read(gz)), "reserved bits (5 to 7)");
        }
        // in a second member too, which java.util.zip.GZIPInputStream would not even check
        byte[] both = concat(jdkGzip(CONTENT), member(0x80, null, null, null, CONTENT));
        assertMessage(assertThrows(ZipException.class, () -> read(both)), "gzip member 2: header flags 80");
    }

    @Test
    void aWrongHeaderCrcIsRefused() {
        byte[] gz = member(0x02 | 0x08, null, "name", null, CONTENT);
        gz[10] ^= 1; // a byte of the name, covered by the header CRC
        assertMessage(assertThrows(ZipException.class, () -> read(gz)), "header CRC-16 mismatch");
    }

    @Test
    void aWrongDataCrcOrLengthIsRefused() throws IOException {
        byte[] crc = jdkGzip(CONTENT);
        crc[crc.length - 8] ^= 1;
        assertMessage(assertThrows(ZipException.class, () -> read(crc)), "CRC-32 mismatch");
        byte[] length = jdkGzip(CONTENT);
        length[length.length - 4] ^= 1;
        assertMessage(assertThrows(ZipException.class, () -> read(length)), "length mismatch");
    }

    @Test
    void trailingBytesThatAreNotAMemberAreRefused() throws IOException {
        byte[] gz = concat(jdkGzip(CONTENT), new byte[] {0, 0, 'x'});
        assertMessage(assertThrows(ZipException.class, () -> read(gz)), "neither another member nor zero padding");
        byte[] halfMagic = concat(jdkGzip(CONTENT), new byte[] {0x1f, 0});
        assertMessage(assertThrows(ZipException.class, () -> read(halfMagic)), "after gzip member 1");
    }

    @Test
    void aStreamCutShortIsAnEndOfFile() throws IOException {
        byte[] gz = jdkGzip(CONTENT);
        for (int cut : new int[] {5, 12, gz.length / 2, gz.length - 3}) {
            byte[] part = Arrays.copyOf(gz, cut);
            assertThrows(EOFException.class, () -> read(part), "cut at " + cut);
        }
    }

    @Test
    void whatIsNotGzipIsRefusedAtOnce() {
        assertMessage(assertThrows(ZipException.class, () -> read(new byte[] {0, 0, 8, 1})),
                "expected the magic bytes 1f 8b, found 00 00");
        assertMessage(assertThrows(ZipException.class, () -> read(new byte[0])), "an empty stream");
        byte[] method = member(0, null, null, null, CONTENT);
        method[2] = 7;
        assertMessage(assertThrows(ZipException.class, () -> read(method)), "compression method 7");
    }

    @Test
    void corruptDeflateDataIsRefused() throws IOException {
        byte[] gz = jdkGzip(CONTENT);
        for (int i = 10; i < 40; i++) {
            gz[i] = (byte) 0xFF;
        }
        assertMessage(assertThrows(ZipException.class, () -> read(gz)), "gzip member 1: corrupt deflate data");
    }
}
