package io.github.purecnn.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Conv2D with one input channel (C = 1) and unit strides on the Vector API, every lane busy
 * whatever K is: the first convolution of an image model (the seed model's conv1 has K = 6,
 * which fills only 6 of 16 lanes in {@link VectorKernels}' channels-on-lanes layout).
 *
 * <p>Dimension legend as in {@link VectorKernels}; also Hp/Wp the input plane with its padding
 * (Hp = OH + R - 1, Wp = OW + S - 1 at stride 1) and P the phase period defined below.
 *
 * <p>Expanded input. Row y of the padded plane is written K times wider, each pixel repeated K
 * times: E[y][x * K + k] = in[y, x] (zero in padding). In NHWC an output row is a flat run of
 * OW * K floats, and out[oy][j] = bias[j mod K] + sum over taps (r, s) of
 * w[r, s, 0, j mod K] * E[oy + r][j + s * K]. So VL consecutive output floats are R * S FMAs of
 * contiguous E loads with weight vectors that depend only on j mod K, the chunk's phase. Chunks
 * start at multiples of VL, whose phases repeat every P = K / gcd(K, VL) chunks (3 for K = 6 and
 * VL = 16): P weight slots, plus one for the last chunk of a row, which is back-aligned to end
 * at the row's end (it rewrites equal values) when OW * K is not a multiple of VL.
 *
 * <p>Backward (kernel and bias gradients): dKernel[r, s, 0, k] is the sum of
 * E[oy + r][j + s * K] * dOut[oy][j] over images, oy and j = k mod K. A 3x3 window reads E and
 * dOut in place, row by row (see {@link #backward3x3}). Other windows copy dOut into rows of the
 * same stride as E (Wp * K floats, zero past OW * K) and images of Hp rows (zero rows past OH),
 * so one flat index i addresses both: tap (r, s) reads E at i + r * Wp * K + s * K. A flat
 * sequence of chunks then has globally periodic phases, and one flat loop per (phase, taps
 * block) accumulates whole vectors; their lanes are added to the K kernel entries at the end.
 *
 * <p>Measured on the seed model's conv1 (AVX-512, JDK 17, per shard of 16): forward 52 -&gt; 32
 * us, kernel gradient with the ReLU backward 72-83 -&gt; 37 us (StepProfile minima). Expanding E
 * by load and rearrange costs about 10 us of each; one broadcast store per pixel took 24 us, and
 * a scalar store loop made the whole forward 61 us instead of 28.
 *
 * <p>Applies when C = 1, both strides are 1 and, as measured against {@link VectorKernels}' own
 * path (28x28 input, n = 16), this path is the faster one: when K &lt; VL (its lanes are then
 * partly idle) or the window is padded (its clipped windows are then scalar: 3x3 'same' K = 16
 * 88 against 245 us forward), and for the kernel gradient also with an unpadded 3x3 window (K =
 * 16 67 against 69 us, K = 20 107 against 138). From K = VL up, its unpadded forward, which
 * broadcasts inputs instead of loading K-times-larger E vectors, is faster (3x3 K = 16 54 against
 * 72 us, K = 20 86 against 104), and so is its 5x5 kernel gradient (K = 16 110 against 234). The
 * forward pass also needs OW * K &gt;= VL (one whole vector per output row). Either padding, any
 * K, n, H and W otherwise. No masks, no variable lane reads; vector accumulators live only in
 * flat loops; scratch is per thread and grown once, so steady state allocates nothing. Each output is a float sum in an order fixed by the shapes.
 */
final class VectorSingleChannelConv {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SP.length();
    /** Taps whose gradients one backward pass accumulates (two chunks each, plus the bias: 12 vectors). */
    private static final int TAP_BLOCK = 5;
    /**
     * Most floats of expanded input per backward group of images of the padded-copy passes (the
     * padded dOut is as large): bounds the scratch however large the shard (group sizes of 1 to
     * 13 conv1 images measured alike).
     */
    private static final int GROUP_FLOATS = 1 << 15;

    // Per-thread scratch slots, each grown once (then reused) so steady state allocates nothing.
    private static final int EXPANDED = 0, PADDED_DOUT = 1, WEIGHTS = 2, SUMS = 3;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][0]);

    private VectorSingleChannelConv() {
    }

    private static float[] scratch(int slot, int length) {
        float[][] all = SCRATCH.get();
        if (all[slot].length < length) {
            all[slot] = new float[length];
        }
        return all[slot];
    }

    /** One input channel, unit strides, and K &lt; VL or a padded window (see the class comment). */
    private static boolean suits(Window2D g, int K) {
        boolean padded = g.outH() + g.kH() - 1 > g.inH() || g.outW() + g.kW() - 1 > g.inW();
        return g.channels() == 1 && g.strideH() == 1 && g.strideW() == 1 && (K < VL || padded);
    }

    /** Whether {@link #forward} is the faster path: {@link #suits}, and an output row holds a whole vector. */
    static boolean appliesToForward(Window2D g, int K) {
        return suits(g, K) && g.outW() * K >= VL;
    }

    /** Whether {@link #backwardParams} is the faster path: {@link #suits}, or any K with a 3x3 window that {@link #backward3x3} takes. */
    static boolean appliesToBackward(Window2D g, int K) {
        return suits(g, K) || g.channels() == 1 && g.strideH() == 1 && g.strideW() == 1
                && g.kH() == 3 && g.kW() == 3 && g.outW() * K >= VL;
    }

    /** Chunks of VL floats starting at multiples of VL repeat their phase (start mod K) every this many. */
    private static int period(int K) {
        int a = K, b = VL;
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return K / a;
    }

    /**
     * Shuffles that expand pixels K times: REPEAT[K][ph] (K &lt;= VL, 0 &lt;= ph &lt; K) sends input lane
     * (ph + l) / K to lane l, so a vector of pixels loaded at pixel e / K becomes E's chunk at row
     * offset e when e mod K = ph. Built once: creating a shuffle allocates.
     */
    private static final VectorShuffle<Float>[][] REPEAT = repeatShuffles();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[][] repeatShuffles() {
        VectorShuffle<Float>[][] all = new VectorShuffle[VL + 1][];
        int[] lanes = new int[VL];
        for (int k = 1; k <= VL; k++) {
            all[k] = new VectorShuffle[k];
            for (int ph = 0; ph < k; ph++) {
                for (int l = 0; l < VL; l++) {
                    lanes[l] = (ph + l) / k;
                }
                all[k][ph] = VectorShuffle.fromArray(SP, lanes, 0);
            }
        }
        return all;
    }

    /**
     * Image b of in (H, W) into E at eAt: Hp rows of Wp * K floats, padding zero. Without column
     * padding the image's rows are one contiguous run in both arrays, expanded in one go;
     * otherwise row by row between zeroed padding.
     */
    private static void expand(float[] e, int eAt, float[] in, int b, Window2D g, int K) {
        int H = g.inH(), W = g.inW(), Hp = g.outH() + g.kH() - 1, rowE = (g.outW() + g.kW() - 1) * K;
        int top = g.padTop() * rowE, left = g.padLeft() * K, image = Hp * rowE;
        Arrays.fill(e, eAt, eAt + top, 0f);
        if (rowE == W * K) {
            expandRun(e, eAt + top, in, b * H * W, H * W, K);
        } else {
            // Left padding, pixels, right padding, row after row: increasing addresses, so a
            // spilled store (K > VL) is overwritten by what follows it.
            for (int iy = 0; iy < H; iy++) {
                int at = eAt + top + iy * rowE;
                Arrays.fill(e, at, at + left, 0f);
                expandRun(e, at + left, in, (b * H + iy) * W, W, K);
                Arrays.fill(e, at + left + W * K, at + rowE, 0f);
            }
        }
        Arrays.fill(e, eAt + top + H * rowE, eAt + image, 0f);
    }

    /**
     * e[to + x * K + k] = in[px + x] for x &lt; count, k &lt; K. With K &lt;= VL and at least VL floats,
     * each chunk of VL floats is one load of VL pixels and one rearrange (see {@link #REPEAT}),
     * chunks taken phase by phase so that one shuffle serves a whole loop, the last chunk
     * back-aligned (it rewrites equal values); a chunk whose load would leave {@code in} is done in
     * scalars. With K &gt; VL each pixel is broadcast and stored every VL floats, the last store
     * spilling up to VL - 1 floats past the run (E has that slack; later stores overwrite it).
     */
    private static void expandRun(float[] e, int to, float[] in, int px, int count, int K) {
        int run = count * K;
        if (K > VL) {
            for (int x = 0; x < count; x++) {
                FloatVector v = FloatVector.broadcast(SP, in[px + x]);
                for (int m = 0; m < K; m += VL) {
                    v.intoArray(e, to + x * K + m);
                }
            }
            return;
        }
        if (run < VL) {
            for (int j = 0; j < run; j++) {
                e[to + j] = in[px + j / K];
            }
            return;
        }
        VectorShuffle<Float>[] repeat = REPEAT[K];
        // Chunk c starts at pixel c / K with phase c mod K; both repeat every P chunks (step floats,
        // dp pixels), so the divisions (costlier than a row's stores) are done once per phase.
        int P = period(K), step = P * VL, dp = step / K;
        int safe = run - VL;                    // last chunk start inside the run
        int loadable = in.length - VL - px;     // last pixel (from px) a vector load may start at
        for (int q = 0; q < P && q * VL <= safe; q++) {
            VectorShuffle<Float> sh = repeat[q * VL % K];
            int c = q * VL, pixel = q * VL / K;
            for (; c <= safe && pixel <= loadable; c += step, pixel += dp) {
                FloatVector.fromArray(SP, in, px + pixel).rearrange(sh).intoArray(e, to + c);
            }
            for (; c <= safe; c += step) {
                for (int l = 0; l < VL; l++) {
                    e[to + c + l] = in[px + (c + l) / K];
                }
            }
        }
        if (run % VL != 0) {                    // back-aligned last chunk
            int pixel = safe / K;
            if (pixel <= loadable) {
                FloatVector.fromArray(SP, in, px + pixel).rearrange(repeat[safe % K]).intoArray(e, to + safe);
            } else {
                for (int l = 0; l < VL; l++) {
                    e[to + safe + l] = in[px + (safe + l) / K];
                }
            }
        }
    }

    /**
     * Weight vectors of a chunk whose lane 0 has phase {@code phase}: at {@code at}, taps vectors
     * of VL floats (lane l holds w[t, (phase + l) mod K]), then the bias vector likewise.
     */
    private static void phaseWeights(float[] wv, int at, float[] kernel, float[] bias, int phase, int taps, int K) {
        for (int t = 0; t <= taps; t++) {
            int k = phase;
            for (int l = 0; l < VL; l++) {
                wv[at + t * VL + l] = t < taps ? kernel[t * K + k] : bias == null ? 0f : bias[k];
                if (++k == K) {
                    k = 0;
                }
            }
        }
    }

    static void forward(float[] out, float[] in, float[] kernel, float[] bias, int n, Window2D g, int K) {
        int R = g.kH(), S = g.kW(), OH = g.outH(), OW = g.outW();
        int taps = R * S;
        int Hp = OH + R - 1;
        int rowE = (OW + S - 1) * K;        // floats per expanded input row
        int rowOut = OW * K;                // floats per output row (>= VL here)
        int P = period(K);
        int full = rowOut / VL;             // chunks at c * VL; one more, back-aligned, if rowOut % VL != 0
        int chunks = (rowOut + VL - 1) / VL;
        int slot = (taps + 1) * VL;         // floats of one phase's weight and bias vectors
        // wv: slot q < P for the chunks c with c mod P = q, slot P for the back-aligned last chunk.
        float[] wv = scratch(WEIGHTS, (P + 1) * slot);
        for (int q = 0; q <= P; q++) {
            int phase = q < P ? q * VL % K : (rowOut - VL) % K;
            phaseWeights(wv, q * slot, kernel, bias, phase, taps, K);
        }
        // e: one image's expanded input, Hp rows of rowE floats, VL floats of slack for the spill.
        float[] e = scratch(EXPANDED, Hp * rowE + VL);
        // 3x3 windows with at least four output rows: blocks of four consecutive rows (the last
        // back-aligned) that load each E vector once for all rows it feeds.
        boolean window3 = R == 3 && S == 3 && OH >= 4;
        for (int b = 0; b < n; b++) {
            expand(e, 0, in, b, g, K);
            if (window3) {
                for (int oy = 0; oy < OH; oy += 4) {
                    int y = Math.min(oy, OH - 4);
                    for (int c = 0; c < chunks; c++) {
                        int j = Math.min(c * VL, rowOut - VL);
                        block3x3(out, e, wv, y * rowE + j, (b * OH + y) * rowOut + j, (c < full ? c % P : P) * slot, K, rowE, rowOut);
                    }
                }
                continue;
            }
            // Blocks of 4 rows x 2 chunks; rows past OH and a chunk past the last repeat the last
            // one (its equal values are stored again).
            for (int oy = 0; oy < OH; oy += 4) {
                int y1 = Math.min(oy + 1, OH - 1), y2 = Math.min(oy + 2, OH - 1), y3 = Math.min(oy + 3, OH - 1);
                int outRow = b * OH;
                for (int c = 0; c < chunks; c += 2) {
                    int cb = Math.min(c + 1, chunks - 1);
                    int ja = Math.min(c * VL, rowOut - VL), jb = Math.min(cb * VL, rowOut - VL);
                    int wa = (c < full ? c % P : P) * slot, wb = (cb < full ? cb % P : P) * slot;
                    block(out, e, wv, oy * rowE, y1 * rowE, y2 * rowE, y3 * rowE,
                            (outRow + oy) * rowOut, (outRow + y1) * rowOut, (outRow + y2) * rowOut, (outRow + y3) * rowOut,
                            ja, jb, wa, wb, taps, S, K, rowE);
                }
            }
        }
    }

    /**
     * A 3x3 window, one output chunk of four consecutive rows (out at o, o + rowOut, ...) whose
     * windows start at e0, e0 + rowE, ... in E; weights from the slot at w. Each of the six input
     * rows' three shifted vectors is loaded once and feeds every output row it reaches (28
     * loads for 36 FMAs, against 45 in {@link #block}); each output's FMAs run in tap order (r, s).
     */
    private static void block3x3(float[] out, float[] e, float[] wv, int e0, int o, int w, int K, int rowE, int rowOut) {
        FloatVector w00 = FloatVector.fromArray(SP, wv, w), w01 = FloatVector.fromArray(SP, wv, w + VL),
                w02 = FloatVector.fromArray(SP, wv, w + 2 * VL), w10 = FloatVector.fromArray(SP, wv, w + 3 * VL),
                w11 = FloatVector.fromArray(SP, wv, w + 4 * VL), w12 = FloatVector.fromArray(SP, wv, w + 5 * VL),
                w20 = FloatVector.fromArray(SP, wv, w + 6 * VL), w21 = FloatVector.fromArray(SP, wv, w + 7 * VL),
                w22 = FloatVector.fromArray(SP, wv, w + 8 * VL);
        FloatVector a0 = FloatVector.fromArray(SP, wv, w + 9 * VL), a1 = a0, a2 = a0, a3 = a0;
        int k2 = 2 * K;
        // Input row 0 feeds output row 0 (r = 0).
        FloatVector x0 = FloatVector.fromArray(SP, e, e0), x1 = FloatVector.fromArray(SP, e, e0 + K),
                x2 = FloatVector.fromArray(SP, e, e0 + k2);
        a0 = x2.fma(w02, x1.fma(w01, x0.fma(w00, a0)));
        // Input row 1: output rows 0 (r = 1) and 1 (r = 0).
        int at = e0 + rowE;
        x0 = FloatVector.fromArray(SP, e, at);
        x1 = FloatVector.fromArray(SP, e, at + K);
        x2 = FloatVector.fromArray(SP, e, at + k2);
        a0 = x2.fma(w12, x1.fma(w11, x0.fma(w10, a0)));
        a1 = x2.fma(w02, x1.fma(w01, x0.fma(w00, a1)));
        // Input row 2: output rows 0 (r = 2), 1 (r = 1), 2 (r = 0).
        at += rowE;
        x0 = FloatVector.fromArray(SP, e, at);
        x1 = FloatVector.fromArray(SP, e, at + K);
        x2 = FloatVector.fromArray(SP, e, at + k2);
        a0 = x2.fma(w22, x1.fma(w21, x0.fma(w20, a0)));
        a1 = x2.fma(w12, x1.fma(w11, x0.fma(w10, a1)));
        a2 = x2.fma(w02, x1.fma(w01, x0.fma(w00, a2)));
        // Input row 3: output rows 1 (r = 2), 2 (r = 1), 3 (r = 0).
        at += rowE;
        x0 = FloatVector.fromArray(SP, e, at);
        x1 = FloatVector.fromArray(SP, e, at + K);
        x2 = FloatVector.fromArray(SP, e, at + k2);
        a1 = x2.fma(w22, x1.fma(w21, x0.fma(w20, a1)));
        a2 = x2.fma(w12, x1.fma(w11, x0.fma(w10, a2)));
        a3 = x2.fma(w02, x1.fma(w01, x0.fma(w00, a3)));
        // Input row 4: output rows 2 (r = 2), 3 (r = 1).
        at += rowE;
        x0 = FloatVector.fromArray(SP, e, at);
        x1 = FloatVector.fromArray(SP, e, at + K);
        x2 = FloatVector.fromArray(SP, e, at + k2);
        a2 = x2.fma(w22, x1.fma(w21, x0.fma(w20, a2)));
        a3 = x2.fma(w12, x1.fma(w11, x0.fma(w10, a3)));
        // Input row 5: output row 3 (r = 2).
        at += rowE;
        x0 = FloatVector.fromArray(SP, e, at);
        x1 = FloatVector.fromArray(SP, e, at + K);
        x2 = FloatVector.fromArray(SP, e, at + k2);
        a3 = x2.fma(w22, x1.fma(w21, x0.fma(w20, a3)));
        a0.intoArray(out, o);
        a1.intoArray(out, o + rowOut);
        a2.intoArray(out, o + 2 * rowOut);
        a3.intoArray(out, o + 3 * rowOut);
    }

    /**
     * Output chunks at ja and jb of four output rows (starting at o0..o3 in out, their windows'
     * top rows at e0..e3 in E), weights from the slots at wa and wb: 8 accumulators, one flat loop
     * over the taps.
     */
    private static void block(float[] out, float[] e, float[] wv, int e0, int e1, int e2, int e3,
                              int o0, int o1, int o2, int o3, int ja, int jb, int wa, int wb,
                              int taps, int S, int K, int rowE) {
        FloatVector biasA = FloatVector.fromArray(SP, wv, wa + taps * VL);
        FloatVector biasB = FloatVector.fromArray(SP, wv, wb + taps * VL);
        FloatVector a0 = biasA, a1 = biasA, a2 = biasA, a3 = biasA;
        FloatVector c0 = biasB, c1 = biasB, c2 = biasB, c3 = biasB;
        // Tap (r, s) reads E at r * rowE + s * K past the window's top-left; `off` walks it.
        int off = 0, s = 0;
        for (int t = 0; t < taps; t++) {
            FloatVector va = FloatVector.fromArray(SP, wv, wa + t * VL);
            FloatVector vb = FloatVector.fromArray(SP, wv, wb + t * VL);
            a0 = FloatVector.fromArray(SP, e, e0 + off + ja).fma(va, a0);
            a1 = FloatVector.fromArray(SP, e, e1 + off + ja).fma(va, a1);
            a2 = FloatVector.fromArray(SP, e, e2 + off + ja).fma(va, a2);
            a3 = FloatVector.fromArray(SP, e, e3 + off + ja).fma(va, a3);
            c0 = FloatVector.fromArray(SP, e, e0 + off + jb).fma(vb, c0);
            c1 = FloatVector.fromArray(SP, e, e1 + off + jb).fma(vb, c1);
            c2 = FloatVector.fromArray(SP, e, e2 + off + jb).fma(vb, c2);
            c3 = FloatVector.fromArray(SP, e, e3 + off + jb).fma(vb, c3);
            off += K;
            if (++s == S) {
                s = 0;
                off += rowE - S * K;
            }
        }
        a0.intoArray(out, o0 + ja);
        c0.intoArray(out, o0 + jb);
        a1.intoArray(out, o1 + ja);
        c1.intoArray(out, o1 + jb);
        a2.intoArray(out, o2 + ja);
        c2.intoArray(out, o2 + jb);
        a3.intoArray(out, o3 + ja);
        c3.intoArray(out, o3 + jb);
    }

    static void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Window2D g, int K) {
        int R = g.kH(), S = g.kW(), OH = g.outH(), OW = g.outW();
        int taps = R * S;
        int Hp = OH + R - 1;
        int rowE = (OW + S - 1) * K;        // floats per expanded input row and per padded dOut row
        int rowOut = OW * K;                // floats per dOut row
        int plane = Hp * rowE;              // floats per image in E and in D
        int reach = (R - 1) * rowE + (S - 1) * K;   // the farthest tap's offset
        int P = period(K);
        int stride = P * VL;                // chunks of one phase are this far apart
        if (R == 3 && S == 3 && rowOut >= VL) {
            backward3x3(dKernel, dBias, dOut, in, n, g, K);
            return;
        }
        int group = Math.max(1, Math.min(n, GROUP_FLOATS / plane));
        for (int b0 = 0; b0 < n; b0 += group) {
            int images = Math.min(group, n - b0);
            // Whole pairs of phase periods, zero-padded: every pass has the same whole number of steps.
            int len = (images * plane + 2 * stride - 1) / (2 * stride) * (2 * stride);
            // e: the group's expanded input, zero from images * plane to len + reach (+ VL slack for the spill).
            float[] e = scratch(EXPANDED, len + reach + VL);
            // d: the group's dOut in E's geometry, zero in the columns and rows E has beyond the output.
            float[] d = scratch(PADDED_DOUT, len);
            // sums: one pass's vectors (TAP_BLOCK taps, then the bias).
            float[] sums = scratch(SUMS, (TAP_BLOCK + 1) * VL);
            for (int i = 0; i < images; i++) {
                expand(e, i * plane, in, b0 + i, g, K);
                for (int oy = 0; oy < OH; oy++) {
                    int to = i * plane + oy * rowE;
                    System.arraycopy(dOut, ((b0 + i) * OH + oy) * rowOut, d, to, rowOut);
                    Arrays.fill(d, to + rowOut, to + rowE, 0f);
                }
                Arrays.fill(d, i * plane + OH * rowE, (i + 1) * plane, 0f);
            }
            Arrays.fill(e, images * plane, len + reach, 0f);
            Arrays.fill(d, images * plane, len, 0f);
            for (int t0 = 0; t0 < taps; t0 += TAP_BLOCK) {
                // Taps past the last repeat it (computed, not added).
                int o0 = offset(t0, taps, S, K, rowE), o1 = offset(t0 + 1, taps, S, K, rowE),
                        o2 = offset(t0 + 2, taps, S, K, rowE), o3 = offset(t0 + 3, taps, S, K, rowE),
                        o4 = offset(t0 + 4, taps, S, K, rowE);
                for (int q = 0; q < P; q++) {
                    pass(sums, e, d, len, q * VL, stride, o0, o1, o2, o3, o4);
                    int phase = q * VL % K;
                    for (int i = 0; i < TAP_BLOCK && t0 + i < taps; i++) {
                        addLanes(dKernel, (t0 + i) * K, sums, i * VL, phase, K);
                    }
                    if (t0 == 0 && dBias != null) {
                        addLanes(dBias, 0, sums, TAP_BLOCK * VL, phase, K);
                    }
                }
            }
        }
    }

    /**
     * Kernel and bias gradients of a 3x3 window with OW * K &gt;= VL, image by image: E (one
     * image, in L1) is read in place of a padded copy of dOut, row by row. Chunks of an output
     * row fall into P phase classes (chunk c at c * VL, c mod P) plus, when OW * K is not a
     * multiple of VL, the back-aligned last chunk, whose first lanes repeat the previous chunk's
     * and are dropped when the sums are added. Per class one flat pass (see {@link #rowPass})
     * adds its ten vectors to acc; the lanes are added to dKernel and dBias once at the end.
     */
    private static void backward3x3(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Window2D g, int K) {
        int OH = g.outH(), OW = g.outW();
        int Hp = OH + 2;
        int rowE = (OW + 2) * K;            // floats per expanded input row
        int rowOut = OW * K;                // floats per dOut row (>= VL here)
        int P = period(K);
        int full = rowOut / VL;             // chunks at c * VL
        int classes = rowOut % VL == 0 ? P : P + 1;   // class P: the back-aligned last chunk
        int fresh = VL - rowOut % VL;       // its first lane not repeating the previous chunk
        // e: one image's expanded input (VL floats of slack for expand's spill).
        float[] e = scratch(EXPANDED, Hp * rowE + VL);
        // zeros: stands for dOut rows above the first and below the last (never written).
        float[] zeros = scratch(PADDED_DOUT, rowOut);
        Arrays.fill(zeros, 0, rowOut, 0f);
        // acc: per class, nine tap vectors in (r, s) order then the bias vector, summed over images.
        float[] acc = scratch(SUMS, classes * 10 * VL);
        Arrays.fill(acc, 0, classes * 10 * VL, 0f);
        for (int b = 0; b < n; b++) {
            expand(e, 0, in, b, g, K);
            for (int q = 0; q < classes; q++) {
                if (q < P && q >= full) {
                    continue;                   // a class with no whole chunk in the row
                }
                int first = q < P ? q * VL : rowOut - VL;
                int perRow = q < P ? (full - q + P - 1) / P : 1;
                rowPass(acc, q * 10 * VL, e, dOut, zeros, b * OH * rowOut, OH, Hp, rowE, rowOut, first, perRow, P * VL, K);
            }
        }
        for (int q = 0; q < classes; q++) {
            int phase = q < P ? q * VL % K : (rowOut - VL) % K;
            int from = q < P ? 0 : fresh;
            for (int t = 0; t <= 9; t++) {
                float[] target = t < 9 ? dKernel : dBias;
                if (target == null) {
                    continue;
                }
                int k = (phase + from) % K;
                for (int l = from; l < VL; l++) {
                    target[(t < 9 ? t * K : 0) + k] += acc[(q * 10 + t) * VL + l];
                    if (++k == K) {
                        k = 0;
                    }
                }
            }
        }
    }

    /**
     * One class of chunks of one image, a 3x3 window: for each padded input row y of E (Hp rows)
     * and each of its perRow chunks (at first, first + step, ... in the row), the E vectors at
     * taps s = 0, 1, 2 meet the dOut vectors of output rows y, y - 1, y - 2 (taps r = 0, 1, 2),
     * nine products from six loads instead of ten. Output rows outside the image read the zeros
     * row instead. One flat loop over (row, chunk) with a cursor; the nine tap sums, then the sum
     * of dOut, are added to acc at accAt.
     */
    private static void rowPass(float[] acc, int accAt, float[] e, float[] dOut, float[] zeros, int image,
                                int OH, int Hp, int rowE, int rowOut, int first, int perRow, int step, int K) {
        FloatVector a00 = FloatVector.zero(SP), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00,
                a20 = a00, a21 = a00, a22 = a00, ab = a00;
        int k2 = 2 * K;
        // Row y = 0: dOut row 0 for r = 0, zeros for r = 1 and 2.
        int y = 0, c = 0, ei = first;
        float[] d0 = OH > 0 ? dOut : zeros, d1 = zeros, d2 = zeros;
        int p0 = (OH > 0 ? image : 0) + first, p1 = first, p2 = first;
        int steps = Hp * perRow;
        for (int t = 0; t < steps; t++) {
            FloatVector x0 = FloatVector.fromArray(SP, e, ei), x1 = FloatVector.fromArray(SP, e, ei + K),
                    x2 = FloatVector.fromArray(SP, e, ei + k2);
            FloatVector v0 = FloatVector.fromArray(SP, d0, p0), v1 = FloatVector.fromArray(SP, d1, p1),
                    v2 = FloatVector.fromArray(SP, d2, p2);
            a00 = x0.fma(v0, a00);
            a01 = x1.fma(v0, a01);
            a02 = x2.fma(v0, a02);
            a10 = x0.fma(v1, a10);
            a11 = x1.fma(v1, a11);
            a12 = x2.fma(v1, a12);
            a20 = x0.fma(v2, a20);
            a21 = x1.fma(v2, a21);
            a22 = x2.fma(v2, a22);
            ab = ab.add(v0);
            if (++c == perRow) {
                c = 0;
                y++;
                ei = y * rowE + first;
                // Output rows y, y - 1, y - 2 of this image, or zeros outside it.
                d0 = y < OH ? dOut : zeros;
                p0 = (y < OH ? image + y * rowOut : 0) + first;
                d1 = y - 1 < OH ? dOut : zeros;
                p1 = (y - 1 < OH ? image + (y - 1) * rowOut : 0) + first;
                d2 = y >= 2 && y - 2 < OH ? dOut : zeros;
                p2 = (y >= 2 && y - 2 < OH ? image + (y - 2) * rowOut : 0) + first;
            } else {
                ei += step;
                p0 += step;
                p1 += step;
                p2 += step;
            }
        }
        // Written out here: vectors passed to a method C2 does not inline get boxed.
        FloatVector.fromArray(SP, acc, accAt).add(a00).intoArray(acc, accAt);
        FloatVector.fromArray(SP, acc, accAt + VL).add(a01).intoArray(acc, accAt + VL);
        FloatVector.fromArray(SP, acc, accAt + 2 * VL).add(a02).intoArray(acc, accAt + 2 * VL);
        FloatVector.fromArray(SP, acc, accAt + 3 * VL).add(a10).intoArray(acc, accAt + 3 * VL);
        FloatVector.fromArray(SP, acc, accAt + 4 * VL).add(a11).intoArray(acc, accAt + 4 * VL);
        FloatVector.fromArray(SP, acc, accAt + 5 * VL).add(a12).intoArray(acc, accAt + 5 * VL);
        FloatVector.fromArray(SP, acc, accAt + 6 * VL).add(a20).intoArray(acc, accAt + 6 * VL);
        FloatVector.fromArray(SP, acc, accAt + 7 * VL).add(a21).intoArray(acc, accAt + 7 * VL);
        FloatVector.fromArray(SP, acc, accAt + 8 * VL).add(a22).intoArray(acc, accAt + 8 * VL);
        FloatVector.fromArray(SP, acc, accAt + 9 * VL).add(ab).intoArray(acc, accAt + 9 * VL);
    }

    /** Offset in E of tap min(t, taps - 1) from the window's top-left. */
    private static int offset(int t, int taps, int S, int K, int rowE) {
        int tap = Math.min(t, taps - 1);
        return tap / S * rowE + tap % S * K;
    }

    /** target[at + (phase + l) mod K] += sums[from + l] for the VL lanes l, in lane order. */
    private static void addLanes(float[] target, int at, float[] sums, int from, int phase, int K) {
        int k = phase;
        for (int l = 0; l < VL; l++) {
            target[at + k] += sums[from + l];
            if (++k == K) {
                k = 0;
            }
        }
    }

    /**
     * One phase's chunks (first, first + stride, ...) of the flat sequence: sums gets, for the
     * five taps at offsets o0..o4, the vector sum of E[i + o] * D[i], then the sum of D[i]. Two
     * chunks per step into separate accumulators (12 independent chains); len is a multiple of
     * 2 * stride, so steps are whole.
     */
    private static void pass(float[] sums, float[] e, float[] d, int len, int first, int stride,
                             int o0, int o1, int o2, int o3, int o4) {
        FloatVector a0 = FloatVector.zero(SP), a1 = a0, a2 = a0, a3 = a0, a4 = a0, ab = a0;
        FloatVector c0 = a0, c1 = a0, c2 = a0, c3 = a0, c4 = a0, cb = a0;
        for (int i = first; i < len; i += 2 * stride) {
            int i2 = i + stride;
            FloatVector x = FloatVector.fromArray(SP, d, i);
            FloatVector y = FloatVector.fromArray(SP, d, i2);
            a0 = FloatVector.fromArray(SP, e, i + o0).fma(x, a0);
            a1 = FloatVector.fromArray(SP, e, i + o1).fma(x, a1);
            a2 = FloatVector.fromArray(SP, e, i + o2).fma(x, a2);
            a3 = FloatVector.fromArray(SP, e, i + o3).fma(x, a3);
            a4 = FloatVector.fromArray(SP, e, i + o4).fma(x, a4);
            ab = ab.add(x);
            c0 = FloatVector.fromArray(SP, e, i2 + o0).fma(y, c0);
            c1 = FloatVector.fromArray(SP, e, i2 + o1).fma(y, c1);
            c2 = FloatVector.fromArray(SP, e, i2 + o2).fma(y, c2);
            c3 = FloatVector.fromArray(SP, e, i2 + o3).fma(y, c3);
            c4 = FloatVector.fromArray(SP, e, i2 + o4).fma(y, c4);
            cb = cb.add(y);
        }
        // Out through the scratch array: vectors passed to a method C2 does not inline get boxed.
        a0.add(c0).intoArray(sums, 0);
        a1.add(c1).intoArray(sums, VL);
        a2.add(c2).intoArray(sums, 2 * VL);
        a3.add(c3).intoArray(sums, 3 * VL);
        a4.add(c4).intoArray(sums, 4 * VL);
        ab.add(cb).intoArray(sums, 5 * VL);
    }
}
