package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Window2D;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;

import static io.github.purecnn.kernels.conv.VectorGemm.SPECIES;
import static io.github.purecnn.kernels.conv.VectorGemm.VL;

/**
 * The kernel and bias gradients of a convolution with few filters (2K &lt;= VL) followed by ReLU
 * and a pooling whose windows do not overlap, two taps to a vector: lanes [0, K) of vector j hold
 * the sums of tap 2j, filters 0..K-1, lanes [K, 2K) those of tap 2j + 1. One pixel then takes one
 * fused multiply-add per two taps, where vectors of filters alone (K of VL lanes busy) take one
 * per tap; the bias's sums ride along in one more vector. Each lane is still one sum's chain over
 * the shard's output pixels in canonical order (b, oy, ox), from +0:
 * {@code fma(in[pixel + tap], dz[pixel, k], acc)} for the kernel, plain additions of
 * {@code dz[pixel, k]} for the bias, as {@link ReferenceConv} adds them.
 *
 * <p>Per pixel the operands are two broadcasts merged at lane K (the taps' inputs) and the pixel's
 * output gradient dz twice over (lanes [0, K) and [K, 2K)): no lane crosses a vector, so loads and
 * blends, no shuffles. For average pooling dz is made there, from the saved output (which the
 * forward pass keeps twice over, see {@link VectorConvPool}) and the window's share of the pooled
 * gradient ({@code 0 + d * (1f / cells)}, made per pooled row into scratch), as ReLU's gate lets it
 * through; for max pooling it is read from the gradient the caller spread, and its second copy K
 * floats earlier.
 *
 * <p>Legend: taps = R*S*C; J = ceil(taps / 2) vectors of sums; Kp K rounded up to whole vectors;
 * PH, PW the pooled output.
 */
final class PairedTapsGradient {
    /** Vectors of sums one call holds in registers. */
    private static final int PASS = 5;
    private static final float[] IOTA = new float[VL];

    static {
        for (int i = 0; i < VL; i++) {
            IOTA[i] = i;
        }
    }

    private final VectorConv conv;
    private final Window2D pool;
    private final int K;
    private final int taps;
    /** Vectors of sums, J. */
    private final int vectors;
    /** first[j], second[j]: where tap 2j and tap 2j + 1 (2j again past the last tap) lie from a pixel's first input, J rounded up to passes (the last repeated). */
    private final int[] first;
    private final int[] second;
    /** windowRow[oy]: the pooled row whose windows take output row oy, or -1. */
    private final int[] windowRow;
    /** shareAt[ox]: where output column ox's share lies in a pooled row's shares (px * VL), or (PW + 1) * VL (zeros) under no window. */
    private final int[] shareAt;
    /** (PW + 1) * VL for every column: a row under no window. */
    private final int[] noShare;
    /** windowCols[px]: the columns of window px (fewer at a border). */
    private final int[] windowCols;

    PairedTapsGradient(VectorConv conv, int filters, Window2D pool) {
        this.conv = conv;
        this.pool = pool;
        this.K = filters;
        this.taps = conv.geometry().taps();
        this.vectors = (taps + 1) / 2;
        int rows = VectorConv.roundUp(vectors, PASS);
        first = new int[rows];
        second = new int[rows];
        int[] offsets = conv.tapOffsets();
        for (int j = 0; j < rows; j++) {
            int t = Math.min(2 * j, 2 * (vectors - 1));
            first[j] = offsets[t];
            second[j] = offsets[Math.min(t + 1, taps - 1)];
        }
        int OH = pool.inH(), OW = pool.inW(), PW = pool.outW();
        windowRow = new int[OH];
        Arrays.fill(windowRow, -1);
        for (int py = 0; py < pool.outH(); py++) {
            for (int oy = Math.max(pool.inRow(py, 0), 0); oy < Math.min(pool.inRow(py, 0) + pool.kH(), OH); oy++) {
                windowRow[oy] = py;
            }
        }
        shareAt = new int[OW];
        noShare = new int[OW];
        Arrays.fill(shareAt, (PW + 1) * VL);
        Arrays.fill(noShare, (PW + 1) * VL);
        windowCols = new int[PW];
        for (int px = 0; px < PW; px++) {
            windowCols[px] = Math.min(pool.inCol(px, 0) + pool.kW(), OW) - Math.max(pool.inCol(px, 0), 0);
            for (int ox = Math.max(pool.inCol(px, 0), 0); ox < Math.min(pool.inCol(px, 0) + pool.kW(), OW); ox++) {
                shareAt[ox] = px * VL;
            }
        }
    }

