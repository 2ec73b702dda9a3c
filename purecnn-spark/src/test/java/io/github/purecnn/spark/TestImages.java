package io.github.purecnn.spark;

import io.github.purecnn.tensor.Shape;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.SplittableRandom;

/** Images for the tests: seeded random pixels, and the same pixels as image files. */
final class TestImages {
    private TestImages() {
    }

    /** {@code count} images of {@code shape} as unsigned bytes, NHWC, drawn from {@code seed}. */
    static byte[] randomPixels(long seed, int count, Shape shape) {
        byte[] pixels = new byte[count * shape.size()];
        new SplittableRandom(seed).nextBytes(pixels);
        return pixels;
    }

    /** Image {@code i} of {@code pixels}. */
    static byte[] image(byte[] pixels, int i, Shape shape) {
        byte[] one = new byte[shape.size()];
        System.arraycopy(pixels, i * one.length, one, 0, one.length);
        return one;
    }

    /** The pixels scaled as the core scales byte pixels. */
    static float[] scaled(byte[] pixels) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            out[i] = (pixels[i] & 0xFF) / 255f;
        }
        return out;
    }

    /** One image's pixels (grey, RGB or RGBA by the shape's channels) as a BufferedImage. */
    static BufferedImage buffered(byte[] image, Shape shape) {
        int type = switch (shape.dim(2)) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 3 -> BufferedImage.TYPE_3BYTE_BGR;
            case 4 -> BufferedImage.TYPE_4BYTE_ABGR;
            default -> throw new IllegalArgumentException("no image type for " + shape);
        };
        BufferedImage picture = new BufferedImage(shape.dim(1), shape.dim(0), type);
        int[] samples = new int[image.length];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = image[i] & 0xFF;
        }
        picture.getRaster().setPixels(0, 0, shape.dim(1), shape.dim(0), samples);
        return picture;
    }

    /** A palette image whose pixels take their colours from {@code palette} (r, g, b per entry) by index. */
    static BufferedImage indexed(byte[] indexes, byte[] palette, int height, int width) {
        int entries = palette.length / 3;
        byte[] r = new byte[entries];
        byte[] g = new byte[entries];
        byte[] b = new byte[entries];
        for (int e = 0; e < entries; e++) {
            r[e] = palette[3 * e];
            g[e] = palette[3 * e + 1];
            b[e] = palette[3 * e + 2];
        }
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, entries, r, g, b));
        int[] samples = new int[indexes.length];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = indexes[i] & 0xFF;
        }
        picture.getRaster().setPixels(0, 0, width, height, samples);
        return picture;
    }

    /** The image encoded as a file of {@code format} ("png", "bmp", ...). */
    static byte[] encode(BufferedImage picture, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(picture, format, out)) {
                throw new IllegalStateException("javax.imageio writes no " + format + " for this image");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** One image's pixels as a PNG file's bytes. */
    static byte[] png(byte[] image, Shape shape) {
        return encode(buffered(image, shape), "png");
    }

    /** Probabilities from a row's array column, as Spark hands them back. */
    static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
