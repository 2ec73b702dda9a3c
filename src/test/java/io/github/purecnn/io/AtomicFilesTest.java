package io.github.purecnn.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesANewFileAndReplacesAnOldOne() throws IOException {
        Path target = dir.resolve("model.json");
        AtomicFiles.write(target, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
        assertEquals("first", Files.readString(target));
        AtomicFiles.write(target, out -> {
            out.write("second, longer".getBytes(StandardCharsets.UTF_8));
            out.close(); // allowed: only flushes
        });
        assertEquals("second, longer", Files.readString(target));
        assertEquals(List.of("model.json"), files());
    }

    @Test
    void aFailingBodyLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("weights.npz");
        Files.writeString(target, "good");
        IOException thrown = new IOException("disk on fire");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]); // more than the buffer, so some of it reached the temp file
            throw thrown;
        }));
        assertSame(thrown, e);
        assertEquals("good", Files.readString(target));
        assertEquals(List.of("weights.npz"), files());

        IllegalStateException bug = new IllegalStateException("bug in the body");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, out -> {
            throw bug;
        })));
        assertEquals("good", Files.readString(target));
        assertEquals(List.of("weights.npz"), files());
    }

    @Test
    void aFailingBodyCreatesNoFileWhereThereWasNone() throws IOException {
        assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("new.bin"), out -> {
            throw new IOException("no");
        }));
        assertEquals(List.of(), files());
    }

    @Test
    void aMissingFolderIsAnIOException() {
        assertThrows(NoSuchFileException.class,
                () -> AtomicFiles.write(dir.resolve("missing/file.bin"), out -> out.write(1)));
    }
}
