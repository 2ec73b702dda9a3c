package io.github.purecnn.layers;

import java.util.List;

/**
 * Rows and columns added around (ZeroPadding2D) or removed from (Cropping2D) each image, in
 * Keras's config form {@code ((top, bottom), (left, right))}.
 */
record Margins(int top, int bottom, int left, int right) {

    Margins {
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("margins must not be negative, found ((" + top + ", " + bottom + "), ("
                    + left + ", " + right + "))");
        }
    }

    /** The config value: {@code [[top, bottom], [left, right]]}. */
    List<List<Integer>> toConfig() {
        return List.of(List.of(top, bottom), List.of(left, right));
    }

    @Override
    public String toString() {
        return "((" + top + ", " + bottom + "), (" + left + ", " + right + "))";
    }
}
