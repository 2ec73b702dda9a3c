package io.github.purecnn.spark;

import io.github.purecnn.data.PixelScale;
import io.github.purecnn.tensor.Shape;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Decodes image files (PNG, JPEG, BMP, GIF, ... whatever {@code javax.imageio} reads) into a
 * model's input: NHWC floats, each 8-bit sample {@code b} scaled to {@code b / 255f} by the
 * core's {@link PixelScale#UNIT}, so a decoded image scores bit for bit as its raw pixels do.
 *
 * <p>Unlike the core's image folders (Keras's {@code load_img} conversions: colour to grey by
 * luma, grey repeated to RGB, alpha added or dropped, resizing), scoring converts nothing: the
 * image must have the model's height and width, and as many channels as the model takes, 8 bits
 * each. A grey image has one channel (its
 * samples are read as stored, without the colour-space conversion of
 * {@code BufferedImage.getRGB}), an RGB image three, RGBA four. A palette image has the channels
 * of its palette: one if every entry is an opaque grey, four if the palette has transparency,
 * three otherwise. The size is read from the file's header before any pixel is decoded, so a file
 * that declares an enormous image is refused without allocating it.
 */
final class ImageDecoder {
    private ImageDecoder() {
    }

    /**
     * Decodes one image file read from {@code in} into {@code into[offset ..]}.
     *
     * @param shape the model's input shape, (height, width, channels)
     * @throws IOException when the bytes are not an image that {@code javax.imageio} reads, or
     *     are damaged
     * @throws IllegalArgumentException when the image's size or channels do not fit the model
     */
    static void decode(InputStream in, Shape shape, float[] into, int offset) throws IOException {
        try (ImageInputStream stream = new MemoryCacheImageInputStream(in)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            if (!readers.hasNext()) {
                throw new IIOException("not an image format that javax.imageio reads (it reads " + formats() + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(stream, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (height != shape.dim(0) || width != shape.dim(1)) {
                    throw new IllegalArgumentException("the image is " + width + " x " + height
                            + " pixels (width x height), the model takes " + shape.dim(1) + " x " + shape.dim(0));
                }
                copy(read(reader), shape.dim(2), into, offset);
            } finally {
                reader.dispose();
            }
        }
    }

    private static BufferedImage read(ImageReader reader) throws IOException {
        try {
            return reader.read(0);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            // Damaged files can trip the JDK's decoders into runtime exceptions of all kinds.
            throw new IIOException("damaged " + reader.getFormatName() + " image: " + e, e);
        }
    }

    private static void copy(BufferedImage image, int channels, float[] into, int offset) {
        ColorModel colors = image.getColorModel();
        Raster raster = image.getRaster();
        int pixels = image.getWidth() * image.getHeight();
        if (colors instanceof IndexColorModel palette) {
            int[][] entries = paletteChannels(palette);
            requireChannels(entries.length, "a palette of " + describe(entries.length), channels);
            int[] indexes = raster.getSamples(0, 0, image.getWidth(), image.getHeight(), 0, (int[]) null);
            for (int p = 0; p < pixels; p++) {
                for (int c = 0; c < channels; c++) {
                    into[offset + p * channels + c] = PixelScale.UNIT.toFloat((byte) entries[c][indexes[p]]);
                }
            }
            return;
        }
        int bands = raster.getNumBands();
        requireChannels(bands, describe(bands), channels);
        for (int b = 0; b < bands; b++) {
            if (colors.getComponentSize(b) != 8) {
                throw new IllegalArgumentException("the image has " + colors.getComponentSize(b)
                        + "-bit samples, images are read with 8 bits per sample");
            }
        }
        // Pixel-interleaved samples in the colour model's order (R, G, B, A): NHWC already.
        int[] samples = raster.getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
        for (int i = 0; i < samples.length; i++) {
            into[offset + i] = PixelScale.UNIT.toFloat((byte) samples[i]);
        }
    }

    /** The palette as channels of entries: grey alone, red-green-blue, or with alpha. */
    private static int[][] paletteChannels(IndexColorModel palette) {
        int size = palette.getMapSize();
        int[][] rgba = new int[4][size];
        boolean grey = !palette.hasAlpha();
        for (int i = 0; i < size; i++) {
            rgba[0][i] = palette.getRed(i);
            rgba[1][i] = palette.getGreen(i);
            rgba[2][i] = palette.getBlue(i);
            rgba[3][i] = palette.getAlpha(i);
            grey &= rgba[0][i] == rgba[1][i] && rgba[1][i] == rgba[2][i];
        }
        if (grey) {
            return new int[][] {rgba[0]};
        }
        return palette.hasAlpha() ? rgba : Arrays.copyOf(rgba, 3);
    }

    private static void requireChannels(int found, String what, int channels) {
        if (found != channels) {
            throw new IllegalArgumentException("the image has " + found + (found == 1 ? " channel (" : " channels (")
                    + what + "), the model takes " + channels);
        }
    }

    private static String describe(int channels) {
        return switch (channels) {
            case 1 -> "grey";
            case 2 -> "grey and alpha";
            case 3 -> "RGB";
            case 4 -> "RGBA";
            default -> channels + " samples per pixel";
        };
    }

    private static String formats() {
        TreeSet<String> names = new TreeSet<>();
        for (String name : ImageIO.getReaderFormatNames()) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return String.join(", ", names);
    }
}
