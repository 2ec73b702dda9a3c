package io.github.purecnn.data;

import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads one PNG, JPEG, BMP or GIF file (the first frame of an animated GIF, as Keras) into 8-bit
 * channels with {@code javax.imageio}, converted to 1 (grey), 3 (RGB) or 4 (RGBA) channels.
 *
 * <p>The format is decided by the content, never by the name. The dimensions are read from the
 * header and checked against a limit before any pixel is decoded, so a small file that claims to
 * be a huge image costs nothing. A reader's warning (a JPEG cut short, for instance, which
 * {@code javax.imageio} would otherwise fill up with grey) is an error, like a reader's exception.
 *
 * <p>Conversions: grey images (read from the raster, not through {@code getRGB}, which would apply
 * a gamma curve to them) become RGB by repeating the grey value; colour becomes grey with Pillow's
 * {@code convert("L")} weights, {@code (19595 R + 38470 G + 7471 B + 32768) >> 16} (ITU-R 601-2
 * luma, the conversion of Keras's {@code load_img}); an image without alpha gets alpha 255; RGB
 * drops alpha without blending. 16-bit samples keep their high byte; 1-, 2- and 4-bit grey is
 * stretched to 0..255.
 */
final class ImageDecoder {
    /** The formats Keras's {@code image_dataset_from_directory} reads, by {@code javax.imageio}'s names. */
    private static final Set<String> FORMATS = Set.of("png", "jpeg", "bmp", "gif");

    /** One decoded image: (height, width, channels) bytes, HWC. */
    record Image(int height, int width, byte[] pixels) {
    }

    private ImageDecoder() {
    }

    /**
     * Decodes {@code file} into {@code channels} channels (1, 3 or 4).
     *
     * @throws ImageFileException naming the file if it is not a PNG, JPEG, BMP or GIF image, is
     *     damaged or truncated, or has more than {@code maxPixels} pixels
     */
    static Image decode(Path file, int channels, long maxPixels) throws IOException {
        if (Files.size(file) == 0) {
            throw new ImageFileException(file, "empty file: expected a PNG, JPEG, BMP or GIF image");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException(file + ": cannot open the file for reading");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageFileException(file, "not an image: no PNG, JPEG, BMP or GIF reader recognises"
                        + " its content");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!FORMATS.contains(format)) {
                    throw new ImageFileException(file, "a " + format.toUpperCase(Locale.ROOT)
                            + " image: expected PNG, JPEG, BMP or GIF");
                }
                reader.setInput(in, true, true);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                BufferedImage image = read(file, reader, format, maxPixels);
                if (!warnings.isEmpty()) {
                    throw new ImageFileException(file, "damaged " + format.toUpperCase(Locale.ROOT) + " data: "
                            + String.join("; ", warnings));
                }
                return new Image(image.getHeight(), image.getWidth(), channels(image, channels));
            } finally {
                reader.dispose();
            }
        }
    }

    private static BufferedImage read(Path file, ImageReader reader, String format, long maxPixels) throws IOException {
        String kind = format.toUpperCase(Locale.ROOT);
        try {
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width < 1 || height < 1) {
                throw new ImageFileException(file, kind + " header gives a size of " + width + " x " + height);
            }
            if ((long) width * height > maxPixels) {
                throw new ImageFileException(file, kind + " image of " + width + " x " + height + " = "
                        + (long) width * height + " pixels, more than the limit of " + maxPixels
                        + " (ImageFolders.Options.maxImagePixels)");
            }
            BufferedImage image = reader.read(0);
            if (image.getWidth() != width || image.getHeight() != height) {
                throw new ImageFileException(file, kind + " header gives " + width + " x " + height
                        + " but the data decodes to " + image.getWidth() + " x " + image.getHeight());
            }
            return image;
        } catch (ImageFileException e) {
            throw e;
        } catch (IIOException e) {
            throw new ImageFileException(file, "damaged or truncated " + kind + " data: " + describe(e), e);
        } catch (IOException | RuntimeException e) {
            // The plug-ins signal some damage with runtime exceptions (array indices, negative sizes).
            throw new ImageFileException(file, "damaged or truncated " + kind + " data: " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (sb.length() > 0) {
                sb.append(": ");
            }
            sb.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
        }
        return sb.toString();
    }

    /** The image's pixels in {@code channels} 8-bit channels, HWC. */
    private static byte[] channels(BufferedImage image, int channels) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(width, height), channels)];
        ColorModel model = image.getColorModel();
        int o = 0;
        if (!(model instanceof IndexColorModel) && model.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster raster = image.getRaster();
            int greyBits = model.getComponentSize(0);
            boolean alpha = model.hasAlpha();
            int alphaBits = alpha ? model.getComponentSize(1) : 8;
            int[] grey = new int[width];
            int[] alphas = new int[width];
            for (int y = 0; y < height; y++) {
                raster.getSamples(0, y, width, 1, 0, grey);
                if (alpha) {
                    raster.getSamples(0, y, width, 1, 1, alphas);
                }
                for (int x = 0; x < width; x++) {
                    int g = to8Bits(grey[x], greyBits);
                    int a = alpha ? to8Bits(alphas[x], alphaBits) : 255;
                    o = put(out, o, channels, g, g, g, g, a);
                }
            }
        } else {
            int[] argb = new int[width];
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, argb, 0, width);
                for (int x = 0; x < width; x++) {
                    int p = argb[x];
                    int r = (p >>> 16) & 0xFF;
                    int g = (p >>> 8) & 0xFF;
                    int b = p & 0xFF;
                    int luma = (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
                    o = put(out, o, channels, luma, r, g, b, p >>> 24);
                }
            }
        }
        return out;
    }

    private static int put(byte[] out, int o, int channels, int grey, int r, int g, int b, int a) {
        if (channels == 1) {
            out[o++] = (byte) grey;
        } else {
            out[o++] = (byte) r;
            out[o++] = (byte) g;
            out[o++] = (byte) b;
            if (channels == 4) {
                out[o++] = (byte) a;
            }
        }
        return o;
    }

    private static int to8Bits(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        if (bits > 8) {
            return sample >>> (bits - 8);
        }
        return sample * 255 / ((1 << bits) - 1);
    }
}
