package io.github.purecnn.visual;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes PNG files safely: folders are created, a failed write never leaves a half-written
 * picture under the final name, and every failure is an {@link IOException} that names the file.
 */
public final class Png {
    private static final Logger log = LoggerFactory.getLogger(Png.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Png() {
    }

    /**
     * Writes {@code image} as a PNG to {@code file}, creating missing parent folders and replacing
     * an existing file. The bytes go to a temporary file in the same folder first, which is then
     * moved over {@code file} (atomically where the file system can), so that readers see either
     * the old picture or the new one.
     *
     * @throws IOException naming {@code file} when a folder cannot be created, when no PNG writer
     *     can encode this kind of image ({@link ImageIO#write} returned false), or when writing or
     *     moving fails
     */
    public static void write(Path file, BufferedImage image) throws IOException {
        if (file == null || image == null) {
            throw new IllegalArgumentException("expected a file and an image, found file " + file + " and image " + image);
        }
        Path target = file.toAbsolutePath();
        if (Files.isDirectory(target)) {
            throw new IOException("cannot write the PNG " + file + ": it is a folder");
        }
        Path folder = target.getParent();
        Path temp;
        try {
            Files.createDirectories(folder);
            // Same folder as the target, so that the move below is a rename on one file system. Not
            // Files.createTempFile: its files are private to the owner (0600), and the picture
            // should get the permissions of any other new file (0666 less the umask).
            temp = folder.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
            Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        } catch (IOException e) {
            throw new IOException("cannot write the PNG " + file + ": cannot create its folder " + folder
                    + " or a file in it (" + e + ")", e);
        }
        boolean written;
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                written = ImageIO.write(image, "png", out);
            }
            if (written) {
                move(temp, target);
            }
        } catch (IOException e) {
            deleteQuietly(temp, e);
            throw new IOException("cannot write the PNG " + file + ": " + e, e);
        } catch (RuntimeException e) {
            deleteQuietly(temp, e);
            throw e;
        }
        if (!written) {
            Files.deleteIfExists(temp);
            throw new IOException("cannot write the PNG " + file + ": no PNG writer can encode this image (type "
                    + image.getType() + ", " + image.getColorModel().getClass().getSimpleName() + ")");
        }
        log.debug("wrote {} ({} x {} pixels)", file, image.getWidth(), image.getHeight());
    }

    /** Removes the temporary file after a failure; a failed removal is reported with the first failure. */
    private static void deleteQuietly(Path temp, Exception failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
