package io.github.purecnn.image;

import java.util.Locale;

/** How a transform reads an image between pixel centres, with Keras's names. */
public enum Interpolation {
    /** The four pixels around the point, weighted by their distances. */
    BILINEAR,
    /** The pixel nearest to the point. */
    NEAREST;

    /** The Keras spelling, {@code "bilinear"} or {@code "nearest"}. */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The interpolation of a Keras {@code interpolation} string. */
    public static Interpolation fromKerasName(String name) {
        for (Interpolation i : values()) {
            if (i.kerasName().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("interpolation must be 'bilinear' or 'nearest', found '" + name + "'");
    }
}
