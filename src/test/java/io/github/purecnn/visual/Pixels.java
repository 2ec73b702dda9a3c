package io.github.purecnn.visual;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Reading back written pictures and judging their pixels, for the picture tests. */
final class Pixels {
    private Pixels() {
    }

    /** Decodes a written PNG, failing the test if the file is missing or not an image. */
    static BufferedImage read(Path file) throws IOException {
        BufferedImage image = ImageIO.read(Files.newInputStream(file));
        assertNotNull(image, "ImageIO could not decode " + file);
        return image;
    }

    /** Perceived brightness of a pixel, 0 black to 255 white. */
    static double luminance(BufferedImage image, int x, int y) {
        int rgb = image.getRGB(x, y);
        return 0.299 * red(rgb) + 0.587 * green(rgb) + 0.114 * blue(rgb);
    }

    static int red(int rgb) {
        return (rgb >> 16) & 0xFF;
    }

    static int green(int rgb) {
        return (rgb >> 8) & 0xFF;
    }

    static int blue(int rgb) {
        return rgb & 0xFF;
    }

    /** Whether a pixel is within {@code tolerance} of {@code rgb} on every channel. */
    static boolean near(int pixel, int rgb, int tolerance) {
        return Math.abs(red(pixel) - red(rgb)) <= tolerance && Math.abs(green(pixel) - green(rgb)) <= tolerance
                && Math.abs(blue(pixel) - blue(rgb)) <= tolerance;
    }
}
