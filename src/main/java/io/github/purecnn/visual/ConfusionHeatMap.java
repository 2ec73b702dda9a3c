package io.github.purecnn.visual;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A confusion matrix as a heat map: row i is true class i, column j predicted class j, and the
 * darker a cell the more samples it holds; the count is printed in each cell when fonts are
 * available. A good classifier shows as a dark diagonal on white.
 *
 * <p>Size, deterministic: for k classes, {@code LEFT + k * CELL + MARGIN} wide and
 * {@code TOP + k * CELL + MARGIN} high ({@value #LEFT}, {@value #TOP}, {@value #CELL},
 * {@value #MARGIN}); ten classes: 522 x 522.
 */
public final class ConfusionHeatMap {
    static final int CELL = 44;
    static final int LEFT = 72;
    static final int TOP = 72;
    static final int MARGIN = 10;
    private static final Color LIGHT_TEXT = Color.WHITE;

    /** What a cell's shade measures. */
    public enum Shading {
        /** The count against the largest count in the matrix: where the samples are. */
        COUNT,
        /**
         * The count as a fraction of its row (its true class): how each class is recognised,
         * so that rare classes are as visible as common ones.
         */
        ROW_FRACTION
    }

    private ConfusionHeatMap() {
    }

    /**
     * Writes the heat map as a PNG; see {@link #render}.
     *
     * @param file the PNG to write
     * @param counts {@code counts[true][predicted]}, square, non-negative; read
     * @param shading what the colour of a cell shows
     * @throws IOException naming the file if it cannot be written
     */
    public static void write(Path file, int[][] counts, Shading shading) throws IOException {
        Png.write(file, render(counts, shading));
    }

    /**
     * Draws the heat map.
     *
     * @param shading what the colour of a cell shows
     * @return the picture
     * @param counts {@code counts[true][predicted]}, square, non-negative; read
     */
    public static BufferedImage render(int[][] counts, Shading shading) {
        return render(counts, shading, Canvas.fontsAvailable());
    }

    static BufferedImage render(int[][] counts, Shading shading, boolean text) {
        int k = check(counts);
        if (shading == null) {
            throw new IllegalArgumentException("shading: expected COUNT or ROW_FRACTION, found null");
        }
        int max = 0;
        long[] rowSums = new long[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                max = Math.max(max, counts[i][j]);
                rowSums[i] += counts[i][j];
            }
        }
        Canvas canvas = new Canvas(LEFT + k * CELL + MARGIN, TOP + k * CELL + MARGIN, text);
        canvas.text("predicted", LEFT, MARGIN, k * CELL, 24, Canvas.Align.CENTER, Canvas.Style.TITLE, Canvas.BLACK);
        canvas.text("true", MARGIN, TOP - 24, LEFT - MARGIN - 26, 20, Canvas.Align.LEFT, Canvas.Style.TITLE,
                Canvas.BLACK);
        for (int i = 0; i < k; i++) {
            canvas.text(String.valueOf(i), LEFT + i * CELL, TOP - 26, CELL, 24, Canvas.Align.CENTER,
                    Canvas.Style.LABEL, Canvas.BLACK);
            canvas.text(String.valueOf(i), LEFT - 30, TOP + i * CELL, 24, CELL, Canvas.Align.RIGHT,
                    Canvas.Style.LABEL, Canvas.BLACK);
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double t = switch (shading) {
                    case COUNT -> max == 0 ? 0 : (double) counts[i][j] / max;
                    case ROW_FRACTION -> rowSums[i] == 0 ? 0 : (double) counts[i][j] / rowSums[i];
                };
                int x = LEFT + j * CELL;
                int y = TOP + i * CELL;
                canvas.fill(x, y, CELL, CELL, new Color(ColorMap.BLUES.rgb(t)));
                // Past the middle of the map the blue is dark enough that black text would vanish;
                // zeros are grayed so that the few confusions that happen stand out.
                Color ink = t > 0.5 ? LIGHT_TEXT : counts[i][j] == 0 ? Canvas.FRAME : Canvas.BLACK;
                canvas.text(String.valueOf(counts[i][j]), x, y, CELL, CELL, Canvas.Align.CENTER, Canvas.Style.SMALL, ink);
            }
        }
        canvas.frame(LEFT, TOP, k * CELL, k * CELL, 1, Canvas.FRAME);
        return canvas.image();
    }

    /** Checks that counts is a non-empty square matrix of non-negative counts and returns its size. */
    private static int check(int[][] counts) {
        if (counts == null || counts.length == 0) {
            throw new IllegalArgumentException("counts: expected a square matrix of at least one class, found "
                    + (counts == null ? "null" : "no rows"));
        }
        int k = counts.length;
        for (int i = 0; i < k; i++) {
            if (counts[i] == null || counts[i].length != k) {
                throw new IllegalArgumentException("counts: expected " + k + " x " + k + " (square), found row " + i
                        + " with " + (counts[i] == null ? "no array" : counts[i].length + " columns"));
            }
            for (int j = 0; j < k; j++) {
                if (counts[i][j] < 0) {
                    throw new IllegalArgumentException("counts: expected non-negative counts, found " + counts[i][j]
                            + " at true " + i + ", predicted " + j);
                }
            }
        }
        return k;
    }
}
