package io.github.purecnn.visual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MapPanelTest {
    @TempDir
    Path dir;

    @Test
    void panelHasTheDocumentedSizeAndEachMapItsColours() throws IOException {
        float[] digit = new float[28 * 28];
        digit[5 * 28 + 7] = 1f;
        float[] kernel = {-1, 0, 1, -1, 0, 1, -1, 0, 1};
        Path file = dir.resolve("maps.png");

        new MapPanel()
                .row("input", List.of(new MapPanel.Tile("digit", digit, 28, 28, ColorMap.INK)))
                .row("filters", List.of(
                        new MapPanel.Tile("a", kernel, 3, 3, ColorMap.DIVERGING),
                        new MapPanel.Tile("b", kernel, 3, 3, ColorMap.GRAY)))
                .write(file);
        BufferedImage image = Pixels.read(file);

        // Two columns, two rows, 84-pixel tiles.
        assertEquals(2 * 12 + 2 * 84 + 10, image.getWidth());
        assertEquals(2 * 12 + 2 * (24 + 84 + 18) + 6, image.getHeight());
        // The digit is scaled by 3: its ink pixel at row 5, column 7 is black, its neighbour white.
        int x = 12 + 7 * 3 + 1;
        int y = 12 + 24 + 5 * 3 + 1;
        assertTrue(Pixels.luminance(image, x, y) < 10, "ink pixel should be black");
        assertTrue(Pixels.luminance(image, x + 3, y) > 245, "background should be white");
        // The kernel is scaled by 28: negative left column blue, zero middle white, positive right red.
        int rowY = 12 + (24 + 84 + 18) + 6 + 24 + 14;
        assertEquals(ColorMap.DIVERGING.rgb(0), image.getRGB(12 + 14, rowY) & 0xFFFFFF);
        assertEquals(0xFFFFFF, image.getRGB(12 + 42, rowY) & 0xFFFFFF);
        assertEquals(ColorMap.DIVERGING.rgb(1), image.getRGB(12 + 70, rowY) & 0xFFFFFF);
        // The same kernel unsigned: -1 black, 1 white.
        int second = 12 + 84 + 10;
        assertEquals(0x000000, image.getRGB(second + 14, rowY) & 0xFFFFFF);
        assertEquals(0xFFFFFF, image.getRGB(second + 70, rowY) & 0xFFFFFF);
    }

    @Test
    void mapsLargerThanATileSetTheTileSide() {
        float[] big = new float[100 * 90];
        BufferedImage image = new MapPanel()
                .row("big", List.of(new MapPanel.Tile("x", big, 100, 90, ColorMap.GRAY)))
                .render(false);
        assertEquals(2 * 12 + 100, image.getWidth());
        assertEquals(2 * 12 + 24 + 100 + 18, image.getHeight());
    }

    @Test
    void channelPicksOneMapOutOfInterleavedChannels() {
        // 2 x 2 x 3, value = 10 * pixel + channel
        float[] hwc = {0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32};
        assertArrayEquals(new float[] {1, 11, 21, 31}, MapPanel.channel(hwc, 2, 2, 3, 1));
    }

    @Test
    void badArgumentsSayWhatWasExpectedAndFound() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> new MapPanel.Tile("filter 1", new float[8], 3, 3, ColorMap.DIVERGING));
        assertTrue(size.getMessage().contains("map 'filter 1': expected 3 x 3 = 9 values, found 8"), size.getMessage());

        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new MapPanel.Tile("m", new float[] {0, Float.NaN}, 1, 2, ColorMap.GRAY));
        assertTrue(nan.getMessage().contains("expected finite values, found NaN at index 1"), nan.getMessage());

        IllegalArgumentException emptyRow = assertThrows(IllegalArgumentException.class,
                () -> new MapPanel().row("filters", List.of()));
        assertTrue(emptyRow.getMessage().contains("at least one map, found caption filters and 0 maps"),
                emptyRow.getMessage());

        IllegalArgumentException channel = assertThrows(IllegalArgumentException.class,
                () -> MapPanel.channel(new float[12], 2, 2, 3, 3));
        assertTrue(channel.getMessage().contains("found channel 3 of 3"), channel.getMessage());

        IllegalStateException noRows = assertThrows(IllegalStateException.class, () -> new MapPanel().render());
        assertTrue(noRows.getMessage().contains("expected at least one row, found none"), noRows.getMessage());
    }
}
