package io.github.purecnn.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;

/** Writes small image files for the tests with {@code javax.imageio}'s writers. */
final class ImageFiles {
    private ImageFiles() {
    }

    /** An RGB image whose pixel (x, y) is {@code argb.applyAsInt(x, y)} (alpha ignored). */
    static BufferedImage rgb(int width, int height, IntBinaryOperator argb) {
        return fill(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), argb);
    }

    /** An image with alpha whose pixel (x, y) is {@code argb.applyAsInt(x, y)}. */
    static BufferedImage rgba(int width, int height, IntBinaryOperator argb) {
        return fill(new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB), argb);
    }

    /** An 8-bit grey image whose pixel (x, y) is {@code grey.applyAsInt(x, y)}, written to the raster as is. */
    static BufferedImage grey(int width, int height, IntBinaryOperator grey) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, grey.applyAsInt(x, y));
            }
        }
        return image;
    }

    /** A palette image of the given colours (0xRRGGBB) whose pixel (x, y) is colour {@code index.applyAsInt(x, y)}. */
    static BufferedImage palette(int width, int height, int[] colours, IntBinaryOperator index) {
        byte[] r = new byte[colours.length];
        byte[] g = new byte[colours.length];
        byte[] b = new byte[colours.length];
        for (int i = 0; i < colours.length; i++) {
            r[i] = (byte) (colours[i] >> 16);
            g[i] = (byte) (colours[i] >> 8);
            b[i] = (byte) colours[i];
        }
        IndexColorModel model = new IndexColorModel(8, colours.length, r, g, b);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, model);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, index.applyAsInt(x, y));
            }
        }
        return image;
    }

    private static BufferedImage fill(BufferedImage image, IntBinaryOperator argb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, argb.applyAsInt(x, y));
            }
        }
        return image;
    }

    /** Writes {@code image} in {@code format} ("png", "jpeg", "bmp", "gif", "tiff") to {@code file}, creating folders. */
    static Path write(BufferedImage image, String format, Path file) {
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no " + format + " writer for " + image);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
