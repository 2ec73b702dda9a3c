package io.github.purecnn.visual;

/**
 * Argument checks shared by the pictures, so that every picture words the same mistake the same
 * way: what was expected, what was found.
 */
final class Checks {
    private Checks() {
    }

    /** An image of {@code height x width} values, row-major; the product is checked as a long. */
    static void image(float[] values, int height, int width, String name) {
        if (values == null) {
            throw new IllegalArgumentException(name + ": expected " + height + " x " + width + " values, found null");
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException(name + ": expected height and width of at least 1, found "
                    + height + " x " + width);
        }
        long expected = (long) height * width;
        if (values.length != expected) {
            throw new IllegalArgumentException(name + ": expected " + height + " x " + width + " = " + expected
                    + " values, found " + values.length);
        }
    }

    /** Pixel intensities: finite and within [0, 1], as MNIST bytes divided by 255 are. */
    static void unitRange(float[] values, int width, String name) {
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException(name + ": expected values in [0, 1] (bytes divided by 255), found "
                        + v + " at row " + i / width + ", column " + i % width);
            }
        }
    }

    static void finite(float[] values, String name) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(name + ": expected at least one value, found "
                    + (values == null ? "null" : "none"));
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(name + ": expected finite values, found " + values[i]
                        + " at index " + i);
            }
        }
    }

    static void finite(double[] values, String name) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(name + ": expected at least one value, found "
                    + (values == null ? "null" : "none"));
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + ": expected finite values, found " + values[i]
                        + " at index " + i);
            }
        }
    }

    static void sameLength(int expected, int found, String name, String reference) {
        if (expected != found) {
            throw new IllegalArgumentException(name + ": expected " + expected + " entries, one per " + reference
                    + ", found " + found);
        }
    }
}
