package io.github.purecnn.kernels.pool;

import io.github.purecnn.kernels.Window2D;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Average and max pooling on the Vector API, vectors across channels, for windows that do not
 * overlap (strides at least the window) and at least a vector of channels: each output cell takes
 * its window's cells whole vectors at a time, the last vector of a cell moved back to end at its
 * last channel (it rewrites values already written, equal). Each lane does what
 * {@link ReferencePool} does for its channel, in its order, so the values are the same bit for bit.
 *
 * <ul>
 *   <li>Average, forward: {@code ((0 + x0) + x1) + ...} over the window's cells inside the input,
 *       row by row, times {@code 1f / cells}. Backward: each cell of a window gets
 *       {@code 0 + dOut * (1f / cells)} (no cell lies in two windows, so nothing else adds to it);
 *       cells under no window get 0.</li>
 *   <li>Max, forward: a compare and a blend per cell keep the first of equal values, as the
 *       reference's {@code if (x > best)}; the argmax (flat index into the input) follows the
 *       same blends, as the bits of a float vector. Backward: each cell of a window gets
 *       {@code 0 + dOut} where it is the window's argmax, else 0.</li>
 * </ul>
 *
 * <p>Legend: n images; H, W, C input; OH, OW output; all arrays NHWC.
 */
public final class VectorPool implements PoolPlan {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** Lane i holds i: a vector of channels' offsets. */
    private static final IntVector IOTA = IntVector.zero(INTS).addIndex(1);

    private final Window2D g;
    private final boolean max;
    /** Whether the windows leave input cells uncovered (then the backward pass zeroes the image first). */
    private final boolean gaps;

    private VectorPool(Window2D g, boolean max) {
        this.g = g;
        this.max = max;
        int coveredRows = Math.min(g.inRow(g.outH() - 1, 0) + g.kH(), g.inH()) - Math.max(g.inRow(0, 0), 0);
        int coveredCols = Math.min(g.inCol(g.outW() - 1, 0) + g.kW(), g.inW()) - Math.max(g.inCol(0, 0), 0);
        this.gaps = g.strideH() != g.kH() || g.strideW() != g.kW() || coveredRows != g.inH() || coveredCols != g.inW();
    }

    /** Whether this plan serves the geometry: windows that do not overlap, at least a vector of channels. */
    public static boolean fits(Window2D g) {
        return g.strideH() >= g.kH() && g.strideW() >= g.kW() && g.channels() >= VL && g.dilationH() == 1 && g.dilationW() == 1;
    }

    public static VectorPool average(Window2D g) {
        return new VectorPool(g, false);
    }

    public static VectorPool max(Window2D g) {
        return new VectorPool(g, true);
    }

    @Override
    public String name() {
        return max ? "vector max" : "vector average";
    }

    @Override
    public Window2D geometry() {
        return g;
    }

    @Override
    public boolean recordsArgmax() {
        return max;
    }

