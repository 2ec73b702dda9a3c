package io.github.purecnn.io.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class RegularFilesTest {
    @TempDir
    Path dir;

    @Test
    void aRegularFileAndALinkToOneAreRead() throws IOException {
        Path file = Files.write(dir.resolve("a.bin"), new byte[] {1, 2, 3});
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), file.getFileName());
        for (Path p : new Path[] {file, link}) {
            try (InputStream in = RegularFiles.newInputStream(p)) {
                assertArrayEquals(new byte[] {1, 2, 3}, in.readAllBytes());
            }
        }
    }

    @Test
    void aFolderIsRefusedNamingIt() {
        FileSystemException e = assertThrows(FileSystemException.class, () -> RegularFiles.newInputStream(dir));
        assertEquals(dir + ": is a folder, expected a file", e.getMessage());
    }

    @Test
    void aNamedPipeIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        // Opening a pipe for reading blocks until a writer comes: the refusal must come first.
        FileSystemException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(FileSystemException.class, () -> RegularFiles.newInputStream(fifo)));
        assertEquals(fifo + ": is not a regular file (a pipe, socket or device), expected a file", e.getMessage());
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> RegularFiles.newInputStream(dir.resolve("absent")));
    }
}