    /**
     * Whether the convolution suits: two taps' sums fit a vector (2K &lt;= VL), and an output row's
     * pixels start at consecutive inputs (one channel, unit column stride), so that the per-pixel
     * indices rise by constant steps and C2 checks their bounds once per row, not per load.
     */
    static boolean fits(Window2D conv, int filters) {
        return 2 * filters <= VL && conv.channels() == 1 && conv.strideW() == 1;
    }

    /**
     * Floats of scratch from the sums' start: J vectors of sums, the bias's vector, a vector that
     * later passes write their bias to; then a pooled row's shares (PW vectors, one that the last
     * runs into, one of zeros); then a vector of the pooled gradient padded with zeros.
     */
    int scratchSize() {
        return (vectors + 2 + pool.outW() + 3) * VL;
    }

    private int sharesAt(int at) {
        return at + (vectors + 2) * VL;
    }

    /** The sums at f[at] start from +0. */
    void start(float[] f, int at) {
        Arrays.fill(f, at, at + scratchSize(), 0f);
    }

    /**
     * The sums at f[at] continue over image b's output pixels, in order. a is the input as {@link
     * VectorConv#readable} gives it. Average pooling: z is the saved output (rows of Kp, twice over)
     * from zAt, dPooled the pooled gradient (n, PH, PW, K). Max pooling: z is the output gradient
     * the caller spread (rows of Kp, lanes [0, K)) from zAt, K floats before it readable; dPooled unused.
     * Either way zRow floats per output row.
     */
    void addImage(float[] f, int at, float[] a, int b, int n, boolean average, float[] z, int zAt, int zRow, float[] dPooled) {
        int OH = conv.geometry().outH(), OW = conv.geometry().outW();
        int shares = sharesAt(at);
        int sharedRow = -1;
        for (int oy = 0; oy < OH; oy++) {
            int py = windowRow[oy];
            if (average && py >= 0 && py != sharedRow) {
                sharesOfRow(f, shares, dPooled, b, py, n);
                sharedRow = py;
            }
            int[] cells = py >= 0 ? shareAt : noShare;
            for (int j0 = 0; j0 < vectors; j0 += PASS) {
                int bias = j0 == 0 ? at + vectors * VL : at + (vectors + 1) * VL;
                row(f, at, Math.min(PASS, vectors - j0), j0, bias, a, conv.pixelBase(b, oy, 0), OW,
                        z, zAt + oy * zRow, average ? 0 : K, average ? 1f : 0f, shares, cells);
            }
        }
    }

    /**
     * f[shares + px * VL ..] writes, for pooled row py of image b: lanes [0, K) and [K, 2K)
     * {@code 0 + d * (1f / cells)}, lanes past 2K whatever (ReLU's gate shuts them: the saved output
     * is 0 there). Each window's vector is stored twice, K lanes apart, running into the next one's,
     * which is stored after it; a vector that would run past dPooled is read from a copy padded with zeros.
     */
    private void sharesOfRow(float[] f, int shares, float[] dPooled, int b, int py, int n) {
        int PH = pool.outH(), PW = pool.outW();
        int end = n * PH * PW * K, tail = shares + (PW + 2) * VL;
        int rows = Math.min(pool.inRow(py, 0) + pool.kH(), pool.inH()) - Math.max(pool.inRow(py, 0), 0);
        FloatVector zero = FloatVector.zero(SPECIES);
        for (int px = 0; px < PW; px++) {
            float inv = 1f / (rows * windowCols[px]);
            int o = ((b * PH + py) * PW + px) * K;
            FloatVector d;
            if (o + VL <= end) {
                d = FloatVector.fromArray(SPECIES, dPooled, o);
            } else {
                Arrays.fill(f, tail, tail + VL, 0f);
                System.arraycopy(dPooled, o, f, tail, K);
                d = FloatVector.fromArray(SPECIES, f, tail);
            }
            FloatVector share = zero.add(d.mul(inv));
            share.intoArray(f, shares + px * VL);
            share.intoArray(f, shares + px * VL + K);
        }
    }

