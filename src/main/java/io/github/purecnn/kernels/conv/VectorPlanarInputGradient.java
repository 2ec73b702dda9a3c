package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static io.github.purecnn.kernels.conv.VectorGemm.SPECIES;
import static io.github.purecnn.kernels.conv.VectorGemm.VL;

/**
 * {@link VectorConv} with an input gradient that puts input pixels on the lanes, for convolutions
 * with unit strides whose few input channels would leave most lanes of {@link VectorConv}'s
 * channel vectors idle (6 channels fill 6 of 16). Forward pass and kernel gradient are VectorConv's.
 *
 * <p>The input gradient is a transposed convolution. Each image's output gradient is copied into
 * one plane per filter k, QH x QW, framed by zero margins wide enough that every window cell of
 * every input cell lies inside its plane, as flat rows: a row's right margin is the next row's
 * left one, so that a cell that would lie past a row's end (window cells right of the output)
 * lies on the next row's left margin, a zero. Input cell (iy, ix) is flat position
 * {@code u = iy * QW + ix}, and window cell (r, s) reads plane position u plus an offset
 * (one fixed offset per cell; with dilation the cells are farther apart, with padding the
 * margins narrower). So a vector of consecutive positions u reads one vector per term (r, s, k),
 * and broadcasts the weight {@code kernel[r, s, c, k]} (from the packed rows of Cp channels that
 * VectorConv's input gradient reads). A block holds {@value #BLOCK_CHANNELS} channels by four
 * vectors of positions in 24 registers where 16-float vectors come with AVX-512's 32, else by two
 * in twelve (the last block of channels repeats its last channel; the last vector of an image's
 * positions may be a block of its own),
 * each lane one chain of fused multiply-adds from +0 over r, s in order and for each over k, the
 * canonical order; a window cell that falls on a margin adds a zero term, where the reference
 * skips it (the same bits, see the package documentation of {@code io.github.purecnn.kernels}).
 * Positions with ix &gt;= W (where the flat rows are wider than the input) are computed and dropped.
 * The block's sums go to a tile of C rows of positions, which is then written out as NHWC.
 *
 * <p>Legend: n images; H, W, C input; R, S window; K filters; OH, OW output; Cp C rounded up to
 * whole vectors; QH, QW a plane with its margins; P = QH * QW.
 */
public final class VectorPlanarInputGradient implements ConvPlan {
    /** The plan's name for logs and benchmarks. */
    public static final String NAME = "vector gemm, planar input gradient";
    /** Channels one block holds in registers, by up to four vectors of positions. */
    static final int BLOCK_CHANNELS = 6;

    private final VectorConv conv;
    private final Window2D g;
    private final int K;
    private final int Cp;
    /** Width of a plane with its margins; its size QH * QW. */
    private final int QW;
    private final int P;
    /** Where output pixel (0, 0) lies in a plane: below the top margin, right of the left margin. */
    private final int interiorAt;
    /**
     * termOffsets[(r * S + s) * K + k]: where term (r, s, k) of the input cell at position u lies in
     * the planes, from u: window cell (r, s) in plane k.
     */
    private final int[] termOffsets;
    /** Positions computed per image: the flat rows up to the last input cell, in whole vectors. */
    private final int positions;
    /**
     * Block j: vectors blockVectors[j] of positions from blockStart[j] (four where the registers
     * hold them, else two, the last one where one remains), taking terms [termsFrom[j], termsTo[j]):
     * those of the window rows r that put one of its input rows under an output row; the other
     * rows' terms all fall on the margins, zero terms for every lane, and are skipped.
     */
    private final int[] blockStart;
    private final int[] blockVectors;
    private final int[] termsFrom;
    private final int[] termsTo;
    /** Floats of the planes of one image, with the room the last blocks read past the last plane. */
    private final int planesSize;

    /** Whether the geometry has the unit strides this input gradient serves (any padding and dilation). */
    public static boolean fits(Window2D g) {
        return g.strideH() == 1 && g.strideW() == 1;
    }

