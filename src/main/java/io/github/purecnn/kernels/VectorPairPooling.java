package io.github.purecnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Average pooling with 2x2 windows and stride 2 from the top-left corner (Keras's usual pooling,
 * 'valid' or 'same') when a pixel has fewer channels than a vector has lanes, such as the six
 * after the seed model's first convolution, or a multiple of that many, such as the sixteen after
 * its second (there each cell is whole vectors: see {@link #cellsForward}). Used by
 * {@link VectorKernels}.
 *
 * <p>With C &lt; VL a vector per window wastes most of its lanes and its store spills into the
 * next cells. Here every vector holds VL consecutive floats of an output row (forward) or an
 * input row (backward), so every load and store is full and stays in its row:
 * <ul>
 * <li>forward: output float j of a row (cell j / C, channel j % C) is the mean of the
 *     two rows' sum S at 2 C (j / C) + j % C and C floats further on. Three vectors of S hold what
 *     a chunk of VL outputs needs; fixed lane permutations ({@code rearrange}) and blends pick
 *     the even and the odd cells out of them;</li>
 * <li>backward: input float i of a covered row (pixel i / C, channel i % C) gets dOut at cell
 *     (i / C) / 2 of its row times 1/4; one permutation of two dOut vectors spreads them.</li>
 * </ul>
 * The permutation depends only on C and on where the chunk starts modulo C (forward) or 2C
 * (backward), so the tables are built once per channel count. Only one-source rearranges appear:
 * on JDK 17 a two-source {@code rearrange} costs about ten times as much as one-source ones and a
 * blend (measured: 25 ns against 2.4 ns per chunk). Windows cut by 'same' padding, cells no window
 * covers ('valid' with an odd size) and chunks whose loads would leave the arrays are done in
 * scalars, each output as the same (a + b) + (c + d) sum, so results do not depend on the path.
 */
final class VectorPairPooling {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SP.length();
    /** Tables by channel count, built on first use; immutable, so a racy first publication is harmless. */
    private static final Tables[] TABLES = new Tables[VL];

    private VectorPairPooling() {
    }

    /** Where a chunk's lanes come from, for one starting phase. */
    private static final class Phase {
        final VectorShuffle<Float> from0;
        final VectorShuffle<Float> from1;
        final VectorShuffle<Float> from2;
        final VectorMask<Float> in1;   // lanes taken from source vector 1
        final VectorMask<Float> in2;   // lanes taken from source vector 2

        /** source[l] is lane l's index into the sources laid end to end (below 3 VL). */
        Phase(int[] source) {
            int[][] lanes = new int[3][VL];
            boolean[][] take = new boolean[3][VL];
            for (int l = 0; l < VL; l++) {
                lanes[source[l] / VL][l] = source[l] % VL;
                take[source[l] / VL][l] = true;
            }
            from0 = VectorShuffle.fromArray(SP, lanes[0], 0);
            from1 = VectorShuffle.fromArray(SP, lanes[1], 0);
            from2 = VectorShuffle.fromArray(SP, lanes[2], 0);
            in1 = VectorMask.fromArray(SP, take[1], 0);
            in2 = VectorMask.fromArray(SP, take[2], 0);
        }

        FloatVector pick(FloatVector s0, FloatVector s1, FloatVector s2) {
            return pick(s0, s1).blend(s2.rearrange(from2), in2);
        }

        /** For phases whose sources all lie in the first two vectors. */
        FloatVector pick(FloatVector s0, FloatVector s1) {
            return s0.rearrange(from0).blend(s1.rearrange(from1), in1);
        }
    }

    private static final class Tables {
        final Phase[] even;     // [j0 % C] forward: the first cell of each window
        final Phase[] odd;      // [j0 % C] forward: the second cell
        final Phase[] spread;   // [i0 % 2C] backward

        Tables(Phase[] even, Phase[] odd, Phase[] spread) {
            this.even = even;
            this.odd = odd;
            this.spread = spread;
        }
    }

    /** Whether this class handles the geometry: 2x2 windows, stride 2, no top or left padding, C &lt; VL or a multiple of VL. */
    static boolean applies(Window2D g) {
        return g.kH() == 2 && g.kW() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padTop() == 0
                && g.padLeft() == 0 && (g.channels() % VL == 0 || g.channels() < VL && tables(g.channels()) != null);
    }

    /** The tables for C channels, or null when a chunk would need more source vectors than it loads (built empty then). */
    private static Tables tables(int C) {
        Tables t = TABLES[C];
        if (t == null) {
            t = build(C);
            TABLES[C] = t;
        }
        return t.even == null ? null : t;
    }

    private static Tables build(int C) {
        Phase[] even = new Phase[C], odd = new Phase[C], spread = new Phase[2 * C];
        for (int phase = 0; phase < C; phase++) {
            int[] e = new int[VL], o = new int[VL];
            for (int l = 0; l < VL; l++) {
                int j = phase + l;
                e[l] = 2 * C * (j / C) + j % C;
                o[l] = e[l] + C;
                if (o[l] >= 3 * VL) {
                    return new Tables(null, null, null);
                }
            }
            even[phase] = new Phase(e);
            odd[phase] = new Phase(o);
        }
        for (int phase = 0; phase < 2 * C; phase++) {
            int[] s = new int[VL];
            for (int l = 0; l < VL; l++) {
                int i = phase + l;
                s[l] = C * (i / C / 2) + i % C;
                if (s[l] >= 2 * VL) {
                    return new Tables(null, null, null);
                }
            }
            spread[phase] = new Phase(s);
        }
        return new Tables(even, odd, spread);
    }

    /** out (N, OH, OW, C) writes: each window's mean over its cells inside the input. */
    static void forward(float[] out, float[] in, int n, Window2D g) {
        if (g.channels() % VL == 0) {
            cellsForward(out, in, n, g);
            return;
        }
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW(), rowLen = W * C;
        Tables t = tables(C);
        // Output floats of a row whose windows have two columns, in chunks of VL (the last
        // back-aligned: it rewrites equal values). Chunk by chunk over all rows, so that a chunk's
        // permutations stay in registers.
        int fullOut = W / 2 * C;
        int chunks = fullOut >= VL ? (fullOut + VL - 1) / VL : 0;
        int lastSource = chunks == 0 ? 0 : 2 * C * ((fullOut - VL) / C) + 3 * VL;
        for (int k = 0; k < chunks; k++) {
            int j = Math.min(k * VL, fullOut - VL), s = 2 * C * (j / C);
            Phase even = t.even[j % C], odd = t.odd[j % C];
            for (int b = 0; b < n; b++) {
                for (int oy = 0; oy < OH && vectorRow(b, oy, H, rowLen, lastSource, in.length); oy++) {
                    int top = (b * H + 2 * oy) * rowLen + s, bottom = top + rowLen;
                    FloatVector s0 = FloatVector.fromArray(SP, in, top).add(FloatVector.fromArray(SP, in, bottom));
                    FloatVector s1 = FloatVector.fromArray(SP, in, top + VL).add(FloatVector.fromArray(SP, in, bottom + VL));
                    FloatVector s2 = FloatVector.fromArray(SP, in, top + 2 * VL).add(FloatVector.fromArray(SP, in, bottom + 2 * VL));
                    even.pick(s0, s1, s2).add(odd.pick(s0, s1, s2)).mul(0.25f).intoArray(out, (b * OH + oy) * OW * C + j);
                }
            }
        }
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                boolean twoRows = 2 * oy + 1 < H;
                int top = (b * H + 2 * oy) * rowLen, bottom = twoRows ? top + rowLen : top;
                int outRow = (b * OH + oy) * OW * C;
                int first = chunks > 0 && vectorRow(b, oy, H, rowLen, lastSource, in.length) ? W / 2 : 0;
                for (int ox = first; ox < OW; ox++) {
                    boolean twoCols = 2 * ox + 1 < W;
                    float inv = 1f / ((twoRows ? 2 : 1) * (twoCols ? 2 : 1));
                    int i0 = top + 2 * ox * C, i1 = bottom + 2 * ox * C, at = outRow + ox * C;
                    for (int c = 0; c < C; c++) {
                        float left = twoRows ? in[i0 + c] + in[i1 + c] : in[i0 + c];
                        float right = !twoCols ? 0f : twoRows ? in[i0 + C + c] + in[i1 + C + c] : in[i0 + C + c];
                        out[at + c] = (twoCols ? left + right : left) * inv;
                    }
                }
            }
        }
    }

    /**
     * Whether output row oy of image b is done with vectors: its windows have two rows, and its
     * chunks' loads (up to {@code lastSource} floats from the top row) stay inside the array.
     */
    private static boolean vectorRow(int b, int oy, int H, int rowLen, int lastSource, int length) {
        return 2 * oy + 1 < H && (b * H + 2 * oy + 1) * rowLen + lastSource <= length;
    }

    /** dIn (N, H, W, C) writes: every cell gets its window's dOut over the window's cell count, or zero if no window covers it. */
    static void backward(float[] dIn, float[] dOut, int n, Window2D g) {
        if (g.channels() % VL == 0) {
            cellsBackward(dIn, dOut, n, g);
            return;
        }
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW(), rowLen = W * C;
        Tables t = tables(C);
        // Input floats of a row in windows of two columns, in chunks of VL (the last back-aligned),
        // chunk by chunk over all covered rows as in the forward pass.
        int fullIn = W / 2 * 2 * C;
        int chunks = fullIn >= VL ? (fullIn + VL - 1) / VL : 0;
        int lastSource = chunks == 0 ? 0 : C * ((fullIn - VL) / (2 * C)) + 2 * VL;
        int coveredRows = Math.min(2 * OH, H), coveredCols = Math.min(2 * OW, W);
        for (int k = 0; k < chunks; k++) {
            int i = Math.min(k * VL, fullIn - VL), d = C * (i / (2 * C));
            Phase spread = t.spread[i % (2 * C)];
            for (int b = 0; b < n; b++) {
                for (int y = 0; y < coveredRows; y++) {
                    int outRow = (b * OH + y / 2) * OW * C;
                    if (outRow + lastSource > dOut.length) {
                        break;
                    }
                    float inv = 2 * (y / 2) + 1 < H ? 0.25f : 0.5f;
                    FloatVector d0 = FloatVector.fromArray(SP, dOut, outRow + d), d1 = FloatVector.fromArray(SP, dOut, outRow + d + VL);
                    spread.pick(d0, d1).mul(inv).intoArray(dIn, (b * H + y) * rowLen + i);
                }
            }
        }
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < coveredRows; y++) {
                int oy = y / 2, row = (b * H + y) * rowLen, outRow = (b * OH + oy) * OW * C;
                boolean twoRows = 2 * oy + 1 < H;
                int first = chunks > 0 && outRow + lastSource <= dOut.length ? W / 2 * 2 : 0;
                for (int x = first; x < W; x++) {
                    int ox = x / 2, at = row + x * C;
                    if (x >= coveredCols) {
                        java.util.Arrays.fill(dIn, at, at + C, 0f);
                        continue;
                    }
                    float inv = 1f / ((twoRows ? 2 : 1) * (2 * ox + 1 < W ? 2 : 1));
                    for (int c = 0; c < C; c++) {
                        dIn[at + c] = dOut[outRow + ox * C + c] * inv;
                    }
                }
            }
            java.util.Arrays.fill(dIn, (b * H + coveredRows) * rowLen, (b + 1) * H * rowLen, 0f);
        }
    }

    /**
     * C a multiple of VL: out (n, OH, OW, C) writes, each cell chunk by chunk from the (up to) four
     * input vectors of its window, summed as the other paths sum them: the column sums of the two
     * rows, then the columns. (Through the rows-first scratch row of {@link VectorKernels}: pool2 of
     * the seed model, 11 x 11 x 16 per image, 7.2-7.7 us per shard of 16 against 4.9-5.0, AVX2.)
     */
    private static void cellsForward(float[] out, float[] in, int n, Window2D g) {
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW(), rowLen = W * C;
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                boolean twoRows = 2 * oy + 1 < H;
                int top = (b * H + 2 * oy) * rowLen, at = (b * OH + oy) * OW * C;
                for (int ox = 0; ox < OW; ox++) {
                    boolean twoCols = 2 * ox + 1 < W;
                    float inv = 1f / ((twoRows ? 2 : 1) * (twoCols ? 2 : 1));
                    int p = top + 2 * ox * C;
                    for (int j = 0; j < C; j += VL) {
                        FloatVector left = FloatVector.fromArray(SP, in, p + j);
                        if (twoRows) {
                            left = left.add(FloatVector.fromArray(SP, in, p + rowLen + j));
                        }
                        if (twoCols) {
                            FloatVector right = FloatVector.fromArray(SP, in, p + C + j);
                            if (twoRows) {
                                right = right.add(FloatVector.fromArray(SP, in, p + rowLen + C + j));
                            }
                            left = left.add(right);
                        }
                        left.mul(inv).intoArray(out, at + j);
                    }
                    at += C;
                }
            }
        }
    }

    /**
     * C a multiple of VL: dIn (n, H, W, C) writes, each output cell's gradient chunk times its
     * window's 1 / size stored into the (up to) four cells of its window, and 0 into the cells no
     * window covers ('valid' with an odd size). (Row by row through {@link VectorKernels}: pool2 of
     * the seed model 10.1-10.4 us per shard of 16 against 5.3, AVX2.)
     */
    private static void cellsBackward(float[] dIn, float[] dOut, int n, Window2D g) {
        int H = g.inH(), W = g.inW(), C = g.channels(), OH = g.outH(), OW = g.outW(), rowLen = W * C;
        int coveredRows = Math.min(2 * OH, H), coveredCols = Math.min(2 * OW, W);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                boolean twoRows = 2 * oy + 1 < H;
                int top = (b * H + 2 * oy) * rowLen, at = (b * OH + oy) * OW * C;
                for (int ox = 0; ox < OW; ox++) {
                    boolean twoCols = 2 * ox + 1 < W;
                    float inv = 1f / ((twoRows ? 2 : 1) * (twoCols ? 2 : 1));
                    int p = top + 2 * ox * C;
                    for (int j = 0; j < C; j += VL) {
                        FloatVector v = FloatVector.fromArray(SP, dOut, at + j).mul(inv);
                        v.intoArray(dIn, p + j);
                        if (twoCols) {
                            v.intoArray(dIn, p + C + j);
                        }
                        if (twoRows) {
                            v.intoArray(dIn, p + rowLen + j);
                            if (twoCols) {
                                v.intoArray(dIn, p + rowLen + C + j);
                            }
                        }
                    }
                    at += C;
                }
                if (coveredCols < W) {
                    java.util.Arrays.fill(dIn, top + coveredCols * C, top + rowLen, 0f);
                    if (twoRows) {
                        java.util.Arrays.fill(dIn, top + rowLen + coveredCols * C, top + 2 * rowLen, 0f);
                    }
                }
            }
            java.util.Arrays.fill(dIn, (b * H + coveredRows) * rowLen, (b + 1) * H * rowLen, 0f);
        }
    }
}