    /**
     * Vectors j0 .. j0 + count of the sums (rows past count repeat the last) and the bias's vector at
     * f[bias] continue over an output row's OW pixels, at p + ox in a and at d + ox * VL in z (Kp =
     * VL, as 2K &lt;= VL). Each
     * pixel's gradient: x = z[d] merged at lane K with z[d - back]; with {@code average} 1, the share
     * at f[shares + cells[ox]] where x &gt; 0, else 0; with 0, x itself. One loop per call: C2 on
     * JDK 17 keeps the vectors in registers through one loop, not through two nested.
     */
    private void row(float[] f, int at, int count, int j0, int bias, float[] a, int p, int OW,
                     float[] z, int d, int back, float average, int shares, int[] cells) {
        FloatVector lanes = FloatVector.fromArray(SPECIES, IOTA, 0);
        FloatVector zero = FloatVector.zero(SPECIES);
        float k = K;
        int s0 = at + j0 * VL, s1 = at + (j0 + Math.min(1, count - 1)) * VL, s2 = at + (j0 + Math.min(2, count - 1)) * VL;
        int s3 = at + (j0 + Math.min(3, count - 1)) * VL, s4 = at + (j0 + Math.min(4, count - 1)) * VL;
        int f0 = first[j0], f1 = first[j0 + 1], f2 = first[j0 + 2], f3 = first[j0 + 3], f4 = first[j0 + 4];
        int g0 = second[j0], g1 = second[j0 + 1], g2 = second[j0 + 2], g3 = second[j0 + 3], g4 = second[j0 + 4];
        FloatVector c0 = FloatVector.fromArray(SPECIES, f, s0), c1 = FloatVector.fromArray(SPECIES, f, s1);
        FloatVector c2 = FloatVector.fromArray(SPECIES, f, s2), c3 = FloatVector.fromArray(SPECIES, f, s3);
        FloatVector c4 = FloatVector.fromArray(SPECIES, f, s4), cb = FloatVector.fromArray(SPECIES, f, bias);
        VectorMask<Float> upper = lanes.compare(VectorOperators.GE, k);
        VectorMask<Float> shared = lanes.compare(VectorOperators.LT, average * VL);
        for (int ox = 0; ox < OW; ox++) {
            int q = p + ox, r = d + ox * VL;
            FloatVector x = FloatVector.fromArray(SPECIES, z, r).blend(FloatVector.fromArray(SPECIES, z, r - back), upper);
            FloatVector share = FloatVector.fromArray(SPECIES, f, shares + cells[ox]);
            FloatVector g = x.blend(zero, shared).blend(share, x.compare(VectorOperators.GT, 0f).and(shared));
            cb = cb.add(g);
            c0 = FloatVector.broadcast(SPECIES, a[q + f0]).blend(FloatVector.broadcast(SPECIES, a[q + g0]), upper).fma(g, c0);
            c1 = FloatVector.broadcast(SPECIES, a[q + f1]).blend(FloatVector.broadcast(SPECIES, a[q + g1]), upper).fma(g, c1);
            c2 = FloatVector.broadcast(SPECIES, a[q + f2]).blend(FloatVector.broadcast(SPECIES, a[q + g2]), upper).fma(g, c2);
            c3 = FloatVector.broadcast(SPECIES, a[q + f3]).blend(FloatVector.broadcast(SPECIES, a[q + g3]), upper).fma(g, c3);
            c4 = FloatVector.broadcast(SPECIES, a[q + f4]).blend(FloatVector.broadcast(SPECIES, a[q + g4]), upper).fma(g, c4);
        }
        // rows past count repeat the last one's chain, so they write the same values to the same place
        c0.intoArray(f, s0);
        c1.intoArray(f, s1);
        c2.intoArray(f, s2);
        c3.intoArray(f, s3);
        c4.intoArray(f, s4);
        cb.intoArray(f, bias);
    }

    /** dKernel (R, S, C, K) and dBias (K, unless null) write from the sums at f[at]. */
    void finish(float[] dKernel, float[] dBias, float[] f, int at) {
        for (int t = 0; t < taps; t++) {
            System.arraycopy(f, at + (t / 2) * VL + (t % 2) * K, dKernel, t * K, K);
        }
        if (dBias != null) {
            System.arraycopy(f, at + vectors * VL, dBias, 0, K);
        }
    }

    /** packed's forward rows (taps rows of Kp, as {@link VectorConv#pack} wrote them) write their lanes [0, K) again at [K, 2K). */
    void doubleRows(float[] rows, int at, int count, int Kp) {
        for (int t = 0; t < count; t++) {
            System.arraycopy(rows, at + t * Kp, rows, at + t * Kp + K, K);
        }
    }
}
