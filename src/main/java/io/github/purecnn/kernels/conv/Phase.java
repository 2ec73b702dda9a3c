package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Window2D;

import java.util.Arrays;

/**
 * The input cells of a convolution that share one stride phase, for its input gradient as a
 * transposed convolution: the cells (iy, ix) with {@code (iy + padTop) % strideH == py} and
 * {@code (ix + padLeft) % strideW == px}. Every cell of a phase takes the same window cells, in
 * canonical order (r, s, then k), at the same offsets from its base in the output gradient
 * bordered by zero margins (QH x QW cells of K floats); their weights are packed at
 * {@code packedOffset}, one row of Cp channels per (window cell, filter).
 *
 * <p>The phase's cells are rows {@code firstRow + yi * strideH} (yi &lt; rows) and columns
 * {@code firstCol + xi * strideW} (xi &lt; cols); cell (yi, xi) of image b has its base at
 * {@code ((b * QH + baseRow + yi) * QW + baseCol + xi) * K} in the bordered gradient.
 *
 * @param firstRow     the phase's first input row
 * @param rows         how many input rows the phase has (0 when none)
 * @param firstCol     the phase's first input column
 * @param cols         how many input columns the phase has
 * @param baseRow      the bordered gradient's row of the phase's first cell's base
 * @param baseCol      its column
 * @param offsets      offsets[i * K + k]: where term (window cell i of the phase, filter k) lies from a cell's base
 * @param cells        the phase's window cells r * S + s, in canonical order
 * @param packedOffset where the phase's weights start in the packed kernel
 */
record Phase(int firstRow, int rows, int firstCol, int cols, int baseRow, int baseCol, int[] offsets, int[] cells,
             int packedOffset) {

    /** The terms of each cell's sum: window cells times filters. */
    int terms() {
        return offsets.length;
    }

    /** The phase's cells per image. */
    int cellsPerImage() {
        return rows * cols;
    }

    /**
     * The margins the output gradient needs so that every term of every input cell lies inside it:
     * {@code {marginTop, QH, marginLeft, QW}}.
     */
    static int[] margins(Window2D g) {
        int minOy = 0, maxOy = g.outH() - 1, minOx = 0, maxOx = g.outW() - 1;
        for (int iy = 0; iy < g.inH(); iy++) {
            for (int r = 0; r < g.kH(); r++) {
                int offset = iy + g.padTop() - r * g.dilationH();
                if (Math.floorMod(offset, g.strideH()) == 0) {
                    minOy = Math.min(minOy, Math.floorDiv(offset, g.strideH()));
                    maxOy = Math.max(maxOy, Math.floorDiv(offset, g.strideH()));
                }
            }
        }
        for (int ix = 0; ix < g.inW(); ix++) {
            for (int s = 0; s < g.kW(); s++) {
                int offset = ix + g.padLeft() - s * g.dilationW();
                if (Math.floorMod(offset, g.strideW()) == 0) {
                    minOx = Math.min(minOx, Math.floorDiv(offset, g.strideW()));
                    maxOx = Math.max(maxOx, Math.floorDiv(offset, g.strideW()));
                }
            }
        }
        return new int[] {-minOy, maxOy - minOy + 1, -minOx, maxOx - minOx + 1};
    }

    /** The phases (py, px) in that order, their weights packed one after the other from {@code packedStart}. */
    static Phase[] all(Window2D g, int K, int Cp, int[] margins, int packedStart) {
        int R = g.kH(), S = g.kW(), sh = g.strideH(), sw = g.strideW();
        int QW = margins[3];
        Phase[] phases = new Phase[sh * sw];
        int packed = packedStart;
        for (int py = 0; py < sh; py++) {
            for (int px = 0; px < sw; px++) {
                int firstRow = Math.floorMod(py - g.padTop(), sh);
                int firstCol = Math.floorMod(px - g.padLeft(), sw);
                int rows = firstRow < g.inH() ? (g.inH() - firstRow + sh - 1) / sh : 0;
                int cols = firstCol < g.inW() ? (g.inW() - firstCol + sw - 1) / sw : 0;
                int count = 0;
                int[] cells = new int[R * S];
                int[] rowShift = new int[R * S];
                int[] colShift = new int[R * S];
                for (int r = 0; r < R; r++) {
                    for (int s = 0; s < S; s++) {
                        if (Math.floorMod(py - r * g.dilationH(), sh) == 0 && Math.floorMod(px - s * g.dilationW(), sw) == 0) {
                            cells[count] = r * S + s;
                            // output row of cell r = that of the cell's base minus this shift
                            rowShift[count] = Math.floorDiv(r * g.dilationH() - py, sh);
                            colShift[count] = Math.floorDiv(s * g.dilationW() - px, sw);
                            count++;
                        }
                    }
                }
                int[] offsets = new int[count * K];
                for (int i = 0; i < count; i++) {
                    for (int k = 0; k < K; k++) {
                        offsets[i * K + k] = -(rowShift[i] * QW + colShift[i]) * K + k;
                    }
                }
                int baseRow = Math.floorDiv(firstRow + g.padTop() - py, sh) + margins[0];
                int baseCol = Math.floorDiv(firstCol + g.padLeft() - px, sw) + margins[2];
                phases[py * sw + px] = new Phase(firstRow, rows, firstCol, cols, baseRow, baseCol, offsets,
                        Arrays.copyOf(cells, count), packed);
                packed += count * K * Cp;
            }
        }
        return phases;
    }
}
