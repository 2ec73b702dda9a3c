package io.github.purecnn.testing;

import io.github.purecnn.io.internal.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Takes ZIP archives (model files, {@code .npz}) apart and puts them back together, so that tests
 * can damage them in precise ways.
 */
public final class Archives {
    /** The manifest's entry name, fixed by the model file format. */
    public static final String MANIFEST = "manifest.json";

    private Archives() {
    }

    /** Every entry's name and uncompressed bytes, in archive order. */
    public static Map<String, byte[]> read(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    /** Writes the entries, deflated, in map order. */
    public static void write(Path file, Map<String, byte[]> entries) throws IOException {
        write(file, entries, StandardCharsets.UTF_8);
    }

    /**
     * Writes the entries with names encoded in {@code names}: any other charset than UTF-8 leaves
     * the ZIP's UTF-8 flag unset, so a name such as {@code "\u00ff"} in ISO-8859-1 becomes the
     * byte {@code ff}, which is not valid UTF-8.
     */
    public static void write(Path file, Map<String, byte[]> entries, Charset names) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out, names)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    /** The parsed manifest, mutable. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> manifest(Map<String, byte[]> entries) throws IOException {
        return (Map<String, Object>) Json.parse(new String(entries.get(MANIFEST), StandardCharsets.UTF_8));
    }

    /** Replaces the manifest entry, keeping its place (the first). */
    public static void putManifest(Map<String, byte[]> entries, Map<String, Object> manifest) {
        entries.put(MANIFEST, Json.writePretty(manifest).getBytes(StandardCharsets.UTF_8));
    }

    /** The hex SHA-256 of {@code bytes}, as a manifest declares each entry's. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The archive cut just before its central directory: every entry whole, but nothing that
     * {@code unzip} or NumPy, which read the directory, can open. The directory's offset comes
     * from the end-of-central-directory record, the last 22 bytes of an archive without comment.
     */
    public static byte[] withoutCentralDirectory(byte[] archive) {
        int eocd = archive.length - 22;
        if (eocd < 0 || archive[eocd] != 'P' || archive[eocd + 1] != 'K' || archive[eocd + 2] != 5 || archive[eocd + 3] != 6) {
            throw new IllegalArgumentException("expected an archive ending in an end-of-central-directory record");
        }
        int offset = (archive[eocd + 16] & 0xFF) | (archive[eocd + 17] & 0xFF) << 8 | (archive[eocd + 18] & 0xFF) << 16
                | (archive[eocd + 19] & 0xFF) << 24;
        return Arrays.copyOf(archive, offset);
    }
}
