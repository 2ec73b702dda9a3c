package io.github.purecnn.model;

import io.github.purecnn.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Takes model files apart and puts them back together, so that tests can damage them in precise ways. */
final class Archives {
    private Archives() {
    }

    /** Every entry's name and uncompressed bytes, in archive order. */
    static Map<String, byte[]> read(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    /** Writes the entries, deflated, in map order. */
    static void write(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    /** The parsed manifest, mutable. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> manifest(Map<String, byte[]> entries) throws IOException {
        return (Map<String, Object>) Json.parse(new String(entries.get(ModelFile.MANIFEST), StandardCharsets.UTF_8));
    }

    static void putManifest(Map<String, byte[]> entries, Map<String, Object> manifest) {
        entries.put(ModelFile.MANIFEST, Json.writePretty(manifest).getBytes(StandardCharsets.UTF_8));
    }
}