    /** out and argmax (n, OH, OW, C) write; in (n, H, W, C) reads. */
    @Override
    public void forward(float[] out, int[] argmax, float[] in, int n) {
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(g.inRow(oy, 0), 0);
                int y1 = Math.min(g.inRow(oy, 0) + g.kH(), H);
                for (int ox = 0; ox < OW; ox++) {
                    int x0 = Math.max(g.inCol(ox, 0), 0);
                    int x1 = Math.min(g.inCol(ox, 0) + g.kW(), W);
                    int o = ((b * OH + oy) * OW + ox) * C;
                    int first = ((b * H + y0) * W + x0) * C;
                    int rowStep = W * C;
                    for (int c0 = 0; c0 < C; c0 += VL) {
                        int c = Math.min(c0, C - VL);       // the last vector moved back: it rewrites equal values
                        if (max) {
                            maxCell(out, argmax, o + c, in, first + c, y1 - y0, x1 - x0, rowStep, C);
                        } else {
                            averageCell(out, o + c, in, first + c, y1 - y0, x1 - x0, rowStep, C);
                        }
                    }
                }
            }
        }
    }

    /**
     * out[o .. o + VL) writes: the mean over rows x cols cells starting at {@code first}. One flat
     * loop over the cells (with nested loops around a vector C2 on JDK 17 keeps the vector boxed).
     */
    private static void averageCell(float[] out, int o, float[] in, int first, int rows, int cols, int rowStep, int C) {
        // from zero made here: a loop value merged with a constant vector object stays boxed (JDK 17)
        FloatVector sum = FloatVector.zero(SPECIES);
        int cell = first;
        int s = 0;
        int nextRow = rowStep - (cols - 1) * C;
        for (int i = rows * cols; i > 0; i--) {
            sum = sum.add(FloatVector.fromArray(SPECIES, in, cell));
            if (++s == cols) {
                s = 0;
                cell += nextRow;
            } else {
                cell += C;
            }
        }
        sum.mul(1f / (rows * cols)).intoArray(out, o);
    }

    /** out and argmax [o .. o + VL) write: the first maximum over rows x cols cells starting at {@code first}, and where it lies. */
    private static void maxCell(float[] out, int[] argmax, int o, float[] in, int first, int rows, int cols, int rowStep, int C) {
        FloatVector best = FloatVector.fromArray(SPECIES, in, first);
        FloatVector at = IOTA.add(first).reinterpretAsFloats();
        int cell = first;
        int s = 0;
        int nextRow = rowStep - (cols - 1) * C;
        for (int i = rows * cols - 1; i > 0; i--) {
            if (++s == cols) {
                s = 0;
                cell += nextRow;
            } else {
                cell += C;
            }
            FloatVector x = FloatVector.fromArray(SPECIES, in, cell);
            VectorMask<Float> greater = x.compare(VectorOperators.GT, best);
            best = best.blend(x, greater);
            at = at.blend(IOTA.add(cell).reinterpretAsFloats(), greater);
        }
        best.intoArray(out, o);
        at.reinterpretAsInts().intoArray(argmax, o);
    }

    /** dIn (n, H, W, C) writes; dOut and argmax (n, OH, OW, C) read. */
    @Override
    public void backward(float[] dIn, float[] dOut, int[] argmax, int n) {
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW();
        if (gaps) {
            Arrays.fill(dIn, 0, n * g.inSize(), 0f);
        }
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int y0 = Math.max(g.inRow(oy, 0), 0);
                int y1 = Math.min(g.inRow(oy, 0) + g.kH(), H);
                for (int ox = 0; ox < OW; ox++) {
                    int x0 = Math.max(g.inCol(ox, 0), 0);
                    int x1 = Math.min(g.inCol(ox, 0) + g.kW(), W);
                    int o = ((b * OH + oy) * OW + ox) * C;
                    int first = ((b * H + y0) * W + x0) * C;
                    int rowStep = W * C;
                    float inv = 1f / ((y1 - y0) * (x1 - x0));
                    for (int c0 = 0; c0 < C; c0 += VL) {
                        int c = Math.min(c0, C - VL);
                        if (max) {
                            spreadToArgmax(dIn, first + c, y1 - y0, x1 - x0, rowStep, C, dOut, argmax, o + c);
                        } else {
                            spreadShare(dIn, first + c, y1 - y0, x1 - x0, rowStep, C, dOut, o + c, inv);
                        }
                    }
                }
            }
        }
    }

    /**
     * dIn's rows x cols cells from {@code first} write: {@code 0 + dOut} at the cell the argmax
     * names, 0 elsewhere. (Vectors are never merged by a ternary here: C2 on JDK 17 keeps such a
     * merged vector boxed, allocating.)
     */
    private static void spreadToArgmax(float[] dIn, int first, int rows, int cols, int rowStep, int C,
                                       float[] dOut, int[] argmax, int o) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector d = zero.add(FloatVector.fromArray(SPECIES, dOut, o));
        IntVector where = IntVector.fromArray(INTS, argmax, o);
        int cell = first;
        int s = 0;
        int nextRow = rowStep - (cols - 1) * C;
        for (int i = rows * cols; i > 0; i--) {
            VectorMask<Float> here = where.compare(VectorOperators.EQ, IOTA.add(cell)).cast(SPECIES);
            zero.blend(d, here).intoArray(dIn, cell);
            if (++s == cols) {
                s = 0;
                cell += nextRow;
            } else {
                cell += C;
            }
        }
    }

    /** dIn's rows x cols cells from {@code first} write: {@code 0 + dOut * inv}. */
    private static void spreadShare(float[] dIn, int first, int rows, int cols, int rowStep, int C,
                                    float[] dOut, int o, float inv) {
        FloatVector d = FloatVector.zero(SPECIES).add(FloatVector.fromArray(SPECIES, dOut, o).mul(inv));
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < cols; s++) {
                d.intoArray(dIn, first + r * rowStep + s * C);
            }
        }
    }
}
