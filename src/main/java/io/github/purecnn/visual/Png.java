package io.github.purecnn.visual;

import io.github.purecnn.io.internal.AtomicFiles;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes PNG files safely: folders are created, the picture is written through
 * {@link AtomicFiles} (so a failed write never leaves a half-written picture under the final name),
 * and every failure is an {@link IOException} that names the file.
 */
public final class Png {
    private static final Logger log = LoggerFactory.getLogger(Png.class);

    private Png() {
    }

    /**
     * Writes {@code image} as a PNG to {@code file}, creating missing parent folders and replacing
     * an existing file atomically (see {@link AtomicFiles}), so that readers see either the old
     * picture or the new one.
     *
     * @param file the picture to write
     * @param image what it shows
     * @throws IOException naming {@code file} when a folder cannot be created, when no PNG writer
     *     can encode this kind of image ({@link ImageIO#write} returned false), or when writing or
     *     moving fails
     */
    public static void write(Path file, BufferedImage image) throws IOException {
        if (file == null || image == null) {
            throw new IllegalArgumentException("expected a file and an image, found file " + file + " and image " + image);
        }
        Path folder = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IOException("cannot write the PNG " + file + ": cannot create its folder " + folder + " (" + e + ")",
                    e);
        }
        try {
            AtomicFiles.write(file, out -> {
                if (!ImageIO.write(image, "png", out)) {
                    throw new NoPngWriterException("cannot write the PNG " + file + ": no PNG writer can encode this"
                            + " image (type " + image.getType() + ", " + image.getColorModel().getClass().getSimpleName()
                            + ")");
                }
            });
        } catch (NoPngWriterException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot write the PNG " + file + ": " + Objects.requireNonNullElse(e.getMessage(),
                    e.toString()), e);
        }
        log.debug("wrote {} ({} x {} pixels)", file, image.getWidth(), image.getHeight());
    }

    /** {@link ImageIO#write} found no writer for the image; its message is already complete. */
    private static final class NoPngWriterException extends IOException {
        private static final long serialVersionUID = 1L;

        NoPngWriterException(String message) {
            super(message);
        }
    }
}
