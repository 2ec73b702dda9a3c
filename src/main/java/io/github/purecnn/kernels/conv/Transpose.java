package io.github.purecnn.kernels.conv;

/** Transposing a matrix by tiles, so that both the reads and the writes stay within a few cache lines at a time. */
final class Transpose {
    private static final int TILE = 32;

    private Transpose() {
    }

    /**
     * to[toOff + j * ldTo + i] = from[fromOff + i * cols + j] for i &lt; rows, j &lt; cols: the
     * (rows, cols) matrix at fromOff, transposed into rows of ldTo floats at toOff.
     */
    static void block(float[] from, int fromOff, int rows, int cols, float[] to, int toOff, int ldTo) {
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(i0 + TILE, rows);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(j0 + TILE, cols);
                for (int i = i0; i < i1; i++) {
                    int f = fromOff + i * cols;
                    for (int j = j0; j < j1; j++) {
                        to[toOff + j * ldTo + i] = from[f + j];
                    }
                }
            }
        }
    }
}
