package io.github.purecnn.spark;

import io.github.purecnn.model.ModelFormatException;
import io.github.purecnn.model.Sequential;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A model file as bytes: read once on the driver, shipped to the executors by broadcast, and
 * loaded there. The core reads model files from a path, so bytes are loaded through a temporary
 * file; error messages name where the bytes came from instead of that file.
 */
final class ModelBytes {
    /** The most bytes one Java array (and so one broadcast value) holds. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private ModelBytes() {
    }

    /**
     * The bytes of a model file.
     *
     * @throws IOException naming the file when it cannot be read or is larger than one array holds
     */
    static byte[] read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new ModelFormatException(file + ": " + size + " bytes, more than a model shipped to Spark executors"
                    + " may have (" + MAX_BYTES + ")");
        }
        return Files.readAllBytes(file);
    }

    /** The bytes of the model file that {@link Sequential#save} writes for {@code model}. */
    static byte[] of(Sequential model) throws IOException {
        Path file = Files.createTempFile("purecnn-model-", ".purecnn");
        try {
            model.save(file);
            return read(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The SHA-256 of the bytes, in hex: what identifies a model on the executors. */
    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Loads the model that the bytes of a model file hold, checked as {@link Sequential#load}
     * checks a file.
     *
     * @param source what the bytes came from (a file name, say), named in error messages
     * @throws ModelFormatException naming {@code source} and the entry when the bytes are not a
     *     model file this version reads
     */
    static Sequential load(byte[] bytes, String source) throws IOException {
        Path file = Files.createTempFile("purecnn-model-", ".purecnn");
        try {
            Files.write(file, bytes);
            return Sequential.load(file);
        } catch (ModelFormatException e) {
            String message = e.getMessage().contains(file.toString())
                    ? e.getMessage().replace(file.toString(), source) : source + ": " + e.getMessage();
            ModelFormatException named = new ModelFormatException(message, e.getCause());
            named.setStackTrace(e.getStackTrace());
            throw named;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
