package io.github.purecnn.visual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {
    @TempDir
    Path dir;

    @Test
    void writesIntoNewFoldersAndLeavesNoTemporaryFile() throws IOException {
        BufferedImage image = new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB);
        image.setRGB(2, 1, 0xFF0000);
        Path file = dir.resolve("a/b/picture.png");

        Png.write(file, image);

        BufferedImage back = Pixels.read(file);
        assertEquals(5, back.getWidth());
        assertEquals(4, back.getHeight());
        assertEquals(0xFF0000, back.getRGB(2, 1) & 0xFFFFFF);
        assertEquals(List.of(file), list(file.getParent()));
    }

    @Test
    void theFileGetsTheUsualPermissionsOfANewFile() throws IOException {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path file = dir.resolve("picture.png");
        Png.write(file, new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path file = dir.resolve("picture.png");
        Files.writeString(file, "not a picture");
        Png.write(file, new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB));
        assertEquals(3, Pixels.read(file).getWidth());
    }

    @Test
    void aParentThatIsAFileFailsNamingThePath() throws IOException {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file, not a folder");
        Path file = blocker.resolve("picture.png");

        IOException e = assertThrows(IOException.class,
                () -> Png.write(file, new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB)));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void anImageNoPngWriterCanEncodeFailsNamingThePathAndLeavesNothing() throws IOException {
        // Float samples: the PNG writer encodes at most 16 bits per sample, so ImageIO.write returns false.
        ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
        BufferedImage floats = new BufferedImage(model, model.createCompatibleWritableRaster(2, 2), false, null);
        Path file = dir.resolve("floats.png");

        IOException e = assertThrows(IOException.class, () -> Png.write(file, floats));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no PNG writer"), e.getMessage());
        assertEquals(List.of(), list(dir));
    }

    @Test
    void drawingRunsHeadless() {
        new Canvas(2, 2, false).image();
        assertTrue(GraphicsEnvironment.isHeadless());
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }
}
