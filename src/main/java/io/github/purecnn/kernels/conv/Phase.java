package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Window2D;

import java.util.ArrayList;
import java.util.List;

/**
 * The input cells of a convolution that share one stride phase, for its input gradient as a
 * transposed convolution: the cells (iy, ix) with {@code (iy + padTop) % strideH == py} and
 * {@code (ix + padLeft) % strideW == px}. Every cell of a phase reaches the output gradient through
 * the same window cells, in canonical order (r, s, then k), at the same offsets from its base; near
 * the edges some of those terms would fall outside the output gradient, so the phase's cells fall
 * into {@link Cells classes} by which of its window cells stay inside, each class summing only its
 * own terms (the reference skips the others; a sum started from zero is the same either way).
 *
 * <p>The phase's cells are rows {@code firstRow + yi * strideH} (yi &lt; rows) and columns
 * {@code firstCol + xi * strideW} (xi &lt; cols); cell (yi, xi) of image b has its base at
 * {@code ((b * OH + baseRow + yi) * OW + baseCol + xi) * K} in the output gradient (n, OH, OW, K),
 * possibly outside it: only base + a term's offset is sure to lie inside. Its weights: the rows
 * (window cell, filter) of Cp channels at {@code packedOffset}.
 *
 * @param firstRow     the phase's first input row
 * @param rows         how many input rows the phase has (0 when none)
 * @param firstCol     the phase's first input column
 * @param cols         how many input columns the phase has
 * @param baseRow      the output row of the phase's first cell's base
 * @param baseCol      its column
 * @param cells        the phase's window cells r * S + s, in canonical order
 * @param packedOffset where the phase's weights start in the packed kernel
 * @param classes      the phase's cells by the terms they take
 */
record Phase(int firstRow, int rows, int firstCol, int cols, int baseRow, int baseCol, int[] cells, int packedOffset,
             List<Cells> classes) {

    /**
     * The cells (yi, xi) with yi in [rowFrom, rowTo) and xi in [colFrom, colTo), which take the same
     * terms: aTerms[t] the offset of term t from a cell's base in the output gradient, bTerms[t] the
     * offset of its row of weights from the phase's (both empty when no term reaches these cells).
     */
    record Cells(int rowFrom, int rowTo, int colFrom, int colTo, int[] aTerms, int[] bTerms) {
        int perImage() {
            return (rowTo - rowFrom) * (colTo - colFrom);
        }
    }

    /** The phase's weights: its window cells times K rows of Cp. */
    int packedSize(int K, int Cp) {
        return cells.length * K * Cp;
    }

    /** The phases (py, px) in that order, their weights packed one after the other from {@code packedStart}. */
    static Phase[] all(Window2D g, int K, int Cp, int packedStart) {
        int R = g.kH(), S = g.kW(), sh = g.strideH(), sw = g.strideW();
        Phase[] phases = new Phase[sh * sw];
        int packed = packedStart;
        for (int py = 0; py < sh; py++) {
            for (int px = 0; px < sw; px++) {
                int firstRow = Math.floorMod(py - g.padTop(), sh);
                int firstCol = Math.floorMod(px - g.padLeft(), sw);
                int rows = firstRow < g.inH() ? (g.inH() - firstRow + sh - 1) / sh : 0;
                int cols = firstCol < g.inW() ? (g.inW() - firstCol + sw - 1) / sw : 0;
                List<Integer> cells = new ArrayList<>();
                List<Integer> rowShifts = new ArrayList<>();
                List<Integer> colShifts = new ArrayList<>();
                for (int r = 0; r < R; r++) {
                    for (int s = 0; s < S; s++) {
                        if (Math.floorMod(py - r * g.dilationH(), sh) == 0 && Math.floorMod(px - s * g.dilationW(), sw) == 0) {
                            cells.add(r * S + s);
                            // output row of window cell (r, s) = that of the input cell's base minus this shift
                            rowShifts.add(Math.floorDiv(r * g.dilationH() - py, sh));
                            colShifts.add(Math.floorDiv(s * g.dilationW() - px, sw));
                        }
                    }
                }
                int baseRow = Math.floorDiv(firstRow + g.padTop() - py, sh);
                int baseCol = Math.floorDiv(firstCol + g.padLeft() - px, sw);
                List<int[]> rowRanges = ranges(rows, baseRow, g.outH(), rowShifts);
                List<int[]> colRanges = ranges(cols, baseCol, g.outW(), colShifts);
                List<Cells> classes = new ArrayList<>();
                for (int[] rr : rowRanges) {
                    for (int[] cr : colRanges) {
                        List<Integer> a = new ArrayList<>();
                        List<Integer> b = new ArrayList<>();
                        for (int i = 0; i < cells.size(); i++) {
                            if (inside(rowShifts.get(i), rr) && inside(colShifts.get(i), cr)) {
                                for (int k = 0; k < K; k++) {
                                    a.add(-(rowShifts.get(i) * g.outW() + colShifts.get(i)) * K + k);
                                    b.add((i * K + k) * Cp);
                                }
                            }
                        }
                        classes.add(new Cells(rr[0], rr[1], cr[0], cr[1], toArray(a), toArray(b)));
                    }
                }
                int[] cellArray = toArray(cells);
                phases[py * sw + px] = new Phase(firstRow, rows, firstCol, cols, baseRow, baseCol, cellArray, packed, classes);
                packed += cellArray.length * K * Cp;
            }
        }
        return phases;
    }

    /**
     * The runs of consecutive positions q &lt; count (rows or columns of the phase) that keep the
     * same window cells inside the output: output position {@code base + q - shift} must lie in
     * [0, out). Each run as {from, to, lowest shift kept, highest shift kept}.
     */
    private static List<int[]> ranges(int count, int base, int out, List<Integer> shifts) {
        List<int[]> runs = new ArrayList<>();
        for (int q = 0; q < count; q++) {
            int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
            for (int shift : shifts) {
                int o = base + q - shift;
                if (o >= 0 && o < out) {
                    lo = Math.min(lo, shift);
                    hi = Math.max(hi, shift);
                }
            }
            int[] last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last[2] == lo && last[3] == hi) {
                last[1] = q + 1;
            } else {
                runs.add(new int[] {q, q + 1, lo, hi});
            }
        }
        return runs;
    }

    /** Whether a shift lies in the run's kept range (the kept shifts of a run are those between its lowest and highest). */
    private static boolean inside(int shift, int[] run) {
        return shift >= run[2] && shift <= run[3];
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }
}
