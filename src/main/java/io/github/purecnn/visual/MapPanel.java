package io.github.purecnn.visual;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows of labelled maps, each row under its caption: the picture for "what does the network
 * see". A typical panel has the input digit, the first convolution's filters, the digit's
 * feature maps, a few hand-made kernels and the digit convolved with them:
 *
 * <pre>{@code
 * new MapPanel()
 *     .row("input", List.of(new MapPanel.Tile("digit 7", digit, 28, 28, ColorMap.INK)))
 *     .row("conv2d filters", filters)      // 3 x 3 weights, ColorMap.DIVERGING
 *     .row("feature maps", featureMaps)    // 26 x 26 activations, ColorMap.INK
 *     .write(Path.of("feature-maps.png"));
 * }</pre>
 *
 * <p>Every map is normalised on its own ({@link ColorMap#toRgb}) and scaled up by a whole
 * factor, nearest neighbour, to fill a square tile: a 3 x 3 kernel and a 28 x 28 digit come out
 * the same size. Size, deterministic: the tile side is the larger of {@value #TILE} and the
 * largest map side in the panel; the picture is
 * {@code 2 * MARGIN + columns * tile + (columns - 1) * GAP} wide, columns being the longest
 * row, and {@code 2 * MARGIN + rows * (CAPTION + tile + LABEL) + (rows - 1) * ROW_GAP} high
 * ({@value #MARGIN}, {@value #GAP}, {@value #CAPTION}, {@value #LABEL}, {@value #ROW_GAP}).
 * Five rows of at most six MNIST-sized maps: 578 x 678.
 */
public final class MapPanel {
    static final int TILE = 84;
    static final int MARGIN = 12;
    static final int GAP = 10;
    static final int CAPTION = 24;
    static final int LABEL = 18;
    static final int ROW_GAP = 6;

    /**
     * One map: {@code values} is {@code height * width} row-major and is read when the panel is
     * rendered, not copied; {@code colors} decides the normalisation (signed or not) and the colours.
     *
     * @param label the caption under the map
     * @param values the map, {@code height * width} row-major
     * @param height map height in cells
     * @param width map width in cells
     * @param colors the colour map
     */
    public record Tile(String label, float[] values, int height, int width, ColorMap colors) {
        /**
         * Checks the sizes and that every value is finite.
         *
         * @param label the caption under the map
         * @param values the map, {@code height * width} row-major
         * @param height map height in cells
         * @param width map width in cells
         * @param colors the colour map
         */
        public Tile {
            if (label == null || colors == null) {
                throw new IllegalArgumentException("map: expected a label and a colour map, found label " + label
                        + " and colour map " + colors);
            }
            Checks.image(values, height, width, "map '" + label + "'");
            Checks.finite(values, "map '" + label + "'");
        }
    }

    private record Row(String caption, List<Tile> tiles) {
    }

    private final List<Row> rows = new ArrayList<>();

    /** An empty panel; add rows with {@link #row}. */
    public MapPanel() {
    }

    /**
     * Adds a row of maps under {@code caption}, below the rows added before.
     *
     * @param caption the row's caption, drawn above it
     * @param tiles the maps, left to right
     * @return this panel
     */
    public MapPanel row(String caption, List<Tile> tiles) {
        if (caption == null || tiles == null || tiles.isEmpty()) {
            throw new IllegalArgumentException("row: expected a caption and at least one map, found caption "
                    + caption + " and " + (tiles == null ? "no list" : tiles.size() + " maps"));
        }
        rows.add(new Row(caption, List.copyOf(tiles)));
        return this;
    }

    /**
     * Channel {@code channel} of an interleaved {@code height x width x channels} array, as one
     * {@code height x width} map: a feature map out of an NHWC activation, or filter k of a
     * Keras-layout {@code (3, 3, 1, K)} kernel.
     *
     * @param height the array's height
     * @param width its width
     * @param channels its channel count
     * @param channel the channel to take, from 0
     * @param values {@code height * width * channels} values, channel fastest; read
     * @return a new array of {@code height * width} values
     */
    public static float[] channel(float[] values, int height, int width, int channels, int channel) {
        if (channels < 1 || channel < 0 || channel >= channels) {
            throw new IllegalArgumentException("channel: expected 0 <= channel < channels, found channel " + channel
                    + " of " + channels);
        }
        if (values == null || height < 1 || width < 1 || values.length != (long) height * width * channels) {
            throw new IllegalArgumentException("channel: expected " + height + " x " + width + " x " + channels
                    + " values, found " + (values == null ? "null" : values.length));
        }
        float[] map = new float[height * width];
        for (int i = 0; i < map.length; i++) {
            map[i] = values[i * channels + channel];
        }
        return map;
    }

    /**
     * Writes the panel as a PNG; see {@link #render()}.
     *
     * @param file the PNG to write
     * @throws IOException naming the file if it cannot be written
     */
    public void write(Path file) throws IOException {
        Png.write(file, render());
    }

    /**
     * Draws the panel; fails if no row was added.
     *
     * @return the picture
     */
    public BufferedImage render() {
        return render(Canvas.fontsAvailable());
    }

    BufferedImage render(boolean text) {
        if (rows.isEmpty()) {
            throw new IllegalStateException("map panel: expected at least one row, found none");
        }
        int tile = TILE;
        int columns = 0;
        for (Row row : rows) {
            columns = Math.max(columns, row.tiles.size());
            for (Tile t : row.tiles) {
                tile = Math.max(tile, Math.max(t.height, t.width));
            }
        }
        int width = 2 * MARGIN + columns * tile + (columns - 1) * GAP;
        int rowHeight = CAPTION + tile + LABEL;
        int height = 2 * MARGIN + rows.size() * rowHeight + (rows.size() - 1) * ROW_GAP;
        Canvas canvas = new Canvas(width, height, text);
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int rowY = MARGIN + r * (rowHeight + ROW_GAP);
            canvas.text(row.caption, MARGIN, rowY, width - 2 * MARGIN, CAPTION, Canvas.Align.LEFT, Canvas.Style.TITLE,
                    Canvas.BLACK);
            for (int c = 0; c < row.tiles.size(); c++) {
                Tile t = row.tiles.get(c);
                int tileX = MARGIN + c * (tile + GAP);
                int tileY = rowY + CAPTION;
                int scale = Math.max(1, tile / Math.max(t.height, t.width));
                // Centred in the tile: the whole-number scale rarely fills it exactly.
                int x = tileX + (tile - scale * t.width) / 2;
                int y = tileY + (tile - scale * t.height) / 2;
                canvas.blit(t.colors.toRgb(t.values), t.height, t.width, x, y, scale);
                canvas.frame(x, y, scale * t.width, scale * t.height, 1, Canvas.FRAME);
                canvas.text(t.label, tileX - GAP / 2, tileY + tile, tile + GAP, LABEL, Canvas.Align.CENTER,
                        Canvas.Style.SMALL, Canvas.BLACK);
            }
        }
        return canvas.image();
    }
}
