package io.github.purecnn.keras;

import java.lang.reflect.Array;

/** Flat float arrays as the nested Java arrays jHDF writes as datasets of that shape. */
final class KerasArrays {
    private KerasArrays() {
    }

    /**
     * {@code values} (row-major) as a {@code float[d0][d1]...} array; a 1-D shape gives a copy of
     * {@code values}, an empty one (a scalar) the one value as a {@link Float}.
     */
    static Object shaped(float[] values, int[] dims) {
        if (dims.length == 0) {
            return values[0];
        }
        if (dims.length == 1) {
            return values.clone();
        }
        Object array = Array.newInstance(float.class, dims);
        fill(array, values, dims, 0, 0);
        return array;
    }

    /** Fills {@code array} (of rank {@code dims.length - depth}) from {@code values} at {@code offset}; returns the next offset. */
    private static int fill(Object array, float[] values, int[] dims, int depth, int offset) {
        if (depth == dims.length - 1) {
            float[] row = (float[]) array;
            System.arraycopy(values, offset, row, 0, row.length);
            return offset + row.length;
        }
        Object[] rows = (Object[]) array;
        for (Object row : rows) {
            offset = fill(row, values, dims, depth + 1, offset);
        }
        return offset;
    }
}
