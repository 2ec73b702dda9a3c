package io.github.purecnn.visual;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A grid of sample digits, ink on white, each with its label underneath; with predictions, each
 * caption reads {@code label → predicted} and mistakes are framed and captioned in red.
 *
 * <p>Size, deterministic: at most {@value #COLUMNS} digits per row; each cell is
 * {@code SCALE * width + 2 * PAD} wide and {@code SCALE * height + PAD + CAPTION} high
 * ({@value #SCALE}, {@value #PAD}, {@value #CAPTION}); the picture is
 * {@code 2 * MARGIN + columns * cellWidth} wide and
 * {@code 2 * MARGIN + header + rows * cellHeight} high ({@value #MARGIN}), where the header is
 * {@value #HEADER} pixels with predictions and 0 without. Ten MNIST digits with predictions:
 * 976 x 148.
 */
public final class DigitGrid {
    static final int COLUMNS = 10;
    static final int SCALE = 3;
    static final int PAD = 6;
    static final int CAPTION = 20;
    static final int MARGIN = 8;
    static final int HEADER = 22;

    private DigitGrid() {
    }

    /**
     * Writes the grid of {@link #render(float[][], int, int, int[], int[])} as a PNG.
     *
     * @param file the PNG to write
     * @param images one {@code height * width} row-major image per digit, values in [0, 1]; read
     * @param height image height in pixels
     * @param width image width in pixels
     * @param labels the true class of each image
     * @param predicted the predicted class of each image
     * @throws IOException naming the file if it cannot be written
     */
    public static void write(Path file, float[][] images, int height, int width, int[] labels, int[] predicted)
            throws IOException {
        Png.write(file, render(images, height, width, labels, predicted));
    }

    /**
     * Writes the grid of {@link #render(float[][], int, int, int[], int[])} without predictions as a PNG.
     *
     * @param file the PNG to write
     * @param images one {@code height * width} row-major image per digit, values in [0, 1]; read
     * @param height image height in pixels
     * @param width image width in pixels
     * @param labels the class of each image
     * @throws IOException naming the file if it cannot be written
     */
    public static void write(Path file, float[][] images, int height, int width, int[] labels) throws IOException {
        Png.write(file, render(images, height, width, labels, null));
    }

    /**
     * Draws the grid.
     *
     * @param height image height in pixels
     * @param width image width in pixels
     * @return the picture
     * @param images one {@code height * width} row-major image per digit, values in [0, 1]; read
     * @param labels the true class of each image
     * @param predicted the predicted class of each image, or null for a grid of labels only
     */
    public static BufferedImage render(float[][] images, int height, int width, int[] labels, int[] predicted) {
        return render(images, height, width, labels, predicted, Canvas.fontsAvailable());
    }

    static BufferedImage render(float[][] images, int height, int width, int[] labels, int[] predicted,
            boolean text) {
        if (images == null || images.length == 0) {
            throw new IllegalArgumentException("images: expected at least one image, found "
                    + (images == null ? "null" : "none"));
        }
        for (int i = 0; i < images.length; i++) {
            Checks.image(images[i], height, width, "images[" + i + "]");
            Checks.unitRange(images[i], width, "images[" + i + "]");
        }
        Checks.sameLength(images.length, labels == null ? 0 : labels.length, "labels", "image");
        if (predicted != null) {
            Checks.sameLength(images.length, predicted.length, "predicted", "image");
        }

        int columns = Math.min(images.length, COLUMNS);
        int rows = (images.length + COLUMNS - 1) / COLUMNS;
        int cellWidth = SCALE * width + 2 * PAD;
        int cellHeight = SCALE * height + PAD + CAPTION;
        int header = predicted == null ? 0 : HEADER;
        Canvas canvas = new Canvas(2 * MARGIN + columns * cellWidth, 2 * MARGIN + header + rows * cellHeight, text);
        if (predicted != null) {
            canvas.text("label \u2192 predicted, mistakes in red", MARGIN + PAD, MARGIN, columns * cellWidth - 2 * PAD,
                    HEADER, Canvas.Align.LEFT, Canvas.Style.LABEL, Canvas.BLACK);
        }
        int[] rgb = new int[height * width];
        for (int i = 0; i < images.length; i++) {
            int cellX = MARGIN + (i % COLUMNS) * cellWidth;
            int cellY = MARGIN + header + (i / COLUMNS) * cellHeight;
            float[] image = images[i];
            // Fixed 0..1 scale, not per-image normalisation: a faint digit should look faint.
            for (int p = 0; p < rgb.length; p++) {
                rgb[p] = ColorMap.INK.rgb(image[p]);
            }
            int x = cellX + PAD;
            int y = cellY + PAD;
            canvas.blit(rgb, height, width, x, y, SCALE);
            boolean mistake = predicted != null && predicted[i] != labels[i];
            canvas.frame(x, y, SCALE * width, SCALE * height, mistake ? 2 : 1, mistake ? Canvas.MISTAKE : Canvas.FRAME);
            String caption = predicted == null ? String.valueOf(labels[i]) : labels[i] + " \u2192 " + predicted[i];
            canvas.text(caption, cellX, y + SCALE * height, cellWidth, CAPTION, Canvas.Align.CENTER,
                    Canvas.Style.LABEL, mistake ? Canvas.MISTAKE : Canvas.BLACK);
        }
        return canvas.image();
    }
}
