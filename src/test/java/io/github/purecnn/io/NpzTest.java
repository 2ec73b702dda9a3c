package io.github.purecnn.io;

import io.github.purecnn.io.NpyArray.DType;
import io.github.purecnn.testing.Archives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpzTest {
    @TempDir
    Path dir;

    private static Map<String, NpyArray> everyDtype() {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        int i = 0;
        for (DType dtype : DType.values()) {
            arrays.put("z_" + dtype.numpyName(), NpyTest.sample(dtype, new int[] {3, 2, 2}, i++));
        }
        arrays.put("scalar", NpyArray.of(new double[] {0.5}));
        arrays.put("empty", NpyArray.of(new int[0], 4, 0));
        arrays.put("a", NpyArray.of(new float[] {1, 2}, 2));
        return arrays;
    }

    @Test
    void storedAndDeflatedArchivesRoundTripInOrder() throws IOException {
        Map<String, NpyArray> arrays = everyDtype();
        for (Npz.Compression c : Npz.Compression.values()) {
            Path file = dir.resolve(c + ".npz");
            Npz.write(file, arrays, c);
            Map<String, NpyArray> back = Npz.read(file);
            assertEquals(arrays, back, c.toString());
            assertEquals(List.copyOf(arrays.keySet()), List.copyOf(back.keySet()), "archive order is kept");
            assertThrows(UnsupportedOperationException.class, () -> back.remove("a"));
        }
        assertTrue(Files.size(dir.resolve("DEFLATED.npz")) < Files.size(dir.resolve("STORED.npz")));
    }

    @Test
    void writingTheSameArraysGivesTheSameBytes() throws IOException {
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        Npz.write(first, everyDtype(), Npz.Compression.DEFLATED);
        Npz.write(second, everyDtype(), Npz.Compression.DEFLATED);
        assertArrayEquals(first.toByteArray(), second.toByteArray());
    }

    @Test
    void positionalNamesAreNumpys() throws IOException {
        Map<String, NpyArray> named = Npz.positional(NpyArray.of(new int[] {1}), NpyArray.of(new float[] {2}));
        assertEquals(List.of("arr_0", "arr_1"), List.copyOf(named.keySet()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npz.write(out, named, Npz.Compression.STORED);
        assertEquals(named, Npz.read(new ByteArrayInputStream(out.toByteArray()), "mem", 100));
    }

    @Test
    void readsNumpyArchives() throws IOException {
        Map<String, NpyArray> stored = read("stored.npz");
        assertEquals(List.of("arr_0", "arr_1"), List.copyOf(stored.keySet()));
        assertEquals(NpyArray.of(new int[] {1, 2, 3}, 3), stored.get("arr_0"));
        assertEquals(NpyArray.of(new double[] {0.25}, 1, 1), stored.get("arr_1"));

        Map<String, NpyArray> compressed = read("compressed.npz");
        assertEquals(List.of("weights", "bias", "labels"), List.copyOf(compressed.keySet()));
        float[] weights = new float[24];
        for (int i = 0; i < 23; i++) {
            weights[i] = (float) (-1 + i * (2.0 / 23)); // how np.linspace computes them
        }
        weights[23] = 1;
        assertEquals(NpyArray.of(weights, 2, 3, 4), compressed.get("weights"));
        assertEquals(NpyArray.of(new float[4], 4), compressed.get("bias"));
        assertEquals(NpyArray.ofUint8(new byte[] {7, 2, 1}, 3), compressed.get("labels"));
    }

    private static Map<String, NpyArray> read(String name) throws IOException {
        return Npz.read(new ByteArrayInputStream(NpyTest.resource(name)), name, Npy.DEFAULT_MAX_BYTES);
    }

    /** A ZIP archive of the given entries, each deflated unless its name says "stored". */
    private static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private NpyFormatException assertBad(byte[] archive, long maxBytes, String... fragments) throws IOException {
        Path file = dir.resolve("bad.npz");
        Files.write(file, archive);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.read(file, maxBytes));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void refusesFilesThatAreNotZipArchives() throws IOException {
        assertBad(new byte[0], 100, "not an .npz (ZIP) archive", "an empty file");
        assertBad("hello, world".getBytes(StandardCharsets.US_ASCII), 100,
                "not an .npz (ZIP) archive", "expected it to start with PK", "68 65 6c 6c");
        assertEquals(Map.of(), Npz.read(new ByteArrayInputStream(zip(Map.of())), "empty", 0));
    }

    @Test
    void refusesDuplicateNames() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("w.npy", NpyTest.npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4));
        entries.put("v.npy", NpyTest.npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8));
        // ZipOutputStream refuses to write duplicates, so rename the second entry in the bytes.
        String text = new String(zip(entries), StandardCharsets.ISO_8859_1).replace("v.npy", "w.npy");
        assertBad(text.getBytes(StandardCharsets.ISO_8859_1), 100, "entry 'w.npy'", "expected each array name once",
                "found 'w' twice");
    }

    @Test
    void refusesEntriesThatAreNotNpyFiles() throws IOException {
        assertBad(zip(Map.of("notes.txt", new byte[3])), 100, "entry 'notes.txt'", "expected only .npy entries");
        assertBad(zip(Map.of("sub/", new byte[0])), 100, "entry 'sub/'", "a folder");
        assertBad(zip(Map.of("x.npy", "garbage".getBytes(StandardCharsets.US_ASCII))), 100,
                "entry 'x.npy'", "not a .npy file");
    }

    @Test
    void refusesAnEntryDeclaringMoreThanTheLimit() throws IOException {
        byte[] big = NpyTest.npyWithHeader("{'descr': '|u1', 'fortran_order': False, 'shape': (10000000,), }",
                10_000_000);
        byte[] archive = zip(Map.of("big.npy", big));
        assertTrue(archive.length < 20_000, "10 MB of zeros deflate to almost nothing");
        assertBad(archive, 1 << 20, "entry 'big.npy'", "10000000 bytes of data",
                "expected at most the archive's limit of 1048576 bytes");
    }

    @Test
    void aBombEntryIsStoppedWithoutInflatingIt() throws IOException {
        // The .npy header claims 4 bytes, then 200 MB of zeros follow: only one byte past the
        // declared data is inflated before the entry is refused.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("bomb.npy"));
            zip.write(NpyTest.npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", 4));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                zip.write(zeros);
            }
            zip.closeEntry();
        }
        long start = System.nanoTime();
        assertBad(bytes.toByteArray(), Npy.DEFAULT_MAX_BYTES, "entry 'bomb.npy'", "trailing bytes");
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "refused without inflating 200 MB");
    }

    @Test
    void theLimitCoversAllEntriesTogether() throws IOException {
        Map<String, NpyArray> arrays = Npz.positional(NpyArray.of(new double[100], 100), NpyArray.of(new double[100], 100));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npz.write(out, arrays, Npz.Compression.DEFLATED);
        assertEquals(arrays, Npz.read(new ByteArrayInputStream(out.toByteArray()), "ok", 1600));
        assertBad(out.toByteArray(), 1000, "entry 'arr_1.npy'", "800 bytes of data",
                "the 200 bytes left of the archive's limit of 1000 bytes");
    }

    @Test
    void refusesCorruptEntries() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npz.write(out, Npz.positional(NpyArray.of(new int[] {1, 2, 3}, 3)), Npz.Compression.STORED);
        byte[] archive = out.toByteArray();
        int dataStart = new String(archive, StandardCharsets.ISO_8859_1).indexOf("\u0093NUMPY") + 128;
        archive[dataStart] ^= 1;
        assertBad(archive, 100, "entry 'arr_0.npy'", "corrupt or truncated ZIP archive", "CRC");

        byte[] cut = Arrays.copyOf(out.toByteArray(), dataStart + 2);
        assertBad(cut, 100, "entry 'arr_0.npy'", "truncated");

        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        Npz.write(deflated, Npz.positional(NpyArray.of(new double[1000], 1000)), Npz.Compression.DEFLATED);
        assertBad(Arrays.copyOf(deflated.toByteArray(), 60), 10_000, "entry 'arr_0.npy'", "truncated");
    }

    @Test
    void anEntryNameThatIsNotUtf8IsRefusedNamingTheFileAndPlace() throws IOException {
        Path file = dir.resolve("latin1.npz");
        Npz.write(file, Map.of("a", NpyArray.of(new float[] {1}, 1)), Npz.Compression.STORED);
        Map<String, byte[]> entries = Archives.read(file);
        entries.put("\u00e9.npy", entries.get("a.npy")); // the byte e9 on its own: not UTF-8
        Archives.write(file, entries, StandardCharsets.ISO_8859_1);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.read(file));
        assertTrue(e.getMessage().startsWith(file + ", entry after 'a.npy': corrupt ZIP archive: malformed entry header"),
                e.getMessage());
        assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
    }

    @Test
    void anArchiveWithoutItsCentralDirectoryIsRefusedAsNumPyRefusesIt() throws IOException {
        Path file = dir.resolve("w.npz");
        Npz.write(file, everyDtype(), Npz.Compression.STORED);
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Archives.withoutCentralDirectory(whole));
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.read(file));
        assertTrue(e.getMessage().startsWith(file + ": truncated or corrupt ZIP archive: expected a central directory"),
                e.getMessage());
        // Read as a stream, which has no end to look at, the same bytes give every array.
        assertEquals(everyDtype(), Npz.read(new ByteArrayInputStream(Files.readAllBytes(file)), "stream", 1 << 20));
    }

    @Test
    void aCentralDirectoryListingOtherEntriesIsRefused() throws IOException {
        Path file = dir.resolve("w.npz");
        Npz.write(file, Map.of("a", NpyArray.of(new float[] {1}, 1)), Npz.Compression.STORED);
        byte[] bytes = Files.readAllBytes(file);
        // The central directory's copy of the name, the last "a.npy" in the file, becomes "b.npy".
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        bytes[text.lastIndexOf("a.npy")] = 'b';
        Files.write(file, bytes);
        NpyFormatException e = assertThrows(NpyFormatException.class, () -> Npz.read(file));
        assertTrue(e.getMessage().contains("its central directory lists the entries [b.npy], its contents hold [a.npy]"),
                e.getMessage());
    }

    @Test
    void misuseIsUnchecked() {
        Map<String, NpyArray> unnamed = new LinkedHashMap<>();
        unnamed.put("", NpyArray.of(new int[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npz.write(dir.resolve("x.npz"), unnamed));
        assertTrue(e.getMessage().contains("non-empty name"), e.getMessage());
        assertEquals(List.of(), List.of(dir.toFile().list()), "nothing was written");
        assertThrows(IllegalArgumentException.class,
                () -> Npz.read(new ByteArrayInputStream(new byte[0]), "x", -1));
        assertThrows(NullPointerException.class,
                () -> Npz.write(OutputStream.nullOutputStream(), unnamed, null));
    }
}
