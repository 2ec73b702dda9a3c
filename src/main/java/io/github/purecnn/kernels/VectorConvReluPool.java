package io.github.purecnn.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ConvReluPool} on the Vector API for one input channel and unit strides: the first block
 * of an image model (the seed model's conv1 with its ReLU and pool1). Dimension legend as in
 * {@link VectorKernels}; T = R * S taps; PH/PW the pooled sizes.
 *
 * <p>Everything in pooled coordinates, with the pooled positions on the lanes. The convolution's
 * output cell (2 py + dy, 2 px + dx) is pooled cell (py, px) in parity plane p = (dy, dx); a
 * pooled cell is then the mean of four planes' values at the same lane, with no lane moved. The
 * padded input x (Hp x Wp, zeros where 'same' pads) is split the same way into four quarter
 * planes x_(a, c)[i][j] = x[2i + a][2j + c] of width Wq = ceil(Wp / 2). With the flat position
 * u = py * Wq + px, parity p reads tap t = (r, s) at quarter plane ((dy + r) mod 2, (dx + s) mod 2),
 * position u + ((dy + r) / 2) * Wq + (dx + s) / 2: a plain vector load. Columns px &gt;= PW are
 * scratch (zero gradient); a plane is {@code plane} floats, PH * Wq rounded up to whole vectors.
 * Only the NHWC sides move values between lanes: the input into the quarter planes (with 'valid'
 * padding and an even width of at least two vectors, a row's even and odd columns picked out of
 * two vectors by fixed permutations; otherwise through {@link IndexedCopy}) and the pooled values
 * out of (and their gradient into) the filter planes, through {@link IndexedCopy}; a gradient that
 * comes in planes ({@link #backwardParamsFromPlanes}) is copied in by rows.
 *
 * <p>Forward: per block of five position vectors and two filters, each parity's sums over the T
 * taps and the ReLU, stored into {@code saved} after the image's quarter planes (per image: 4
 * quarter planes, then (K, 4, plane)); then the mean of the four parities. Backward: dz_(p, k) =
 * a quarter of the pooled gradient where saved is positive, else 0; dKernel[t, k] sums
 * dz_(p, k)[u] * x(p, t)[u] over p and u, three taps by three filters in nine accumulators per
 * flat pass. Sums are kept per lane over the whole shard and added across lanes once per call.
 *
 * <p>Padding and scratch cells are made zero by multiplying with 0: so a NaN or infinite input
 * or gradient spreads further than in the reference kernels, which only happens once the loss is
 * non-finite anyway.
 *
 * <p>JDK 17: vector accumulators live only in single flat loops (see {@link VectorKernels}).
 * Scratch is per thread and grown once, so steady state allocates nothing. Each output is a
 * float sum in an order fixed by the shapes; the pooled mean adds the four cells in the
 * reference's order.
 */
final class VectorConvReluPool implements ConvReluPool {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SP.length();
    /**
     * Position vectors per forward pass: five, by two filters, ten accumulators. With six (twelve
     * accumulators, two broadcast weights and the loads) AVX2's sixteen registers ran out and C2
     * kept two to four accumulators on the stack, loaded and stored in every step: the seed
     * model's forward per shard of 16 took 66-72 us against 48-49 with five.
     */
    private static final int BLOCK = 5;
    /**
     * Taps per kernel-gradient pass: three taps by three filters, nine accumulators. Nine taps by
     * two filters (eighteen accumulators, for AVX-512's 32 registers) spilled on AVX2: the seed
     * model's backward per shard of 16 took 58-61 us against 53-57.
     */
    private static final int TAP_BLOCK = 3;
    private static final int PARITIES = 4;
    /**
     * The ReLU's other operand. With {@code max(0f)} instead (a scalar, broadcast at each use), C2 on
     * JDK 17 left the operation as a call into the boxing Java fallback in one compilation of
     * {@link #convolveBlock} (JMH, 2 threads: 147 KB allocated per training step); measured again
     * with this constant: 6 B per step, JMH's own.
     */
    private static final FloatVector ZERO = FloatVector.zero(SP);
    /** Lane l takes lane 2l mod VL (EVENS) or 2l + 1 mod VL (ODDS); UPPER selects lanes VL/2 and up. */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(SP, l -> 2 * l % VL);
    private static final VectorShuffle<Float> ODDS = VectorShuffle.fromOp(SP, l -> (2 * l + 1) % VL);
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(SP, -1L << (VL / 2));

    // Per-thread scratch slots, each grown once (then reused).
    private static final int POOLED = 0, GRADIENTS = 1, SUMS = 2;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[3][0]);

    private final Window2D g;
    private final int K;
    private final int T;
    private final int PH;
    private final int PW;
    private final int Wq;
    private final int plane;
    private final int quarter;          // floats per quarter plane: every read of a position vector stays inside
    private final boolean rowsByVectors;// whether split picks each input row's columns apart by vectors (see split)
    private final int[] reads;          // (4, T) offset in the quarter planes of parity p's tap t, from position u
    private final int[] fromInput;      // (4, quarter) for each quarter-plane cell, the input pixel it takes (0 where padding or slack)
    private final float[] insideInput;  // (4, quarter) 1 where a cell takes an input pixel, 0 elsewhere
    private final int[] toPooled;       // (PH * PW * K) for each NHWC pooled value, its index in the (K, plane) planes
    private final int[] fromPooled;     // (K, plane) for each plane position, the NHWC pooled value it takes (0 past the pooled cells)
    private final float[] quarterInside;// (K, plane) 0.25 at the pooled cells, 0 elsewhere

    private VectorConvReluPool(Window2D g, int K) {
        this.g = g;
        this.K = K;
        this.T = g.kH() * g.kW();
        this.PH = g.outH() / 2;
        this.PW = g.outW() / 2;
        int Hp = g.outH() + g.kH() - 1, Wp = g.outW() + g.kW() - 1;
        this.Wq = (Wp + 1) / 2;
        // At least one forward block of positions; the positions past PH * Wq are scratch.
        this.plane = Math.max((PH * Wq + VL - 1) / VL, BLOCK) * VL;
        int farthest = g.kH() / 2 * Wq + g.kW() / 2;
        this.quarter = (Math.max((Hp + 1) / 2 * Wq, plane + farthest) + VL - 1) / VL * VL;
        this.rowsByVectors = g.padTop() == 0 && g.padLeft() == 0 && g.inW() % 2 == 0 && g.inW() >= 2 * VL;
        this.reads = new int[PARITIES * T];
        for (int p = 0; p < PARITIES; p++) {
            int dy = p / 2, dx = p % 2;
            for (int t = 0; t < T; t++) {
                int y = dy + t / g.kW(), x = dx + t % g.kW();
                reads[p * T + t] = quarterCell(y, x);
            }
        }
        this.fromInput = new int[PARITIES * quarter];
        this.insideInput = new float[PARITIES * quarter];
        for (int iy = 0; iy < g.inH(); iy++) {
            for (int ix = 0; ix < g.inW(); ix++) {
                int at = quarterCell(iy + g.padTop(), ix + g.padLeft());
                fromInput[at] = iy * g.inW() + ix;
                insideInput[at] = 1f;
            }
        }
        this.toPooled = new int[PH * PW * K];
        this.fromPooled = new int[K * plane];
        this.quarterInside = new float[K * plane];
        for (int f = 0; f < PH * PW * K; f++) {
            int cell = f / K, k = f % K;
            int at = k * plane + cell / PW * Wq + cell % PW;
            toPooled[f] = at;
            fromPooled[at] = f;
            quarterInside[at] = 0.25f;
        }
    }

    /** Where padded input cell (y, x) lies in the quarter planes: plane (y mod 2, x mod 2), at (y / 2) * Wq + x / 2. */
    private int quarterCell(int y, int x) {
        return ((y % 2) * 2 + x % 2) * quarter + y / 2 * Wq + x / 2;
    }

    /** The pass for this geometry, or null: it needs C = 1, unit strides and an even output. */
    static ConvReluPool of(Window2D g, int K) {
        boolean fits = g.channels() == 1 && g.strideH() == 1 && g.strideW() == 1
                && g.outH() % 2 == 0 && g.outW() % 2 == 0;
        return fits ? new VectorConvReluPool(g, K) : null;
    }

    private static float[] scratch(int slot, int length) {
        float[][] all = SCRATCH.get();
        if (all[slot].length < length) {
            all[slot] = new float[length];
        }
        return all[slot];
    }

    @Override
    public int savedSize() {
        return PARITIES * (quarter + K * plane);
    }

    /**
     * Image b of in into the quarter planes at xq in a (4, quarter), zero where padding or slack.
     * Without padding and with an even width W &gt;= 2 VL, input row y is quarter row y / 2 of planes
     * (y mod 2, 0) and (y mod 2, 1), and each two vectors of it give one vector of even and one
     * of odd columns, by one-source permutations and a blend (AVX2, the seed model's forward pass
     * per shard of 16: 69-94 us with scalar copies through the index map, 61-77 with these).
     */
    private void split(float[] a, int xq, float[] in, int b) {
        if (!rowsByVectors) {
            IndexedCopy.gather(a, xq, in, b * g.inH() * g.inW(), fromInput, insideInput, PARITIES * quarter);
            return;
        }
        int H = g.inH(), W = g.inW();
        for (int y = 0; y < H; y++) {
            int from = (b * H + y) * W;
            int even = xq + y % 2 * 2 * quarter + y / 2 * Wq, odd = even + quarter;
            for (int x0 = 0; x0 < W; x0 += 2 * VL) {
                int x = Math.min(x0, W - 2 * VL);   // the last pair is back-aligned: it rewrites equal values
                FloatVector v0 = FloatVector.fromArray(SP, in, from + x), v1 = FloatVector.fromArray(SP, in, from + x + VL);
                v0.rearrange(EVENS).blend(v1.rearrange(EVENS), UPPER).intoArray(a, even + x / 2);
                v0.rearrange(ODDS).blend(v1.rearrange(ODDS), UPPER).intoArray(a, odd + x / 2);
            }
        }
        // Rows are whole (W / 2 = Wq columns each), so the slack is each plane's tail after its rows.
        for (int p = 0; p < PARITIES; p++) {
            Arrays.fill(a, xq + p * quarter + (H - p / 2 + 1) / 2 * Wq, xq + (p + 1) * quarter, 0f);
        }
    }

    @Override
    public void forward(float[] pooled, float[] saved, float[] in, float[] kernel, float[] bias, int n) {
        float[] mean = scratch(POOLED, K * plane);   // (K, plane) image b's pooled means, planar
        for (int b = 0; b < n; b++) {
            int s = b * savedSize();                 // saved: image b's quarter planes (4, quarter), then relu(conv + bias) (K, 4, plane)
            int xq = s, z = s + PARITIES * quarter;
            split(saved, xq, in, b);
            for (int p = 0; p < PARITIES; p++) {
                for (int k0 = 0; k0 < K; k0 += 2) {
                    for (int u0 = 0; u0 < plane; u0 += BLOCK * VL) {
                        // The last block is back-aligned: it rewrites equal values.
                        int u = Math.min(u0, plane - BLOCK * VL);
                        convolveBlock(saved, xq + u, z + p * plane + u, p, kernel, bias, k0, Math.min(k0 + 1, K - 1));
                    }
                }
            }
            // The mean of the four parities, added in the reference's order (row by row).
            for (int k = 0; k < K; k++) {
                int zk = z + k * PARITIES * plane;
                for (int u = 0; u < plane; u += VL) {
                    FloatVector.fromArray(SP, saved, zk + u)
                            .add(FloatVector.fromArray(SP, saved, zk + plane + u))
                            .add(FloatVector.fromArray(SP, saved, zk + 2 * plane + u))
                            .add(FloatVector.fromArray(SP, saved, zk + 3 * plane + u))
                            .mul(0.25f).intoArray(mean, k * plane + u);
                }
            }
            interleave(pooled, b * PH * PW * K, mean);
        }
    }

    /** pooled at {@code out} (PH, PW, K) writes from mean (K, plane). */
    private void interleave(float[] pooled, int out, float[] mean) {
        IndexedCopy.gather(pooled, out, mean, 0, toPooled, PH * PW * K);
    }

    /**
     * saved at {@code z} writes filters k0 and k1 (four planes per filter) of parity p over
     * BLOCK position vectors: relu(bias + sum over taps t of kernel[t, k] * x(p, t)), the taps'
     * inputs read from the quarter planes at {@code xq}. One flat loop over the taps: five loads
     * and two broadcasts per ten FMAs. When k1 repeats k0 it is stored first, then k0, equal.
     */
    private void convolveBlock(float[] saved, int xq, int z, int p, float[] kernel, float[] bias, int k0, int k1) {
        FloatVector b0 = biasOf(bias, k0), b1 = biasOf(bias, k1);
        FloatVector a00 = b0, a01 = b0, a02 = b0, a03 = b0, a04 = b0;
        FloatVector a10 = b1, a11 = b1, a12 = b1, a13 = b1, a14 = b1;
        for (int t = 0; t < T; t++) {
            int at = xq + reads[p * T + t];
            FloatVector w0 = FloatVector.broadcast(SP, kernel[t * K + k0]), w1 = FloatVector.broadcast(SP, kernel[t * K + k1]);
            FloatVector v = FloatVector.fromArray(SP, saved, at);
            a00 = w0.fma(v, a00);
            a10 = w1.fma(v, a10);
            v = FloatVector.fromArray(SP, saved, at + VL);
            a01 = w0.fma(v, a01);
            a11 = w1.fma(v, a11);
            v = FloatVector.fromArray(SP, saved, at + 2 * VL);
            a02 = w0.fma(v, a02);
            a12 = w1.fma(v, a12);
            v = FloatVector.fromArray(SP, saved, at + 3 * VL);
            a03 = w0.fma(v, a03);
            a13 = w1.fma(v, a13);
            v = FloatVector.fromArray(SP, saved, at + 4 * VL);
            a04 = w0.fma(v, a04);
            a14 = w1.fma(v, a14);
        }
        int z1 = z + k1 * PARITIES * plane, z0 = z + k0 * PARITIES * plane;
        a10.max(ZERO).intoArray(saved, z1);
        a11.max(ZERO).intoArray(saved, z1 + VL);
        a12.max(ZERO).intoArray(saved, z1 + 2 * VL);
        a13.max(ZERO).intoArray(saved, z1 + 3 * VL);
        a14.max(ZERO).intoArray(saved, z1 + 4 * VL);
        a00.max(ZERO).intoArray(saved, z0);
        a01.max(ZERO).intoArray(saved, z0 + VL);
        a02.max(ZERO).intoArray(saved, z0 + 2 * VL);
        a03.max(ZERO).intoArray(saved, z0 + 3 * VL);
        a04.max(ZERO).intoArray(saved, z0 + 4 * VL);
    }

    private static FloatVector biasOf(float[] bias, int k) {
        return FloatVector.broadcast(SP, bias == null ? 0f : bias[k]);
    }

    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dPooled, float[] saved, float[] in, int n) {
        backward(dKernel, dBias, dPooled, false, saved, n);
    }

    @Override
    public void backwardParamsFromPlanes(float[] dKernel, float[] dBias, float[] dPooledPlanes, float[] saved, float[] in, int n) {
        backward(dKernel, dBias, dPooledPlanes, true, saved, n);
    }

    /** The kernel and bias gradients from the pooled gradient g: (N, PH, PW, K), or (N, K, PH, PW) when {@code planes}. */
    private void backward(float[] dKernel, float[] dBias, float[] g, boolean planes, float[] saved, int n) {
        float[] dq = scratch(POOLED, K * plane);                 // (K, plane) a quarter of image b's pooled gradient, planar; zero past the cells
        float[] dz = scratch(GRADIENTS, K * PARITIES * plane);   // (K, 4, plane) image b's gradient of conv + bias, by parity
        int tapSums = K * T * VL;
        float[] sums = scratch(SUMS, tapSums + K * VL);          // (K, T, VL) dKernel per lane, then (K, VL) dBias per lane
        Arrays.fill(sums, 0, tapSums + K * VL, 0f);
        if (planes) {
            // Only the pooled cells are written below: the others (columns past PW, the tail) are
            // zeroed once, as the forward pass leaves its means in this scratch too.
            Arrays.fill(dq, 0, K * plane, 0f);
        }
        for (int b = 0; b < n; b++) {
            // A quarter of image b's pooled gradient into planes, zero past the pooled cells: from planes
            // by rows of vectors, from NHWC through the index map (the pass per shard of 16: 41-43 us
            // against 48-56).
            if (planes) {
                for (int k = 0; k < K; k++) {
                    for (int py = 0; py < PH; py++) {
                        int from = ((b * K + k) * PH + py) * PW, to = k * plane + py * Wq;
                        int px = 0;
                        // Rows of at least a vector by vectors, the last one moved back (it rewrites equal values).
                        for (int x0 = 0; PW >= VL && x0 < PW; x0 += VL) {
                            px = Math.min(x0, PW - VL);
                            FloatVector.fromArray(SP, g, from + px).mul(0.25f).intoArray(dq, to + px);
                            px += VL;
                        }
                        for (; px < PW; px++) {
                            dq[to + px] = g[from + px] * 0.25f;
                        }
                    }
                }
            } else {
                IndexedCopy.gather(dq, 0, g, b * PH * PW * K, fromPooled, quarterInside, K * plane);
            }
            int xq = b * savedSize(), z = xq + PARITIES * quarter;
            for (int k = 0; k < K; k++) {
                mask(dz, dq, k, saved, z, sums, tapSums + k * VL);
            }
            for (int k0 = 0; k0 < K; k0 += 3) {
                for (int t0 = 0; t0 < T; t0 += TAP_BLOCK) {
                    kernelSums(dz, saved, xq, sums, k0, Math.min(k0 + 1, K - 1), Math.min(k0 + 2, K - 1), t0);
                }
            }
        }
        for (int k = 0; k < K; k++) {
            for (int t = 0; t < T; t++) {
                dKernel[t * K + k] = FloatVector.fromArray(SP, sums, (k * T + t) * VL).reduceLanes(VectorOperators.ADD);
            }
            if (dBias != null) {
                dBias[k] = FloatVector.fromArray(SP, sums, tapSums + k * VL).reduceLanes(VectorOperators.ADD);
            }
        }
    }

    /**
     * dz (K, 4, plane) writes filter k: dq_k where the saved output is positive (the ReLU's
     * gradient), else 0, for each parity; sums[at] (VL) adds its lanes. A compare and a blend: the
     * arithmetic gate min(min(y * 2^100, 1) * 2^100, 1) it replaced took twelve instructions per
     * vector (Java's min keeps NaN and orders -0 below 0, by blends), the pass 53.4-53.6 us per
     * shard of 16 against 51.4-52.5 (AVX2).
     */
    private void mask(float[] dz, float[] dq, int k, float[] saved, int z, float[] sums, int at) {
        int from = k * PARITIES * plane, planes = PARITIES * plane;
        // One flat loop over the four parity planes of filter k, all masking the same dq_k.
        FloatVector acc = FloatVector.fromArray(SP, sums, at);
        int u = 0;
        for (int i = 0; i < planes; i += VL) {
            FloatVector y = FloatVector.fromArray(SP, saved, z + from + i);
            FloatVector g = ZERO.blend(FloatVector.fromArray(SP, dq, k * plane + u), y.compare(VectorOperators.GT, 0f));
            g.intoArray(dz, from + i);
            acc = acc.add(g);
            u += VL;
            if (u == plane) {
                u = 0;
            }
        }
        acc.intoArray(sums, at);
    }

    /**
     * sums (K, T, VL) adds, for filters k0, k1, k2 and taps t0 .. t0 + 2, the lanes of
     * dz_(p, k)[u] * x(p, t)[u] over parities p and positions u. Filters past K repeat the last
     * filter and taps past T the last tap: their sums start from and end at the same values as the
     * real one's, and are stored before it.
     */
    private void kernelSums(float[] dz, float[] a, int xq, float[] sums, int k0, int k1, int k2, int t0) {
        int last = Math.min(t0 + TAP_BLOCK - 1, T - 1) - t0;
        // Sums of (k, tap t0 + i) at e + i * VL.
        int e0 = (k0 * T + t0) * VL, e1 = (k1 * T + t0) * VL, e2 = (k2 * T + t0) * VL;
        int i1 = Math.min(1, last) * VL, i2 = Math.min(2, last) * VL;
        FloatVector a00 = FloatVector.fromArray(SP, sums, e0), a01 = FloatVector.fromArray(SP, sums, e0 + i1),
                a02 = FloatVector.fromArray(SP, sums, e0 + i2);
        FloatVector a10 = FloatVector.fromArray(SP, sums, e1), a11 = FloatVector.fromArray(SP, sums, e1 + i1),
                a12 = FloatVector.fromArray(SP, sums, e1 + i2);
        FloatVector a20 = FloatVector.fromArray(SP, sums, e2), a21 = FloatVector.fromArray(SP, sums, e2 + i1),
                a22 = FloatVector.fromArray(SP, sums, e2 + i2);
        int vectors = plane / VL;
        int f0 = k0 * PARITIES * plane, f1 = k1 * PARITIES * plane, f2 = k2 * PARITIES * plane;
        int u = 0, p = 0;
        int q0 = 0, q1 = 0, q2 = 0;
        // cell = p * plane + u: filter k's dz planes are contiguous, so one cursor walks them.
        for (int cell = 0; cell < vectors * PARITIES * VL; cell += VL) {
            if (u == 0) {
                // A new parity: its taps' read offsets.
                int r = p * T + t0;
                q0 = xq + reads[r];
                q1 = xq + reads[r + i1 / VL];
                q2 = xq + reads[r + i2 / VL];
            }
            FloatVector z0 = FloatVector.fromArray(SP, dz, cell + f0), z1 = FloatVector.fromArray(SP, dz, cell + f1),
                    z2 = FloatVector.fromArray(SP, dz, cell + f2);
            FloatVector v = FloatVector.fromArray(SP, a, u + q0);
            a00 = z0.fma(v, a00);
            a10 = z1.fma(v, a10);
            a20 = z2.fma(v, a20);
            v = FloatVector.fromArray(SP, a, u + q1);
            a01 = z0.fma(v, a01);
            a11 = z1.fma(v, a11);
            a21 = z2.fma(v, a21);
            v = FloatVector.fromArray(SP, a, u + q2);
            a02 = z0.fma(v, a02);
            a12 = z1.fma(v, a12);
            a22 = z2.fma(v, a22);
            u += VL;
            if (u == plane) {
                u = 0;
                p++;
            }
        }
        // Higher filters first and higher taps first: a repeat is stored before the real one, with equal values.
        a22.intoArray(sums, e2 + i2);
        a21.intoArray(sums, e2 + i1);
        a20.intoArray(sums, e2);
        a12.intoArray(sums, e1 + i2);
        a11.intoArray(sums, e1 + i1);
        a10.intoArray(sums, e1);
        a02.intoArray(sums, e0 + i2);
        a01.intoArray(sums, e0 + i1);
        a00.intoArray(sums, e0);
    }
}