    public VectorPlanarInputGradient(Window2D g, int filters) {
        if (!fits(g)) {
            throw new IllegalArgumentException("the planar input gradient needs unit strides: " + g.describe());
        }
        this.conv = new VectorConv(g, filters);
        this.g = g;
        this.K = filters;
        this.Cp = VectorConv.roundUp(g.channels(), VL);
        int R = g.kH(), S = g.kW(), H = g.inH(), W = g.inW();
        // margins: window cell (R-1, S-1) of input cell (0, 0) lies at output (padTop - (R-1)*dH, padLeft - (S-1)*dW)
        int top = Math.max(0, (R - 1) * g.dilationH() - g.padTop());
        int left = Math.max(0, (S - 1) * g.dilationW() - g.padLeft());
        // and window cell (0, 0) of input cell (H-1, W-1) at output (H-1 + padTop, W-1 + padLeft)
        int QH = top + Math.max(g.outH(), H + g.padTop());
        // flat rows: cells right of a row's outputs (up to W-1 + padLeft) wrap onto the next row's left margin
        QW = Math.max(left + g.outW(), W + g.padLeft());
        P = QH * QW;
        interiorAt = top * QW + left;
        termOffsets = new int[R * S * filters];
        for (int r = 0, t = 0; r < R; r++) {
            for (int s = 0; s < S; s++) {
                int cell = (g.padTop() + top - r * g.dilationH()) * QW + g.padLeft() + left - s * g.dilationW();
                for (int k = 0; k < filters; k++, t++) {
                    termOffsets[t] = k * P + cell;
                }
            }
        }
        positions = VectorConv.roundUp((H - 1) * QW + W, VL);
        int blocks = 0;
        for (int v = 0, vectors = positions / VL; v < vectors; v += VectorConv.group(v, vectors), blocks++) {
            // counts the blocks
        }
        blockStart = new int[blocks];
        blockVectors = new int[blocks];
        termsFrom = new int[blocks];
        termsTo = new int[blocks];
        for (int j = 0, v = 0; j < blocks; v += blockVectors[j], j++) {
            blockStart[j] = v * VL;
            blockVectors[j] = VectorConv.group(v, positions / VL);
            int y0 = blockStart[j] / QW, y1 = Math.min(H - 1, (blockStart[j] + blockVectors[j] * VL - 1) / QW);
            int from = R, to = 0;
            for (int r = 0; r < R; r++) {
                // window row r puts input rows [r*dH - padTop, that + OH) under output rows
                int lo = r * g.dilationH() - g.padTop();
                if (lo <= y1 && lo + g.outH() - 1 >= y0) {
                    from = Math.min(from, r);
                    to = r + 1;
                }
            }
            termsFrom[j] = from < to ? from * S * filters : 0;
            termsTo[j] = from < to ? to * S * filters : 0;
        }
        // the last blocks read up to positions - 1 + the largest offset, term (0, 0, K-1)'s
        planesSize = Math.max(K * P, positions + termOffsets[filters - 1]);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Window2D geometry() {
        return g;
    }

    @Override
    public int filters() {
        return K;
    }

    @Override
    public int packedSize() {
        return conv.packedSize();
    }

    @Override
    public void pack(float[] packed, float[] kernel) {
        conv.pack(packed, kernel);
    }

    @Override
    public int packParts() {
        return conv.packParts();
    }

    @Override
    public void pack(float[] packed, float[] kernel, int part) {
        conv.pack(packed, kernel, part);
    }

    /** VectorConv's passes' needs, or the planes of one image and the tile of C rows of positions. */
    @Override
    public int scratchFloats(int n) {
        return Math.max(conv.scratchFloats(n), planesSize + g.channels() * positions);
    }

    @Override
    public int scratchInts(int n) {
        return conv.scratchInts(n);
    }

    @Override
    public void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch) {
        conv.forward(out, in, kernel, packed, bias, relu, n, scratch);
    }

    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch) {
        conv.backwardParams(dKernel, dBias, dOut, in, n, scratch);
    }

    /**
     * dIn (n, H, W, C) writes, an image at a time: its output gradient into the planes (whose
     * margins, zeroed once, stay zero), blocks of {@value #BLOCK_CHANNELS} channels by four, two or one vectors
     * of positions into the tile, the tile's rows to dIn.
     */
    @Override
    public void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch) {
        float[] f = scratch.floats();
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW();
        int tile = planesSize;
        int weightsAt = conv.inputWeightsAt();
        Arrays.fill(f, 0, planesSize, 0f);
        for (int b = 0; b < n; b++) {
            // a row of a plane at a time: stores in order, loads K apart (faster than the reverse)
            for (int oy = 0; oy < OH; oy++) {
                int src = (b * OH + oy) * OW * K;
                for (int k = 0; k < K; k++) {
                    int at = k * P + interiorAt + oy * QW, from = src + k;
                    for (int ox = 0; ox < OW; ox++) {
                        f[at + ox] = dOut[from + ox * K];
                    }
                }
            }
            for (int c0 = 0; c0 < C; c0 += BLOCK_CHANNELS) {
                int last = Math.min(BLOCK_CHANNELS, C - c0) - 1;
                for (int j = 0; j < blockStart.length; j++) {
                    int u0 = blockStart[j], t0 = termsFrom[j], t1 = termsTo[j];
                    if (blockVectors[j] == 4) {
                        block6x4(f, u0, termOffsets, t0, t1, packed, weightsAt, Cp, c0, last, f, tile, positions);
                    } else if (blockVectors[j] == 2) {
                        block6x2(f, u0, termOffsets, t0, t1, packed, weightsAt, Cp, c0, last, f, tile, positions);
                    } else {
                        block6x1(f, u0, termOffsets, t0, t1, packed, weightsAt, Cp, c0, last, f, tile, positions);
                    }
                }
            }
            // a row of the tile at a time: loads in order, stores C apart
            for (int c = 0; c < C; c++) {
                for (int iy = 0; iy < H; iy++) {
                    int from = tile + c * positions + iy * QW, to = ((b * H + iy) * W) * C + c;
                    for (int ix = 0; ix < W; ix++) {
                        dIn[to + ix * C] = f[from + ix];
                    }
                }
            }
        }
    }

    /**
     * Channels c0 .. c0 + last (up to six; the block repeats the last) by the two vectors of
     * positions from u0: out[outAt + c * ldo + u0 + lane] writes the sum over terms t in [t0, t1) in order of
     * {@code z[u0 + lane + terms[t]] * w[wAt + t * ldw + c]}: one loop over the terms (C2 on JDK 17
     * boxes vectors carried through nested loops).
     */
    private static void block6x2(float[] z, int u0, int[] terms, int t0, int t1, float[] w, int wAt, int ldw,
                                 int c0, int last, float[] out, int outAt, int ldo) {
        int o0 = c0, o1 = c0 + Math.min(1, last), o2 = c0 + Math.min(2, last);
        int o3 = c0 + Math.min(3, last), o4 = c0 + Math.min(4, last), o5 = c0 + Math.min(5, last);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector a00 = zero, a01 = zero, a10 = zero, a11 = zero, a20 = zero, a21 = zero;
        FloatVector a30 = zero, a31 = zero, a40 = zero, a41 = zero, a50 = zero, a51 = zero;
        for (int t = t0; t < t1; t++) {
            int zo = u0 + terms[t];
            int wo = wAt + t * ldw;
            FloatVector v0 = FloatVector.fromArray(SPECIES, z, zo);
            FloatVector v1 = FloatVector.fromArray(SPECIES, z, zo + VL);
            FloatVector y = FloatVector.broadcast(SPECIES, w[wo + o0]);
            a00 = v0.fma(y, a00);
            a01 = v1.fma(y, a01);
            y = FloatVector.broadcast(SPECIES, w[wo + o1]);
            a10 = v0.fma(y, a10);
            a11 = v1.fma(y, a11);
            y = FloatVector.broadcast(SPECIES, w[wo + o2]);
            a20 = v0.fma(y, a20);
            a21 = v1.fma(y, a21);
            y = FloatVector.broadcast(SPECIES, w[wo + o3]);
            a30 = v0.fma(y, a30);
            a31 = v1.fma(y, a31);
            y = FloatVector.broadcast(SPECIES, w[wo + o4]);
            a40 = v0.fma(y, a40);
            a41 = v1.fma(y, a41);
            y = FloatVector.broadcast(SPECIES, w[wo + o5]);
            a50 = v0.fma(y, a50);
            a51 = v1.fma(y, a51);
        }
        int at = outAt + u0;
        a00.intoArray(out, at + o0 * ldo);
        a01.intoArray(out, at + o0 * ldo + VL);
        a10.intoArray(out, at + o1 * ldo);
        a11.intoArray(out, at + o1 * ldo + VL);
        a20.intoArray(out, at + o2 * ldo);
        a21.intoArray(out, at + o2 * ldo + VL);
        a30.intoArray(out, at + o3 * ldo);
        a31.intoArray(out, at + o3 * ldo + VL);
        a40.intoArray(out, at + o4 * ldo);
        a41.intoArray(out, at + o4 * ldo + VL);
        a50.intoArray(out, at + o5 * ldo);
        a51.intoArray(out, at + o5 * ldo + VL);
    }

    /** As {@link #block6x2} with one vector of positions: the last of an image's positions when one vector remains. */
    private static void block6x1(float[] z, int u0, int[] terms, int t0, int t1, float[] w, int wAt, int ldw,
                                 int c0, int last, float[] out, int outAt, int ldo) {
        int o0 = c0, o1 = c0 + Math.min(1, last), o2 = c0 + Math.min(2, last);
        int o3 = c0 + Math.min(3, last), o4 = c0 + Math.min(4, last), o5 = c0 + Math.min(5, last);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero;
        for (int t = t0; t < t1; t++) {
            int wo = wAt + t * ldw;
            FloatVector v = FloatVector.fromArray(SPECIES, z, u0 + terms[t]);
            a0 = v.fma(FloatVector.broadcast(SPECIES, w[wo + o0]), a0);
            a1 = v.fma(FloatVector.broadcast(SPECIES, w[wo + o1]), a1);
            a2 = v.fma(FloatVector.broadcast(SPECIES, w[wo + o2]), a2);
            a3 = v.fma(FloatVector.broadcast(SPECIES, w[wo + o3]), a3);
            a4 = v.fma(FloatVector.broadcast(SPECIES, w[wo + o4]), a4);
            a5 = v.fma(FloatVector.broadcast(SPECIES, w[wo + o5]), a5);
        }
        int at = outAt + u0;
        a0.intoArray(out, at + o0 * ldo);
        a1.intoArray(out, at + o1 * ldo);
        a2.intoArray(out, at + o2 * ldo);
        a3.intoArray(out, at + o3 * ldo);
        a4.intoArray(out, at + o4 * ldo);
        a5.intoArray(out, at + o5 * ldo);
    }

    /** As {@link #block6x2} with four vectors of positions (24 accumulators: where 16-float vectors come with 32 registers). */
    private static void block6x4(float[] z, int u0, int[] terms, int t0, int t1, float[] w, int wAt, int ldw,
                                 int c0, int last, float[] out, int outAt, int ldo) {
        int o0 = c0, o1 = c0 + Math.min(1, last), o2 = c0 + Math.min(2, last);
        int o3 = c0 + Math.min(3, last), o4 = c0 + Math.min(4, last), o5 = c0 + Math.min(5, last);
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector a00 = zero, a01 = zero, a02 = zero, a03 = zero, a10 = zero, a11 = zero, a12 = zero, a13 = zero;
        FloatVector a20 = zero, a21 = zero, a22 = zero, a23 = zero, a30 = zero, a31 = zero, a32 = zero, a33 = zero;
        FloatVector a40 = zero, a41 = zero, a42 = zero, a43 = zero, a50 = zero, a51 = zero, a52 = zero, a53 = zero;
        for (int t = t0; t < t1; t++) {
            int zo = u0 + terms[t];
            int wo = wAt + t * ldw;
            FloatVector v0 = FloatVector.fromArray(SPECIES, z, zo);
            FloatVector v1 = FloatVector.fromArray(SPECIES, z, zo + VL);
            FloatVector v2 = FloatVector.fromArray(SPECIES, z, zo + 2 * VL);
            FloatVector v3 = FloatVector.fromArray(SPECIES, z, zo + 3 * VL);
            FloatVector y = FloatVector.broadcast(SPECIES, w[wo + o0]);
            a00 = v0.fma(y, a00);
            a01 = v1.fma(y, a01);
            a02 = v2.fma(y, a02);
            a03 = v3.fma(y, a03);
            y = FloatVector.broadcast(SPECIES, w[wo + o1]);
            a10 = v0.fma(y, a10);
            a11 = v1.fma(y, a11);
            a12 = v2.fma(y, a12);
            a13 = v3.fma(y, a13);
            y = FloatVector.broadcast(SPECIES, w[wo + o2]);
            a20 = v0.fma(y, a20);
            a21 = v1.fma(y, a21);
            a22 = v2.fma(y, a22);
            a23 = v3.fma(y, a23);
            y = FloatVector.broadcast(SPECIES, w[wo + o3]);
            a30 = v0.fma(y, a30);
            a31 = v1.fma(y, a31);
            a32 = v2.fma(y, a32);
            a33 = v3.fma(y, a33);
            y = FloatVector.broadcast(SPECIES, w[wo + o4]);
            a40 = v0.fma(y, a40);
            a41 = v1.fma(y, a41);
            a42 = v2.fma(y, a42);
            a43 = v3.fma(y, a43);
            y = FloatVector.broadcast(SPECIES, w[wo + o5]);
            a50 = v0.fma(y, a50);
            a51 = v1.fma(y, a51);
            a52 = v2.fma(y, a52);
            a53 = v3.fma(y, a53);
        }
        int at = outAt + u0;
        a00.intoArray(out, at + o0 * ldo);
        a01.intoArray(out, at + o0 * ldo + VL);
        a02.intoArray(out, at + o0 * ldo + 2 * VL);
        a03.intoArray(out, at + o0 * ldo + 3 * VL);
        a10.intoArray(out, at + o1 * ldo);
        a11.intoArray(out, at + o1 * ldo + VL);
        a12.intoArray(out, at + o1 * ldo + 2 * VL);
        a13.intoArray(out, at + o1 * ldo + 3 * VL);
        a20.intoArray(out, at + o2 * ldo);
        a21.intoArray(out, at + o2 * ldo + VL);
        a22.intoArray(out, at + o2 * ldo + 2 * VL);
        a23.intoArray(out, at + o2 * ldo + 3 * VL);
        a30.intoArray(out, at + o3 * ldo);
        a31.intoArray(out, at + o3 * ldo + VL);
        a32.intoArray(out, at + o3 * ldo + 2 * VL);
        a33.intoArray(out, at + o3 * ldo + 3 * VL);
        a40.intoArray(out, at + o4 * ldo);
        a41.intoArray(out, at + o4 * ldo + VL);
        a42.intoArray(out, at + o4 * ldo + 2 * VL);
        a43.intoArray(out, at + o4 * ldo + 3 * VL);
        a50.intoArray(out, at + o5 * ldo);
        a51.intoArray(out, at + o5 * ldo + VL);
        a52.intoArray(out, at + o5 * ldo + 2 * VL);
        a53.intoArray(out, at + o5 * ldo + 3 * VL);
    }
}
