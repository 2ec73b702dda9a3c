package io.github.purecnn.image;

import java.util.Locale;

/**
 * How an image is extended beyond its border when a transform samples outside it, with Keras's
 * names (the {@code fill_mode} of {@code RandomTranslation}, {@code RandomRotation} and
 * {@code RandomZoom}). Each mode maps a sampling coordinate along one axis of length {@code len}
 * to where it reads, as TensorFlow's {@code ImageProjectiveTransformV3} kernel does (what Keras
 * runs on TensorFlow), operation for operation in float.
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

    /**
     * Where coordinate {@code c} of an axis of {@code len} pixels reads: within {@code [0, len - 1]}
     * for every mode but CONSTANT, which leaves it as it is (its taps outside read the fill value).
     * Integer products are exact ({@code long}); a {@code long} added to a float is converted to
     * float first, as in C++.
     */
    float map(float c, int len) {
        return switch (this) {
            case REFLECT -> clamp(reflect(c, len), len);
            case WRAP -> clamp(wrap(c, len), len);
            case CONSTANT -> c;
            case NEAREST -> clamp(c, len);
        };
    }

    private static float reflect(float c, int len) {
        float in = c;
        if (in < 0) {
            if (len <= 1) {
                return 0;
            }
            long twice = 2L * len;
            if (in < twice) {
                in = twice * (long) (-in / twice) + in;
            }
            in = in < -len ? in + twice : -in - 1;
        } else if (in > len - 1) {
            if (len <= 1) {
                return 0;
            }
            long twice = 2L * len;
            in -= twice * (long) (in / twice);
            if (in >= len) {
                in = twice - in - 1;
            }
        }
        return in;
    }

    private static float wrap(float c, int len) {
        float in = c;
        if (in < 0) {
            if (len <= 1) {
                return 0;
            }
            long span = len - 1;
            in += len * ((long) (-in / span) + 1);
        } else if (in > len - 1) {
            if (len <= 1) {
                return 0;
            }
            long span = len - 1;
            in -= len * (long) (in / span);
        }
        return in;
    }

    private static float clamp(float c, int len) {
        return Math.min(Math.max(c, 0f), len - 1);
    }
}
