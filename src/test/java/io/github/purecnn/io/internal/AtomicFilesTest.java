package io.github.purecnn.io.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    @Test
    void writingThroughASymbolicLinkWritesItsTargetAndKeepsTheLink() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path target = Files.writeString(real.resolve("model.bin"), "old");
        Path relative = Files.createSymbolicLink(dir.resolve("rel.bin"), Path.of("real/model.bin"));
        Path chain = Files.createSymbolicLink(dir.resolve("chain.bin"), relative.toAbsolutePath());

        AtomicFiles.write(chain, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertEquals("new", Files.readString(target));
        assertTrue(Files.isSymbolicLink(chain) && Files.isSymbolicLink(relative), "both links stay links");
        assertEquals(List.of("model.bin"), list(real), "the temporary file went beside the target, and is gone");

        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.bin"), Path.of("real/created.bin"));
        AtomicFiles.write(dangling, out -> out.write(7));
        assertArrayEquals(new byte[] {7}, Files.readAllBytes(real.resolve("created.bin")));
        assertTrue(Files.isSymbolicLink(dangling));
    }

    @Test
    void aLoopOfLinksIsRefusedNamingThePath() throws IOException {
        Path a = dir.resolve("a");
        Files.createSymbolicLink(a, Path.of("b"));
        Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(a, out -> out.write(1)));
        assertTrue(e.getMessage().startsWith(a + ": more than 40 symbolic links"), e.getMessage());
    }

    @Test
    void aFolderOrALinkToOneIsNotReplaced() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("out"));
        Path link = Files.createSymbolicLink(dir.resolve("to-folder"), folder.getFileName());
        for (Path p : List.of(folder, link)) {
            FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFiles.write(p, out -> out.write(1)));
            assertEquals(p + ": is a folder: expected a file to replace", e.getMessage());
        }
        assertTrue(Files.isDirectory(folder));
        assertEquals(List.of("out", "to-folder"), files());
    }

    @Test
    void oldTemporaryFilesOfKilledWritesAreRemovedAndNothingElse() throws IOException {
        Path target = dir.resolve("m.purecnn");
        FileTime old = FileTime.from(Instant.now().minus(AtomicFiles.STALE_AFTER).minusSeconds(60));
        Path stale = Files.writeString(dir.resolve(".m.purecnn.3k9x0q2ab1.tmp"), "killed");
        Files.setLastModifiedTime(stale, old);
        Path staleHex = Files.writeString(dir.resolve(".m.purecnn.7f3a9c0e12b4d5e6.tmp"), "killed"); // Png's old names
        Files.setLastModifiedTime(staleHex, old);
        Path fresh = Files.writeString(dir.resolve(".m.purecnn.zz1.tmp"), "another writer, still running");
        Path otherTarget = Files.writeString(dir.resolve(".n.purecnn.3k9x0q2ab1.tmp"), "another file's");
        Files.setLastModifiedTime(otherTarget, old);
        Path notOurs = Files.writeString(dir.resolve(".m.purecnn.backup.tmp.keep"), "the user's");
        Files.setLastModifiedTime(notOurs, old);
        Path oldFolder = Files.createDirectory(dir.resolve(".m.purecnn.abc.tmp"));
        Files.setLastModifiedTime(oldFolder, old);

        AtomicFiles.write(target, out -> out.write(1));
        assertEquals(List.of(".m.purecnn.abc.tmp", ".m.purecnn.backup.tmp.keep", ".m.purecnn.zz1.tmp",
                ".n.purecnn.3k9x0q2ab1.tmp", "m.purecnn"), files());
    }

    private static List<String> list(Path folder) throws IOException {
        try (var s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
