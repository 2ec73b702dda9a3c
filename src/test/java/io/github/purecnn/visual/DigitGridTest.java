package io.github.purecnn.visual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigitGridTest {
    @TempDir
    Path dir;

    /** Twelve 28 x 28 blank images, image i with one ink pixel at row i, column 2 * i. */
    private static float[][] images() {
        float[][] images = new float[12][28 * 28];
        for (int i = 0; i < images.length; i++) {
            images[i][i * 28 + 2 * i] = 1f;
        }
        return images;
    }

    private static int[] labels() {
        int[] labels = new int[12];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        return labels;
    }

    @Test
    void gridHasTheDocumentedSizeAndInkWhereThePixelIs() throws IOException {
        Path file = dir.resolve("grid.png");
        DigitGrid.write(file, images(), 28, 28, labels());
        BufferedImage image = Pixels.read(file);

        // 12 digits: 10 columns, 2 rows, no header; cells 96 x 110.
        assertEquals(2 * 8 + 10 * 96, image.getWidth());
        assertEquals(2 * 8 + 2 * 110, image.getHeight());
        // Image 11 sits in row 1, column 1; its ink pixel is at row 11, column 22, drawn 3 x 3.
        int x = 8 + 96 + 6 + 22 * 3 + 1;
        int y = 8 + 110 + 6 + 11 * 3 + 1;
        assertTrue(Pixels.luminance(image, x, y) < 10, "ink pixel should be black");
        assertTrue(Pixels.luminance(image, x + 3, y) > 245, "background should be white");
    }

    @Test
    void mistakesAreFramedInRed() {
        int[] labels = labels();
        int[] predicted = labels.clone();
        predicted[1] = 7;
        BufferedImage image = DigitGrid.render(images(), 28, 28, labels, predicted);

        assertEquals(2 * 8 + 22 + 2 * 110, image.getHeight());
        int top = 8 + 22 + 6 - 1;
        int rightDigitLeft = 8 + 96 + 6;
        int red = image.getRGB(rightDigitLeft + 40, top) & 0xFFFFFF;
        assertTrue(Pixels.near(red, Canvas.MISTAKE.getRGB(), 0), "frame of the mistake: " + Integer.toHexString(red));
        int gray = image.getRGB(8 + 6 + 40, top) & 0xFFFFFF;
        assertTrue(Pixels.near(gray, Canvas.FRAME.getRGB(), 0), "frame of a correct one: " + Integer.toHexString(gray));
    }

    @Test
    void rendersWithoutFontsAtTheSameSize() {
        int[] labels = labels();
        BufferedImage withText = DigitGrid.render(images(), 28, 28, labels, labels, true);
        BufferedImage without = DigitGrid.render(images(), 28, 28, labels, labels, false);
        assertEquals(withText.getWidth(), without.getWidth());
        assertEquals(withText.getHeight(), without.getHeight());
    }

    @Test
    void badArgumentsSayWhatWasExpectedAndFound() {
        IllegalArgumentException labels = assertThrows(IllegalArgumentException.class,
                () -> DigitGrid.render(images(), 28, 28, new int[3], null));
        assertTrue(labels.getMessage().contains("labels: expected 12 entries, one per image, found 3"),
                labels.getMessage());

        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> DigitGrid.render(new float[][] {new float[784], new float[783]}, 28, 28, new int[2], null));
        assertTrue(size.getMessage().contains("images[1]: expected 28 x 28 = 784 values, found 783"),
                size.getMessage());

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> DigitGrid.render(new float[0][], 28, 28, new int[0], null));
        assertTrue(empty.getMessage().contains("expected at least one image, found none"), empty.getMessage());
    }
}
