package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static io.github.purecnn.data.IdxFiles.bytes;
import static io.github.purecnn.data.IdxFiles.gzip;
import static io.github.purecnn.data.IdxFiles.idx;
import static io.github.purecnn.data.IdxFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {
    @TempDir
    Path dir;

    // ---- every element type, plain and gzip ----

    /** Writes {@code content} plain or gzip-compressed under a name that does not say which. */
    private IdxArray roundTrip(byte[] content, boolean compressed) throws IOException {
        return IdxReader.read(write(dir, "data.idx", compressed ? gzip(content) : content));
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void unsignedBytesReadAsZeroTo255(boolean compressed) throws IOException {
        byte[] data = bytes(0, 1, 127, 128, 254, 255);
        IdxArray a = roundTrip(idx(0x08, new int[] {2, 3}, data), compressed);
        assertEquals(IdxType.UNSIGNED_BYTE, a.type());
        assertEquals(Shape.of(2, 3), a.shape());
        assertArrayEquals(data, a.bytes());
        assertArrayEquals(new int[] {0, 1, 127, 128, 254, 255}, a.toInts());
        assertArrayEquals(new float[] {0, 1, 127, 128, 254, 255}, a.toFloats());
        assertArrayEquals(new double[] {0, 1, 127, 128, 254, 255}, a.toDoubles());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void signedBytesKeepTheirSign(boolean compressed) throws IOException {
        IdxArray a = roundTrip(idx(0x09, new int[] {5}, bytes(-128, -1, 0, 1, 127)), compressed);
        assertEquals(IdxType.SIGNED_BYTE, a.type());
        assertArrayEquals(new int[] {-128, -1, 0, 1, 127}, a.toInts());
        assertArrayEquals(new float[] {-128, -1, 0, 1, 127}, a.toFloats());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void shortsAreBigEndian(boolean compressed) throws IOException {
        // 0x0102 = 258; 0xFFFE = -2; 0x8000 = -32768; 0x7FFF = 32767
        byte[] data = bytes(0x01, 0x02, 0xFF, 0xFE, 0x80, 0x00, 0x7F, 0xFF);
        IdxArray a = roundTrip(idx(0x0B, new int[] {2, 2}, data), compressed);
        assertEquals(IdxType.SHORT, a.type());
        assertEquals(Shape.of(2, 2), a.shape());
        assertArrayEquals(new int[] {258, -2, -32768, 32767}, a.toInts());
        assertArrayEquals(new double[] {258, -2, -32768, 32767}, a.toDoubles());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void intsAreBigEndian(boolean compressed) throws IOException {
        byte[] data = bytes(0x01, 0x02, 0x03, 0x04, 0xFF, 0xFF, 0xFF, 0xFE, 0x80, 0, 0, 0);
        IdxArray a = roundTrip(idx(0x0C, new int[] {3}, data), compressed);
        assertEquals(IdxType.INT, a.type());
        assertArrayEquals(new int[] {0x01020304, -2, Integer.MIN_VALUE}, a.toInts());
        assertArrayEquals(new double[] {0x01020304, -2, Integer.MIN_VALUE}, a.toDoubles());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void floatsAreBigEndian(boolean compressed) throws IOException {
        // 0x3FC00000 = 1.5f, 0xC0490FDB = -3.1415927f (float pi, negated), 0x00000001 = Float.MIN_VALUE
        byte[] data = bytes(0x3F, 0xC0, 0, 0, 0xC0, 0x49, 0x0F, 0xDB, 0, 0, 0, 1);
        IdxArray a = roundTrip(idx(0x0D, new int[] {1, 3}, data), compressed);
        assertEquals(IdxType.FLOAT, a.type());
        assertArrayEquals(new float[] {1.5f, -(float) Math.PI, Float.MIN_VALUE}, a.toFloats());
        assertArrayEquals(new double[] {1.5, -(float) Math.PI, Float.MIN_VALUE}, a.toDoubles());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void doublesAreBigEndianAndRoundToFloat(boolean compressed) throws IOException {
        double[] values = {-0.1, 1e300, Math.PI};
        ByteBuffer data = ByteBuffer.allocate(24);
        for (double v : values) {
            data.putDouble(v);
        }
        // ByteBuffer writes big-endian; check one encoding by hand so the test does not trust it blindly.
        assertArrayEquals(bytes(0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18), Arrays.copyOfRange(data.array(), 16, 24));
        IdxArray a = roundTrip(idx(0x0E, new int[] {3}, data.array()), compressed);
        assertEquals(IdxType.DOUBLE, a.type());
        assertArrayEquals(values, a.toDoubles());
        assertArrayEquals(new float[] {-0.1f, Float.POSITIVE_INFINITY, (float) Math.PI}, a.toFloats());
    }

    @Test
    void aGzipNameDoesNotMakeAPlainFileCompressed() throws IOException {
        IdxArray a = IdxReader.read(write(dir, "labels.gz", idx(0x08, new int[] {2}, bytes(7, 3))));
        assertArrayEquals(new int[] {7, 3}, a.toInts());
    }

    @Test
    void concatenatedGzipMembersReadAsOneStream() throws IOException {
        byte[] header = idx(0x08, new int[] {3}, new byte[0]);
        byte[] first = gzip(header);
        byte[] second = gzip(bytes(4, 5, 6));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        assertArrayEquals(new int[] {4, 5, 6}, IdxReader.read(write(dir, "two-members.gz", both)).toInts());
    }

    @Test
    void accessorsRefuseTheWrongType() throws IOException {
        IdxArray floats = IdxReader.read(write(dir, "f.idx", idx(0x0D, new int[] {1}, bytes(0x3F, 0x80, 0, 0))));
        IllegalStateException e = assertThrows(IllegalStateException.class, floats::toInts);
        assertMentions(e, "toInts()", "float (0x0D)", "(1,)");
        assertMentions(assertThrows(IllegalStateException.class, floats::bytes), "bytes()", "float (0x0D)");
        IdxArray shorts = IdxReader.read(write(dir, "s.idx", idx(0x0B, new int[] {1}, bytes(0, 1))));
        assertMentions(assertThrows(IllegalStateException.class, shorts::bytes), "bytes()", "short (0x0B)");
    }

    @Test
    void bytesAreSharedNotCopied() throws IOException {
        IdxArray a = IdxReader.read(write(dir, "b.idx", idx(0x08, new int[] {2}, bytes(1, 2))));
        assertSame(a.bytes(), a.bytes());
    }

    // ---- malformed files ----

    @Test
    void wrongMagicNumber() throws IOException {
        Path f = write(dir, "bad-magic.idx", bytes(0x00, 0x01, 0x08, 0x01, 0, 0, 0, 1, 42));
        assertMentions(assertFormatError(f), f.toString(), "two zero bytes", "found 00 01");
    }

    @Test
    void unknownTypeCode() throws IOException {
        Path f = write(dir, "bad-type.idx", idx(0x0A, new int[] {1}, bytes(42)));
        assertMentions(assertFormatError(f), f.toString(), "type code 0x0A", "unsigned byte (0x08)", "double (0x0E)");
    }

    @Test
    void zeroDimensions() throws IOException {
        Path f = write(dir, "rank0.idx", bytes(0, 0, 0x08, 0));
        assertMentions(assertFormatError(f), f.toString(), "0 dimensions", "1 to 255");
    }

    @Test
    void aDimensionOfZero() throws IOException {
        Path f = write(dir, "zero-dim.idx", idx(0x08, new int[] {3, 0, 2}, new byte[0]));
        assertMentions(assertFormatError(f), f.toString(), "dimension 1 of (3, 0, 2) is 0");
        Path g = write(dir, "zero-after-huge.idx", idx(0x08, new int[] {65536, 65536, 0}, new byte[0]));
        assertMentions(assertFormatError(g), g.toString(), "dimension 2 of (65536, 65536, 0) is 0");
    }

    @Test
    void elementCountBeyondOneArray() throws IOException {
        Path f = write(dir, "huge.idx", idx(0x08, new int[] {65536, 65536}, new byte[0]));
        assertMentions(assertFormatError(f), f.toString(), "(65536, 65536)", "4294967296 elements",
                String.valueOf(IdxReader.MAX_ARRAY_BYTES));
    }

    @Test
    void byteCountBeyondOneArrayForWideElements() throws IOException {
        // 2^28 doubles fit an int count but need 2^31 bytes.
        Path f = write(dir, "huge-doubles.idx", idx(0x0E, new int[] {1 << 28}, new byte[0]));
        assertMentions(assertFormatError(f), f.toString(), "268435456 elements of double (0x0E)", "2147483648 bytes");
    }

    @Test
    void dimensionsAreUnsigned32BitSizes() throws IOException {
        Path f = write(dir, "max-dim.idx", idx(0x08, new int[] {-1}, new byte[0]));
        assertMentions(assertFormatError(f), f.toString(), "(4294967295,)", "4294967295 elements");
    }

    @Test
    void emptyFile() throws IOException {
        Path f = write(dir, "empty.idx", new byte[0]);
        assertMentions(assertFormatError(f), f.toString(), "ends after 0 bytes, inside the IDX header");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path f = write(dir, "short-header.idx", bytes(0, 0, 0x08, 3, 0, 0, 0, 2, 0, 0));
        assertMentions(assertFormatError(f), f.toString(), "ends after 10 bytes", "header of 16 bytes");
    }

    @Test
    void truncatedData() throws IOException {
        Path f = write(dir, "short.idx", idx(0x08, new int[] {10}, new byte[7]));
        assertMentions(assertFormatError(f), f.toString(), "file is 15 bytes long", "(10,)", "8 + 10 = 18 bytes",
                "truncated");
    }

    @Test
    void truncatedDataInsideAGzipStream() throws IOException {
        Path f = write(dir, "short.idx.gz", gzip(idx(0x0C, new int[] {2, 2}, new byte[12])));
        assertMentions(assertFormatError(f), f.toString(), "uncompressed content is 24 bytes long", "int (0x0C)",
                "(2, 2)", "12 + 16 = 28 bytes", "truncated");
    }

    @Test
    void trailingBytes() throws IOException {
        Path f = write(dir, "long.idx", idx(0x08, new int[] {4}, new byte[7]));
        assertMentions(assertFormatError(f), f.toString(), "file is 15 bytes long", "8 + 4 = 12 bytes",
                "3 trailing bytes");
    }

    @Test
    void trailingBytesInsideAGzipStream() throws IOException {
        Path f = write(dir, "long.idx.gz", gzip(idx(0x08, new int[] {4}, new byte[7])));
        assertMentions(assertFormatError(f), f.toString(), "uncompressed content is 15 bytes long", "8 + 4 = 12 bytes",
                "3 trailing bytes");
    }

    @Test
    void truncatedGzipStream() throws IOException {
        byte[] whole = gzip(idx(0x08, new int[] {1000}, randomBytes(1000)));
        Path f = write(dir, "cut.gz", Arrays.copyOf(whole, whole.length / 2));
        assertMentions(assertFormatError(f), f.toString(), "corrupt or truncated gzip stream");
    }

    @Test
    void gzipStreamWithAWrongChecksum() throws IOException {
        byte[] gz = gzip(idx(0x08, new int[] {3}, bytes(1, 2, 3)));
        gz[gz.length - 8] ^= 1; // the CRC-32 of the uncompressed content, in the gzip trailer
        Path f = write(dir, "bad-crc.gz", gz);
        assertMentions(assertFormatError(f), f.toString(), "corrupt or truncated gzip stream after 11 uncompressed bytes");
    }

    @Test
    void corruptGzipHeader() throws IOException {
        Path f = write(dir, "bad-header.gz", bytes(0x1f, 0x8b, 0x07, 0, 0, 0, 0, 0, 0, 0));
        assertMentions(assertFormatError(f), f.toString(), "corrupt gzip header");
    }

    @Test
    void aHeaderDeclaringMoreThanTheLimitIsRefusedBeforeAnyDataIsRead() throws IOException {
        // 4 x 23170 x 23170 bytes: 2.1 GB, within one Java array but not within the 1 GiB default.
        Path f = write(dir, "huge.idx.gz", gzip(idx(0x08, new int[] {4, 23170, 23170}, new byte[10])));
        assertMentions(assertFormatError(f), f.toString(), "dimensions (4, 23170, 23170) of unsigned byte (0x08) declare"
                + " 2147395600 bytes of data, more than the limit of 1073741824 bytes");
        Path small = write(dir, "small.idx", idx(0x08, new int[] {2, 3}, new byte[6]));
        assertEquals(6, IdxReader.read(small, 6).size());
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(small, 5));
        assertMentions(e, small.toString(), "declare 6 bytes of data, more than the limit of 5 bytes");
        assertThrows(IllegalArgumentException.class, () -> IdxReader.read(small, -1));
    }

    @Test
    void gzipHeaderFlagsWithReservedBitsAreRefused() throws IOException {
        byte[] gz = gzip(idx(0x08, new int[] {3}, bytes(1, 2, 3)));
        gz[3] |= 0x40;
        Path f = write(dir, "flags.gz", gz);
        assertMentions(assertFormatError(f), f.toString(), "corrupt gzip header", "reserved bits");
    }

    @Test
    void bytesAfterTheLastGzipMemberAreRefusedUnlessZeroPadding() throws IOException {
        byte[] gz = gzip(idx(0x08, new int[] {3}, bytes(1, 2, 3)));
        byte[] padded = Arrays.copyOf(gz, gz.length + 100);
        assertArrayEquals(new int[] {1, 2, 3}, IdxReader.read(write(dir, "padded.gz", padded)).toInts());
        padded[padded.length - 1] = 'x';
        Path f = write(dir, "garbage.gz", padded);
        assertMentions(assertFormatError(f), f.toString(), "corrupt or truncated gzip stream after 11 uncompressed bytes",
                "neither another member nor zero padding");
    }

    @Test
    void trailingGigabytesInsideAGzipStreamAreNotCounted() throws IOException {
        // 64 MB of zeros after a 3-byte array: about 64 KB of gzip; counting stops after 1 MiB.
        byte[] content = Arrays.copyOf(idx(0x08, new int[] {3}, bytes(1, 2, 3)), 11 + (64 << 20));
        Path f = write(dir, "bomb.gz", gzip(content));
        assertMentions(assertFormatError(f), f.toString(), "more than 1048576 trailing bytes");
    }

    @Test
    void aFolderIsRefusedNamingIt() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("train-images-idx3-ubyte"));
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> IdxReader.read(folder));
        assertMentions(e, folder + ": is a folder, expected a file");
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("absent.idx");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxReader.read(f));
        assertMentions(e, f.toString());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    private static IdxFormatException assertFormatError(Path f) {
        return assertThrows(IdxFormatException.class, () -> IdxReader.read(f));
    }

    static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "message \"" + e.getMessage() + "\" should mention \"" + part + "\"");
        }
    }
}
