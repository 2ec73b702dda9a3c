package io.github.purecnn.image;

import java.util.Locale;

/**
 * How an image is extended beyond its border when a transform samples outside it, with Keras's
 * names (the {@code fill_mode} of {@code RandomTranslation}, {@code RandomRotation} and
 * {@code RandomZoom}). Each mode maps a sampling coordinate along one axis of length {@code len}
 * to where it reads, as TensorFlow's {@code ImageProjectiveTransformV3} kernel does (what Keras
 * runs on TensorFlow), operation for operation in float ({@code ProjectiveTransform}, internal,
 * does the mapping).
 */
public enum FillMode {
    /** {@code (d c b a | a b c d | d c b a)}: reflected about the edge of the last pixel. */
    REFLECT,
    /**
     * {@code (a b c d | a b c d | a b c d)}: wrapped around to the opposite edge, by TensorFlow's
     * formula, which is that periodic extension for coordinates in {@code (-(len - 1), 2 (len - 1))}
     * and folds the half-pixel at each edge onto the edge pixel.
     */
    WRAP,
    /** {@code (k k k k | a b c d | k k k k)}: everything outside is the fill value k. */
    CONSTANT,
    /** {@code (a a a a | a b c d | d d d d)}: the nearest edge pixel. */
    NEAREST;

    /** The Keras spelling: {@code "reflect"}, {@code "wrap"}, {@code "constant"} or {@code "nearest"}. */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode of a Keras {@code fill_mode} string. */
    public static FillMode fromKerasName(String name) {
        for (FillMode m : values()) {
            if (m.kerasName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("fill mode must be 'reflect', 'wrap', 'constant' or 'nearest', found '"
                + name + "'");
    }
}
