package io.github.purecnn.kernels.depthwise;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The Vector API depthwise convolution: vectors run across channels, the independent outputs of
 * one term, so each output is one lane's chain of fused multiply-adds in the canonical order of
 * {@link ReferenceDepthwise}, whatever the vector width.
 *
 * <p>Layouts (in scratch, remade per call; skipped where the given array already has them):
 * <ul>
 *   <li>The input with its channels padded to Cp (a whole number of vectors) and, where the
 *       window reaches outside, a zero border: every window cell is inside an array. A padding
 *       cell then adds a zero term, which leaves a sum started from +0 unchanged (see the package
 *       documentation of {@code io.github.purecnn.kernels}).</li>
 *   <li>The output gradient as (pixel, m, Cp): for each multiplier m, the C channels side by side.</li>
 *   <li>The packed kernel (made when the kernel changes): (R*S, M, Cp), zeros past C.</li>
 * </ul>
 * Forward: blocks of four output pixels, each a vector of channels, over the window cells. Input
 * gradient: per input cell and vector of channels, over the window cells that reach it (tables per
 * input row and column, made once) and the multipliers. Kernel gradient: blocks of four window
 * cells, each a vector of channels, over the shard's output pixels in order.
 *
 * <p>Legend: n images; H, W, C input; R, S window; M depth multiplier; OH, OW output; Cp C rounded
 * up to whole vectors; PH, PW the bordered input.
 */
public final class VectorDepthwise implements DepthwisePlan {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SPECIES.length();
    /** Output pixels (forward) or window cells (kernel gradient) per block. */
    private static final int BLOCK = 4;

    private final Window2D g;
    private final int M;
    private final int C;
    private final int Cp;
    private final int cells;
    /** Whether the input is used as given (no border, channels a whole number of vectors). */
    private final boolean inputAsGiven;
    /** Whether the output gradient is used as given (M = 1, channels a whole number of vectors). */
    private final boolean gradientAsGiven;
    private final int PH;
    private final int PW;
    /** cellOffset[t], t = (r, s): where window cell t of an output pixel lies from the pixel's first cell */
    private final int[] cellOffset;
    private final int imageStep;
    private final int rowStep;
    private final int colStep;
    /** Per input row iy: the window rows r (in order) over it, at rowTaps[rowStart[iy] ..], with their output rows. */
    private final int[] rowStart;
    private final int[] rowTapR;
    private final int[] rowTapOut;
    private final int[] colStart;
    private final int[] colTapS;
    private final int[] colTapOut;

    /** The plan for a depthwise convolution over {@code g} with {@code multiplier} filters per channel, on Vector API loops. */
    public VectorDepthwise(Window2D g, int multiplier) {
        this.g = g;
        this.M = multiplier;
        this.C = g.channels();
        this.Cp = (C + VL - 1) / VL * VL;
        this.cells = g.kH() * g.kW();
        int R = g.kH(), S = g.kW();
        boolean padded = g.padded();
        inputAsGiven = !padded && Cp == C;
        gradientAsGiven = M == 1 && Cp == C;
        PH = padded ? Math.max(g.padTop() + g.inH(), g.inRow(g.outH() - 1, R - 1) + g.padTop() + 1) : g.inH();
        PW = padded ? Math.max(g.padLeft() + g.inW(), g.inCol(g.outW() - 1, S - 1) + g.padLeft() + 1) : g.inW();
        cellOffset = new int[cells];
        for (int r = 0; r < R; r++) {
            for (int s = 0; s < S; s++) {
                cellOffset[r * S + s] = (r * g.dilationH() * PW + s * g.dilationW()) * Cp;
            }
        }
        imageStep = PH * PW * Cp;
        rowStep = g.strideH() * PW * Cp;
        colStep = g.strideW() * Cp;

        rowStart = new int[g.inH() + 1];
        int[][] rows = taps(g.inH(), R, true);
        rowTapR = rows[0];
        rowTapOut = rows[1];
        System.arraycopy(rows[2], 0, rowStart, 0, rowStart.length);
        colStart = new int[g.inW() + 1];
        int[][] cols = taps(g.inW(), S, false);
        colTapS = cols[0];
        colTapOut = cols[1];
        System.arraycopy(cols[2], 0, colStart, 0, colStart.length);
    }

    /** For each input row (or column): the window rows over it in order and their output rows; and where each starts. */
    private int[][] taps(int size, int window, boolean rows) {
        int[] start = new int[size + 1];
        int[] tap = new int[size * window];
        int[] out = new int[size * window];
        int count = 0;
        for (int i = 0; i < size; i++) {
            start[i] = count;
            for (int w = 0; w < window; w++) {
                int o = rows ? g.outRow(i, w) : g.outCol(i, w);
                if (o >= 0) {
                    tap[count] = w;
                    out[count] = o;
                    count++;
                }
            }
        }
        start[size] = count;
        return new int[][] {Arrays.copyOf(tap, count), Arrays.copyOf(out, count), start};
    }

    @Override
    public String name() {
        return "vector depthwise " + VL + " lanes";
    }

