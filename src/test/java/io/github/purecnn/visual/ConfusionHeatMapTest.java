package io.github.purecnn.visual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionHeatMapTest {
    @TempDir
    Path dir;

    // Class 0 is common and well recognised, class 2 rare and always mistaken for 1.
    private static final int[][] COUNTS = {
        {900, 30, 0},
        {10, 500, 0},
        {0, 8, 2},
    };

    /** The luminance at a corner of cell (row, column), away from the printed count. */
    private static double cell(BufferedImage image, int row, int column) {
        return Pixels.luminance(image, 72 + column * 44 + 3, 72 + row * 44 + 3);
    }

    @Test
    void largestCountIsTheDarkestCell() throws IOException {
        Path file = dir.resolve("confusion.png");
        ConfusionHeatMap.write(file, COUNTS, ConfusionHeatMap.Shading.COUNT);
        BufferedImage image = Pixels.read(file);

        assertEquals(72 + 3 * 44 + 10, image.getWidth());
        assertEquals(72 + 3 * 44 + 10, image.getHeight());
        double darkest = cell(image, 0, 0);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                if (i != 0 || j != 0) {
                    assertTrue(cell(image, i, j) > darkest, "cell " + i + "," + j + " is as dark as the largest");
                }
            }
        }
        assertTrue(cell(image, 0, 2) > 250, "an empty cell should be white");
    }

    @Test
    void rowFractionsShadeRareClassesByTheirOwnTotal() {
        BufferedImage image = ConfusionHeatMap.render(COUNTS, ConfusionHeatMap.Shading.ROW_FRACTION);
        // 8 of 10 samples of class 2 went to class 1: darker than class 0's 900 of 930 would be
        // with counts, and darker than class 2's own diagonal.
        assertTrue(cell(image, 2, 1) < cell(image, 2, 2));
        assertTrue(cell(image, 2, 1) < 150, "80% of a row should be dark, luminance " + cell(image, 2, 1));
    }

    @Test
    void rendersWithoutFontsAtTheSameSize() {
        BufferedImage image = ConfusionHeatMap.render(COUNTS, ConfusionHeatMap.Shading.COUNT, false);
        assertEquals(72 + 3 * 44 + 10, image.getWidth());
        assertTrue(cell(image, 0, 0) < 100);
    }

    @Test
    void badArgumentsSayWhatWasExpectedAndFound() {
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> ConfusionHeatMap.render(new int[][] {{1, 2}, {3}}, ConfusionHeatMap.Shading.COUNT));
        assertTrue(ragged.getMessage().contains("expected 2 x 2 (square), found row 1 with 1 columns"),
                ragged.getMessage());

        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> ConfusionHeatMap.render(new int[][] {{1, -2}, {3, 4}}, ConfusionHeatMap.Shading.COUNT));
        assertTrue(negative.getMessage().contains("found -2 at true 0, predicted 1"), negative.getMessage());

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> ConfusionHeatMap.render(new int[0][], ConfusionHeatMap.Shading.COUNT));
        assertTrue(empty.getMessage().contains("found no rows"), empty.getMessage());
    }
}
