package io.github.purecnn.io;

import io.github.purecnn.io.NpyArray.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    private static final int[][] SHAPES = {{}, {0}, {5}, {2, 3}, {0, 3}, {2, 1, 3}, {2, 3, 1, 2}, {3, 0, 2, 1}};

    @TempDir
    Path dir;

    /** An array of {@code dtype} and {@code shape} holding varied values, extremes included. */
    static NpyArray sample(DType dtype, int[] shape, long seed) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        Random r = new Random(seed);
        return switch (dtype) {
            case FLOAT32 -> {
                float[] a = new float[n];
                float[] special = {Float.NaN, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NEGATIVE_INFINITY};
                for (int i = 0; i < n; i++) {
                    a[i] = i < special.length ? special[i] : Float.intBitsToFloat(r.nextInt());
                }
                yield NpyArray.of(a, shape);
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                double[] special = {Double.NaN, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.POSITIVE_INFINITY};
                for (int i = 0; i < n; i++) {
                    a[i] = i < special.length ? special[i] : Double.longBitsToDouble(r.nextLong());
                }
                yield NpyArray.of(a, shape);
            }
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = i == 0 ? Integer.MIN_VALUE : r.nextInt();
                }
                yield NpyArray.of(a, shape);
            }
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = i == 0 ? Long.MIN_VALUE : r.nextLong();
                }
                yield NpyArray.of(a, shape);
            }
            case UINT8 -> {
                byte[] a = new byte[n];
                r.nextBytes(a);
                yield NpyArray.ofUint8(a, shape);
            }
        };
    }

    private static byte[] toBytes(NpyArray a, ByteOrder order) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Npy.write(out, a, order);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static NpyArray fromBytes(byte[] bytes) throws IOException {
        return Npy.read(new ByteArrayInputStream(bytes), "test.npy", Npy.DEFAULT_MAX_BYTES);
    }

    @Test
    void everyDtypeOrderAndShapeRoundTrips() throws IOException {
        for (DType dtype : DType.values()) {
            for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                for (int[] shape : SHAPES) {
                    NpyArray a = sample(dtype, shape, 7);
                    byte[] bytes = toBytes(a, order);
                    String what = dtype + " " + order + " " + Arrays.toString(shape);
                    assertEquals(a, fromBytes(bytes), what);
                    int headerEnd = 10 + (bytes[8] & 0xFF) + ((bytes[9] & 0xFF) << 8);
                    assertEquals(0, headerEnd % 64, "data starts at a multiple of 64: " + what);
                    assertEquals(headerEnd + a.dataBytes(), bytes.length, what);
                    String header = new String(bytes, 10, headerEnd - 10, StandardCharsets.US_ASCII);
                    char orderChar = dtype == DType.UINT8 ? '|' : order == ByteOrder.BIG_ENDIAN ? '>' : '<';
                    assertTrue(header.startsWith("{'descr': '" + orderChar + dtype.code() + "', 'fortran_order': False,"
                            + " 'shape': " + NpyArray.tuple(shape) + ", }"), header);
                    assertTrue(header.endsWith(" \n"), header);
                }
            }
        }
    }

    @Test
    void pathRoundTripIsLittleEndian() throws IOException {
        NpyArray a = sample(DType.FLOAT64, new int[] {3, 4}, 1);
        Path file = dir.resolve("a.npy");
        Npy.write(file, a);
        assertEquals(a, Npy.read(file));
        assertEquals('<', (char) Files.readAllBytes(file)[21]);
    }

    @Test
    void readsNumpyFilesOfEveryHeaderVersion() throws IOException {
        float[] f = new float[12];
        for (int i = 0; i < 12; i++) {
            f[i] = i / 8f;
        }
        assertEquals(NpyArray.of(f, 3, 4), fixture("float32_3x4.npy"));
        assertEquals(NpyArray.of(new float[] {0.1f}), fixture("float32_scalar.npy"));
        assertEquals(NpyArray.of(new float[0], 0, 3), fixture("float32_empty_0x3.npy"));
        assertEquals(NpyArray.of(new double[] {1.5, -2.25, Math.PI, 1e300, -0.0, Double.POSITIVE_INFINITY}, 2, 3),
                fixture("float64_big_endian.npy"));
        byte[] u8 = new byte[16];
        for (int i = 0; i < 16; i++) {
            u8[i] = (byte) (17 * i);
        }
        assertEquals(NpyArray.ofUint8(u8, 4, 4), fixture("uint8_4x4.npy"));
        assertEquals(NpyArray.of(new long[] {Long.MIN_VALUE, -1, 0, 1, (1L << 53) + 1, Long.MAX_VALUE}, 6),
                fixture("int64.npy"));
        assertEquals(NpyArray.of(new int[] {-3, -2, -1, 0, 1, 2}, 2, 3), fixture("int32_big_endian_v2.npy"));
        assertEquals(NpyArray.of(new float[] {0.5f, -1f}, 2), fixture("float32_v3.npy"));
    }

    @Test
    void writesNumpysVersion1FilesByteForByte() throws IOException {
        for (String name : List.of("float32_3x4.npy", "float32_scalar.npy", "float32_empty_0x3.npy",
                "uint8_4x4.npy", "int64.npy")) {
            assertArrayEquals(resource(name), toBytes(fixture(name), ByteOrder.LITTLE_ENDIAN), name);
        }
        assertArrayEquals(resource("float64_big_endian.npy"),
                toBytes(fixture("float64_big_endian.npy"), ByteOrder.BIG_ENDIAN));
    }

    @Test
    void writesVersion2OnlyWhenTheHeaderOutgrowsVersion1() throws IOException {
        int[] shape = new int[25_000];
        Arrays.fill(shape, 1);
        NpyArray a = NpyArray.of(new int[] {42}, shape);
        byte[] bytes = toBytes(a, ByteOrder.LITTLE_ENDIAN);
        assertEquals(2, bytes[6], "format version 2.0");
        long headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8 | (bytes[10] & 0xFF) << 16
                | (long) (bytes[11] & 0xFF) << 24;
        assertTrue(headerLength > 0xFFFF);
        assertEquals(0, (12 + headerLength) % 64);
        assertEquals(a, fromBytes(bytes));
        assertEquals(1, toBytes(NpyArray.of(new int[] {42}, 1), ByteOrder.LITTLE_ENDIAN)[6], "format version 1.0");
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = NpyTest.class.getResourceAsStream("/io/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /io/" + name);
            }
            return in.readAllBytes();
        }
    }

    private static NpyArray fixture(String name) throws IOException {
        return Npy.read(new ByteArrayInputStream(resource(name)), name, Npy.DEFAULT_MAX_BYTES);
    }

    /** A version 1.0 file with {@code dict} as its header and {@code dataBytes} zero bytes of data. */
    static byte[] npyWithHeader(String dict, int dataBytes) {
        StringBuilder header = new StringBuilder(dict);
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] text = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[10 + text.length + dataBytes];
        System.arraycopy(NpyHeader.MAGIC, 0, out, 0, 6);
        out[6] = 1;
        out[8] = (byte) text.length;
        out[9] = (byte) (text.length >>> 8);
        System.arraycopy(text, 0, out, 10, text.length);
        return out;
    }

    /** Writes {@code bytes} to a file, reads it and checks that the error names the file and the problem. */
    private NpyFormatException assertBad(byte[] bytes, String... fragments) throws IOException {
        return assertBad(bytes, Npy.DEFAULT_MAX_BYTES, fragments);
    }

    private NpyFormatException assertBad(byte[] bytes, long maxBytes, String... fragments) throws IOException {
        Path file = dir.resolve("bad.npy");
        Files.write(file, bytes);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npy.read(file, maxBytes));
        List<String> expected = new ArrayList<>(List.of(fragments));
        expected.add(file.toString());
        for (String fragment : expected) {
            assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        }
        return e;
    }

    private static final String F4_3X4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";

    @Test
    void refusesBadMagicVersionsAndEmptyFiles() throws IOException {
        byte[] good = npyWithHeader(F4_3X4, 48);
        byte[] flipped = good.clone();
        flipped[1] = 'X';
        assertBad(flipped, "not a .npy file", "magic", "93 58 55 4d 50 59");
        assertBad(new byte[0], "not a .npy file", "an empty file");
        assertBad("PK\3\4 this is a zip".getBytes(StandardCharsets.ISO_8859_1), "not a .npy file");
        byte[] v4 = good.clone();
        v4[6] = 4;
        assertBad(v4, "unsupported .npy format version 4.0", "expected 1.0, 2.0 or 3.0");
    }

    @Test
    void refusesTruncatedAndTrailingData() throws IOException {
        byte[] good = npyWithHeader(F4_3X4, 48);
        assertBad(Arrays.copyOf(good, good.length - 1), "truncated", "expected 48 bytes", "found only 47");
        assertBad(Arrays.copyOf(good, 40), "truncated", "the header", "found only 30");
        assertBad(Arrays.copyOf(good, good.length + 1), "trailing bytes", "48 data bytes");
    }

    @Test
    void refusesFortranOrderObjectAndOtherDtypes() throws IOException {
        assertBad(npyWithHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (3, 4), }", 48),
                "Fortran-order", "expected 'fortran_order': False, found True");
        assertBad(npyWithHeader("{'descr': '|O', 'fortran_order': False, 'shape': (3,), }", 24),
                "unsupported dtype '|O'", "pickled Python objects", "expected one of");
        assertBad(npyWithHeader("{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }", 6),
                "unsupported dtype '<f2'", "float32 '<f4'/'>f4'");
        assertBad(npyWithHeader("{'descr': '|f4', 'fortran_order': False, 'shape': (3,), }", 12),
                "unsupported dtype '|f4'");
        assertBad(npyWithHeader("{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (3,), }", 12),
                "unsupported dtype", "a structured dtype");
        NpyArray u1 = fromBytes(npyWithHeader("{'descr': '>u1', 'fortran_order': False, 'shape': (2,), }", 2));
        assertEquals(NpyArray.ofUint8(new byte[2], 2), u1);
    }

    @Test
    void refusesBadHeaders() throws IOException {
        assertBad(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4) ", 48),
                "bad header", "expected ',' or '}'", "the end of the header");
        assertBad(npyWithHeader("{'descr': '<f4', 'fortran_order': False, }", 48),
                "bad header", "the key 'shape' is missing");
        assertBad(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), 'x': 1, }", 48),
                "bad header", "found also [x]");
        assertBad(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': [3, 4], }", 48),
                "bad header", "expected the shape as a tuple of integers, found [3, 4]");
        assertBad(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3, -4), }", 48),
                "bad header", "integers >= 0", "(dimension 1)");
        assertBad(npyWithHeader("{'descr': '<f4', 'fortran_order': 0, 'shape': (3, 4), }", 48),
                "bad header", "expected fortran_order True or False, found 0");
        assertBad(npyWithHeader("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", 48),
                "bad header", "found 'descr' again");
        assertBad(npyWithHeader("['descr', '<f4']", 0), "bad header", "expected a dict");
        assertBad(npyWithHeader(F4_3X4 + " x", 48), "bad header", "only spaces and a newline after the dict");
        assertBad(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", 0),
                "bad header", "fits in 64 bits");
        NpyArray bare = fromBytes(npyWithHeader("{\"descr\":\"<i4\",\"shape\":(2,),\"fortran_order\":False}", 8));
        assertEquals(NpyArray.of(new int[2], 2), bare);
    }

    @Test
    void refusesHugeDeclaredSizesBeforeAllocating() throws IOException {
        assertBad(npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", 0),
                "1000000000000000 elements", "expected at most 2147483639");
        assertBad(npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", 0),
                "overflows 64 bits");
        assertBad(npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (200000000,), }", 0),
                "1600000000 bytes of data", "expected at most the limit of 1073741824 bytes");
        // Below the limit, a file that claims 800 MB but holds nothing is truncated, not allocated.
        assertBad(npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000,), }", 0),
                "truncated", "expected 800000000 bytes", "found only 0");
        assertBad(npyWithHeader(F4_3X4, 48), 47, "48 bytes of data", "the limit of 47 bytes");
        assertEquals(12, Npy.read(writeGood(), 48).size());

        byte[] longHeader = npyWithHeader(F4_3X4, 48);
        longHeader[6] = 2;
        byte[] v2 = new byte[longHeader.length + 2];
        System.arraycopy(longHeader, 0, v2, 0, 8);
        v2[8] = v2[9] = v2[10] = v2[11] = (byte) 0xFF;
        assertBad(v2, "header length of at most 1048576 bytes, found 4294967295");
    }

    private Path writeGood() throws IOException {
        Path file = dir.resolve("good.npy");
        Files.write(file, npyWithHeader(F4_3X4, 48));
        return file;
    }

    @Test
    void misuseIsUnchecked() {
        assertThrows(IllegalArgumentException.class, () -> Npy.read(dir.resolve("x.npy"), -1));
        assertThrows(IllegalArgumentException.class, () -> Npy.read(dir.resolve("x.npy"), 1L << 31));
        assertThrows(NullPointerException.class,
                () -> Npy.write(new ByteArrayOutputStream(), NpyArray.of(new int[] {1}), null));
    }
}