    @Override
    public Window2D geometry() {
        return g;
    }

    @Override
    public int multiplier() {
        return M;
    }

    @Override
    public int packedSize() {
        return cells * M * Cp;
    }

    /** packed (R*S, M, Cp) writes: per window cell and multiplier, the C weights, zeros past C. */
    @Override
    public void pack(float[] packed, float[] kernel) {
        Arrays.fill(packed, 0, packedSize(), 0f);
        for (int t = 0; t < cells; t++) {
            for (int c = 0; c < C; c++) {
                for (int m = 0; m < M; m++) {
                    packed[(t * M + m) * Cp + c] = kernel[(t * C + c) * M + m];
                }
            }
        }
    }

    private int inputCopySize(int n) {
        return inputAsGiven ? 0 : n * imageStep;
    }

    private int gradientCopySize(int n) {
        return gradientAsGiven ? 0 : n * g.outPixels() * M * Cp;
    }

    private int tileSize() {
        return Math.max(BLOCK * M * Cp, cells * M * Cp);
    }

    @Override
    public int scratchFloats(int n) {
        return inputCopySize(n) + gradientCopySize(n) + tileSize();
    }

    /** Where the input is read: in itself, or its bordered copy at the start of scratch. */
    private float[] input(float[] in, int n, float[] f) {
        if (inputAsGiven) {
            return in;
        }
        int H = g.inH(), W = g.inW();
        Arrays.fill(f, 0, inputCopySize(n), 0f);
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    System.arraycopy(in, ((b * H + y) * W + x) * C, f,
                            b * imageStep + ((y + g.padTop()) * PW + x + g.padLeft()) * Cp, C);
                }
            }
        }
        return f;
    }

    /** Where the output gradient is read as (pixel, m, Cp): dOut itself, or its copy at {@code at} in scratch. */
    private float[] gradient(float[] dOut, int n, float[] f, int at) {
        if (gradientAsGiven) {
            return dOut;
        }
        int pixels = n * g.outPixels(), CM = C * M;
        Arrays.fill(f, at, at + gradientCopySize(n), 0f);
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < C; c++) {
                for (int m = 0; m < M; m++) {
                    f[at + (p * M + m) * Cp + c] = dOut[p * CM + c * M + m];
                }
            }
        }
        return f;
    }

    /** Where output pixel q of the shard (b, oy, ox in order) starts in the bordered input. */
    private int pixelBase(int q) {
        int b = q / g.outPixels(), rem = q % g.outPixels();
        return b * imageStep + rem / g.outW() * rowStep + rem % g.outW() * colStep;
    }

    // ---- forward ----

    @Override
    public void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch) {
        float[] f = scratch.floats();
        float[] x = input(in, n, f);
        int tile = inputCopySize(n) + gradientCopySize(n);
        int pixels = n * g.outPixels(), CM = C * M;
        for (int q = 0; q < pixels; q += BLOCK) {
            int count = Math.min(BLOCK, pixels - q);
            int b0 = pixelBase(q);
            int b1 = pixelBase(q + Math.min(1, count - 1));
            int b2 = pixelBase(q + Math.min(2, count - 1));
            int b3 = pixelBase(q + Math.min(3, count - 1));
            for (int m = 0; m < M; m++) {
                for (int c0 = 0; c0 < Cp; c0 += VL) {
                    FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
                    for (int t = 0; t < cells; t++) {
                        FloatVector k = FloatVector.fromArray(SPECIES, packed, (t * M + m) * Cp + c0);
                        int off = cellOffset[t] + c0;
                        a0 = FloatVector.fromArray(SPECIES, x, b0 + off).fma(k, a0);
                        a1 = FloatVector.fromArray(SPECIES, x, b1 + off).fma(k, a1);
                        a2 = FloatVector.fromArray(SPECIES, x, b2 + off).fma(k, a2);
                        a3 = FloatVector.fromArray(SPECIES, x, b3 + off).fma(k, a3);
                    }
                    a0.intoArray(f, tile + m * Cp + c0);
                    a1.intoArray(f, tile + (M + m) * Cp + c0);
                    a2.intoArray(f, tile + (2 * M + m) * Cp + c0);
                    a3.intoArray(f, tile + (3 * M + m) * Cp + c0);
                }
            }
            for (int i = 0; i < count; i++) {
                int o = (q + i) * CM;
                int row = tile + i * M * Cp;
                for (int c = 0; c < C; c++) {
                    for (int m = 0; m < M; m++) {
                        int j = c * M + m;
                        float y = f[row + m * Cp + c];
                        y = bias == null ? y : y + bias[j];
                        out[o + j] = relu ? Math.max(y, 0f) : y;
                    }
                }
            }
        }
    }

    // ---- input gradient ----

    @Override
    public void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch) {
        float[] f = scratch.floats();
        int copy = inputCopySize(n);
        float[] d = gradient(dOut, n, f, copy);
        int dBase = gradientAsGiven ? 0 : copy;
        int tile = copy + gradientCopySize(n);
        int H = g.inH(), W = g.inW(), S = g.kW(), OH = g.outH(), OW = g.outW();
        for (int b = 0; b < n; b++) {
            for (int iy = 0; iy < H; iy++) {
                for (int ix = 0; ix < W; ix++) {
                    int i = ((b * H + iy) * W + ix) * C;
                    for (int c0 = 0; c0 < Cp; c0 += VL) {
                        FloatVector acc = FloatVector.zero(SPECIES);
                        for (int u = rowStart[iy]; u < rowStart[iy + 1]; u++) {
                            int r = rowTapR[u];
                            int outRow = b * OH + rowTapOut[u];
                            for (int v = colStart[ix]; v < colStart[ix + 1]; v++) {
                                int pixel = outRow * OW + colTapOut[v];
                                int gBase = dBase + pixel * M * Cp + c0;
                                int kBase = (r * S + colTapS[v]) * M * Cp + c0;
                                for (int m = 0; m < M; m++) {
                                    acc = FloatVector.fromArray(SPECIES, d, gBase + m * Cp)
                                            .fma(FloatVector.fromArray(SPECIES, packed, kBase + m * Cp), acc);
                                }
                            }
                        }
                        if (c0 + VL <= C) {
                            acc.intoArray(dIn, i + c0);
                        } else {
                            acc.intoArray(f, tile);
                            System.arraycopy(f, tile, dIn, i + c0, C - c0);
                        }
                    }
                }
            }
        }
    }

    // ---- kernel gradient ----

    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch) {
        float[] f = scratch.floats();
        float[] x = input(in, n, f);
        int copy = inputCopySize(n);
        float[] d = gradient(dOut, n, f, copy);
        int dBase = gradientAsGiven ? 0 : copy;
        int tile = copy + gradientCopySize(n);
        int pixels = n * g.outPixels();
        for (int m = 0; m < M; m++) {
            for (int c0 = 0; c0 < Cp; c0 += VL) {
                for (int t0 = 0; t0 < cells; t0 += BLOCK) {
                    int count = Math.min(BLOCK, cells - t0);
                    int o0 = cellOffset[t0] + c0;
                    int o1 = cellOffset[t0 + Math.min(1, count - 1)] + c0;
                    int o2 = cellOffset[t0 + Math.min(2, count - 1)] + c0;
                    int o3 = cellOffset[t0 + Math.min(3, count - 1)] + c0;
                    FloatVector a0 = FloatVector.zero(SPECIES), a1 = a0, a2 = a0, a3 = a0;
                    int gAt = dBase + m * Cp + c0;
                    for (int b = 0; b < n; b++) {
                        for (int oy = 0; oy < g.outH(); oy++) {
                            int base = b * imageStep + oy * rowStep;
                            for (int ox = 0; ox < g.outW(); ox++, base += colStep, gAt += M * Cp) {
                                FloatVector dv = FloatVector.fromArray(SPECIES, d, gAt);
                                a0 = FloatVector.fromArray(SPECIES, x, base + o0).fma(dv, a0);
                                a1 = FloatVector.fromArray(SPECIES, x, base + o1).fma(dv, a1);
                                a2 = FloatVector.fromArray(SPECIES, x, base + o2).fma(dv, a2);
                                a3 = FloatVector.fromArray(SPECIES, x, base + o3).fma(dv, a3);
                            }
                        }
                    }
                    // tile (R*S, M, Cp): cell t's sums at (t * M + m) * Cp
                    a0.intoArray(f, tile + (t0 * M + m) * Cp + c0);
                    if (count > 1) {
                        a1.intoArray(f, tile + ((t0 + 1) * M + m) * Cp + c0);
                    }
                    if (count > 2) {
                        a2.intoArray(f, tile + ((t0 + 2) * M + m) * Cp + c0);
                    }
                    if (count > 3) {
                        a3.intoArray(f, tile + ((t0 + 3) * M + m) * Cp + c0);
                    }
                }
            }
        }
        for (int t = 0; t < cells; t++) {
            for (int c = 0; c < C; c++) {
                for (int m = 0; m < M; m++) {
                    dKernel[(t * C + c) * M + m] = f[tile + (t * M + m) * Cp + c];
                }
            }
        }
        if (dBias != null) {
            biasGradient(dBias, dOut, pixels);
        }
    }

    /** dBias (C*M) writes: the sum over the pixels, in order, of each output channel's gradient; vectors across channels. */
    private void biasGradient(float[] dBias, float[] dOut, int pixels) {
        int CM = C * M;
        int j0 = 0;
        for (; j0 + VL <= CM; j0 += VL) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int p = 0; p < pixels; p++) {
                acc = acc.add(FloatVector.fromArray(SPECIES, dOut, p * CM + j0));
            }
            acc.intoArray(dBias, j0);
        }
        for (int j = j0; j < CM; j++) {
            float acc = 0f;
            for (int p = 0; p < pixels; p++) {
                acc += dOut[p * CM + j];
            }
            dBias[j] = acc;
        }
    }
}
