package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.VectorElementwise;
import io.github.purecnn.kernels.Window2D;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static io.github.purecnn.kernels.conv.VectorGemm.SPECIES;
import static io.github.purecnn.kernels.conv.VectorGemm.VL;
import static io.github.purecnn.kernels.conv.VectorGemm.ZEROS;

/**
 * The general Vector API convolution: every geometry (any channels, filters, window, strides,
 * padding, dilation) and a dense layer, all three passes as implicit matrix products on the
 * register-blocked micro-kernels of {@link VectorGemm}. Vectors run across filters (forward,
 * kernel gradient) or input channels (input gradient), so each output is one lane's chain of fused
 * multiply-adds in the canonical order of {@link ReferenceConv}, whatever the vector width.
 *
 * <p>Blocks of rows run through the whole shard in order, across output rows and images, so that
 * only the shard's last block is partial. Bias and ReLU are applied in registers.
 *
 * <ul>
 *   <li>Padding: the forward pass and the kernel gradient read the shard's images copied into
 *       zero-bordered scratch, so every window cell is inside an array; a padded cell adds a zero
 *       term, which leaves a sum started from zero unchanged.</li>
 *   <li>Input gradient: a transposed convolution over the output gradient, one matrix product per
 *       stride phase ({@link PhasedInputGradient}).</li>
 *   <li>Kernel gradient: blocks of taps, each summed over the shard's pixels a chunk of images at
 *       a time (the chunk's input and output gradient stay in the core's cache while every block
 *       of taps passes over them); a block's sums go to dKernel and continue from there with the
 *       next chunk, the same chain of fused multiply-adds. A block of taps side by side in the
 *       input (the taps (s, c) of one window row are) runs on {@link VectorTapGemm}, whose rows'
 *       loads share one bounds check.</li>
 *   <li>Filters not whole vectors: the last group of vectors ends at K ({@link #firstFilter}), its
 *       results straight to the output and (in one chunk) to dKernel; where it cannot (fewer
 *       filters, channels, several chunks), through a tile or rows of Kp, first lanes copied out.</li>
 * </ul>
 *
 * <p>Legend: n images; H, W, C input; R, S window; K filters; OH, OW output; Kp, Cp K and C rounded up
 * to whole vectors; PH, PW the zero-bordered input; QH, QW the zero-bordered output gradient.
 */
public final class VectorConv implements ConvPlan {
    /** The plan's name for logs and benchmarks. */
    public static final String NAME = "vector gemm";
    /** Rows of the taller micro-kernel: the most rows one block computes. */
    private static final int MAX_ROWS = 12;
    /** Pixels per chunk of the kernel gradient, at least (whole images): their data stays in cache. */
    private static final int CHUNK_PIXELS = 512;
    /**
     * Kernel rows (r, s, c) per part of the packing, which threads share: a dense layer repacks
     * its whole kernel after every update, and parts of 64 rows write mostly cache lines of their
     * own (a line two parts share costs only time).
     */
    private static final int PACK_ROWS = 64;
    // scratch ints: a block's rows of a, its rows of c, the tile's rows, zeros; then (kernel gradient) the pixels' bases
    static final int ROWS = 0;
    static final int C_ROWS = MAX_ROWS;
    private static final int TILE_ROWS = 2 * MAX_ROWS;
    private static final int ZERO_ROWS = 3 * MAX_ROWS;
    private static final int PIXELS = 4 * MAX_ROWS;

    private final Window2D g;
    private final int K;
    private final int Kp;
    private final int Cp;
    private final int taps;

    // ---- forward and kernel gradient: the input, zero-bordered when the window reaches outside ----
    private final boolean padInput;
    private final int PH;
    private final int PW;
    /** tapOffsets[t], t = (r, s, c): where tap t of an output pixel lies from the pixel's first cell, (R*S*C) */
    private final int[] tapOffsets;
    /** tapRows[t]: where tap t's row of weights starts in the kernel the forward pass reads (as given, or packed to Kp) */
    private final int[] tapRows;
    /** where output pixel (b, oy, ox) starts in the (bordered) input: b * imageStep + oy * rowStep + ox * colStep */
    private final int imageStep;
    private final int rowStep;
    private final int colStep;
    /** Whether the forward pass reads the kernel padded to Kp filters (else as given). */
    private final boolean packedForward;
    /** Whether the last group of vectors of filters ends at K (see {@link #firstFilter}): K not whole vectors, but at least that group's lanes. */
    private final boolean shiftsLastGroup;

    // ---- input gradient ----
    /** phase (py, px) of input cells, taken in the order py, px */
    private final Phase[] phases;
    private final PhasedInputGradient inputGradient;

    public VectorConv(Window2D g, int filters) {
        this.g = g;
        this.K = filters;
        this.Kp = roundUp(filters, VL);
        this.Cp = roundUp(g.channels(), VL);
        this.taps = g.taps();
        this.packedForward = K % VL != 0;
        int last = 0;
        for (int v = 0; v < Kp / VL; v += group(v, Kp / VL)) {
            last = v;
        }
        this.shiftsLastGroup = K % VL != 0 && K >= group(last, Kp / VL) * VL;
        int R = g.kH(), S = g.kW(), C = g.channels();

        padInput = g.padded();
        PH = padInput ? Math.max(g.padTop() + g.inH(), g.inRow(g.outH() - 1, R - 1) + g.padTop() + 1) : g.inH();
        PW = padInput ? Math.max(g.padLeft() + g.inW(), g.inCol(g.outW() - 1, S - 1) + g.padLeft() + 1) : g.inW();
        tapOffsets = new int[taps];
        for (int r = 0, t = 0; r < R; r++) {
            for (int s = 0; s < S; s++) {
                for (int c = 0; c < C; c++, t++) {
                    tapOffsets[t] = (r * g.dilationH() * PW + s * g.dilationW()) * C + c;
                }
            }
        }
        tapRows = new int[taps];
        for (int t = 0; t < taps; t++) {
            tapRows[t] = t * (packedForward ? Kp : K);
        }
        imageStep = PH * PW * C;
        rowStep = g.strideH() * PW * C;
        colStep = g.strideW() * C;

        phases = Phase.all(g, K, Cp, packedForward ? taps * Kp : 0);
        inputGradient = new PhasedInputGradient(g, K, Cp, phases);
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
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
        return inputGradient.packedEnd();
    }

    /**
     * packed writes: where the filters are not whole vectors, [0, R*S*C*Kp) the kernel in rows of
     * Kp with zeros past K; then per phase, for each of its window cells and each filter k, the C
     * weights of (cell, ., k), padded to Cp.
     */
    @Override
    public void pack(float[] packed, float[] kernel) {
        for (int part = 0; part < packParts(); part++) {
            pack(packed, kernel, part);
        }
    }

    /** Parts of {@link #PACK_ROWS} kernel rows (r, s, c) each. */
    @Override
    public int packParts() {
        return (taps + PACK_ROWS - 1) / PACK_ROWS;
    }

    /**
     * {@link #pack(float[], float[])} for kernel rows (r, s, c) [part * PACK_ROWS, +PACK_ROWS): their
     * padded copies, and their columns of every phase's transposed cells (with a cell's padding
     * columns past C where the part holds its last channel).
     */
    @Override
    public void pack(float[] packed, float[] kernel, int part) {
        int row0 = part * PACK_ROWS, row1 = Math.min(taps, row0 + PACK_ROWS);
        if (packedForward) {
            for (int t = row0; t < row1; t++) {
                System.arraycopy(kernel, t * K, packed, t * Kp, K);
                Arrays.fill(packed, t * Kp + K, (t + 1) * Kp, 0f);
            }
        }
        inputGradient.pack(packed, kernel, row0, row1);
    }

    /** Floats at the start of the scratch that {@link #readable} fills: 0 when the window stays inside. */
    int paddedInputSize(int n) {
        return padInput ? n * PH * PW * g.channels() : 0;
    }

    /** The kernel gradient's sums in rows of Kp (when K is not whole vectors), its bias's, and its copy of the last pixels' gradient. */
    private int paramsSize() {
        return (K % VL != 0 ? taps * Kp : 0) + Kp + (VL + 1) * Kp;
    }

    /** What a pass keeps first in its scratch floats; then a tile of a block's results, then the bias padded to Kp. */
    private int dataSize(int n) {
        int forward = paddedInputSize(n);
        int backwardParams = paddedInputSize(n) + paramsSize();
        return Math.max(forward, backwardParams);
    }

    @Override
    public int scratchFloats(int n) {
        return dataSize(n) + TILE + Kp;
    }

    /**
     * A block's rows of a, of c, of the tile, zeros; then (kernel gradient) where each of the n * OH * OW
     * output pixels starts in the input, and where its row of the output gradient starts.
     */
    @Override
    public int scratchInts(int n) {
        return PIXELS + 2 * n * g.outPixels();
    }

    /** Where the kernel gradient's rows of the output gradient lie in the scratch ints: after the n images' pixels' bases. */
    private int pixelRowsAt(int n) {
        return PIXELS + n * g.outPixels();
    }

    /**
     * Where the input gradient's weights start in the packed kernel. With unit strides there is one
     * phase: for each window cell r * S + s and filter k, a row of Cp channels (zeros past C).
     */
    int inputWeightsAt() {
        return phases[0].packedOffset();
    }

    /** K rounded up to whole vectors. */
    int paddedFilters() {
        return Kp;
    }

    /** Where each tap of an output pixel lies from the pixel's first input value, in canonical order. */
    int[] tapOffsets() {
        return tapOffsets;
    }

    /** Where output pixel (image, oy, ox) starts in the input as {@link #readable} gives it. */
    int pixelBase(int image, int oy, int ox) {
        return image * imageStep + oy * rowStep + ox * colStep;
    }

    /** The weights the forward pass reads: the kernel as given, or packed to rows of Kp. */
    float[] forwardWeights(float[] kernel, float[] packed) {
        return packedForward ? packed : kernel;
    }

    /** The distance between two taps' rows of {@link #forwardWeights}. */
    int forwardWeightStride() {
        return packedForward ? Kp : K;
    }

    /** The rows of the tile and the zero rows, at their places in the scratch ints. */
    static void tileRows(int[] ix) {
        for (int i = 0; i < MAX_ROWS; i++) {
            ix[TILE_ROWS + i] = i * 4 * VL;
            ix[ZERO_ROWS + i] = 0;
        }
    }

    /**
     * The first filter of the group of {@code lanes} filters from vector v in rows of K: v * VL, or K - lanes for the last
     * group where it would run past K: it repeats the group before's last outputs, the same chains, so the same bits.
     */
    private int firstFilter(int v, int lanes) {
        return shiftsLastGroup && v * VL + lanes > K ? K - lanes : v * VL;
    }

    /**
     * Vectors per row of the block that starts at vector v of {@code vectors}: four (6x4) where
     * the registers hold them and four remain, else two (12x2 or 6x2, see {@link #height}) where
     * two remain, else one (12x1).
     */
    static int group(int v, int vectors) {
        int left = vectors - v;
        return left >= VectorGemm.WIDEST ? VectorGemm.WIDEST : left >= 2 ? 2 : 1;
    }

    /**
     * Rows of a block of {@code group} vectors per row when {@code left} rows remain: twelve for
     * one vector (12x1), and for two where the registers hold 24 accumulators (12x2) and more than
     * six rows remain (fewer take 6x2, which wastes less); else six.
     */
    static int height(int group, int left) {
        return group == 1 || group == 2 && VectorGemm.WIDEST == 4 && left > 6 ? MAX_ROWS : 6;
    }

    /**
     * One block of {@code height} rows (the first {@code count} real, the others repeating
     * the last) by {@code group} vectors, whose rows of a are at ROWS and of the output at C_ROWS
     * in ix: into {@code out} at {@code cOff} when {@code direct} (its vectors lie within each
     * output row), else through the tile at {@code tile} in f, whose first {@code width} lanes are
     * copied out.
     */
    static void block(int group, int height, boolean direct, int width, int count, float[] out, int cOff, float[] f, int tile,
                      int[] ix, float[] a, int[] terms, int t0, int t1, float[] b, int bOff, int[] bTerms,
                      float[] bias, int biasOff, float floor) {
        float[] c = direct ? out : f;
        int cRows = direct ? C_ROWS : TILE_ROWS;
        int off = direct ? cOff : tile;
        VectorGemm.product(group, height, c, ix, cRows, off, ZEROS, ZERO_ROWS, 0, a, ROWS, terms, t0, t1, b, bOff, bTerms, 0, bias, biasOff, floor);
        if (!direct) {
            for (int i = 0; i < count; i++) {
                System.arraycopy(f, tile + i * 4 * VL, out, ix[C_ROWS + i] + cOff, width);
            }
        }
    }

    // ---- forward ----

    /**
     * out (n, OH, OW, K) writes. Blocks of 6 (or 12) consecutive output pixels, across rows and
     * images, times 2 (or 1) vectors of filters; bias and ReLU in registers.
     */
    @Override
    public void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch) {
        float[] f = scratch.floats();
        int[] ix = scratch.ints();
        tileRows(ix);
        float[] a = readable(in, f, n);
        int tile = dataSize(n);
        int biasAt = tile + TILE;
        forwardPixels(out, K, a, kernel, packed, biasInto(f, biasAt, bias), biasAt, relu ? 0f : Float.NEGATIVE_INFINITY,
                0, n * g.outPixels(), f, tile, ix);
    }

    /** Floats of a block's tile in scratch. */
    static final int TILE = MAX_ROWS * 4 * VL;

    /**
     * The bias padded with zeros to Kp at f[at], to be read as vectors: f, or {@link VectorGemm#ZEROS}
     * (adding nothing) without a bias.
     */
    float[] biasInto(float[] f, int at, float[] bias) {
        if (bias == null) {
            return ZEROS;
        }
        System.arraycopy(bias, 0, f, at, K);
        Arrays.fill(f, at + K, at + Kp, 0f);
        return f;
    }

    /**
     * out[p * ldo + k] writes, for the shard's output pixels p in [p0, p1) and k &lt; K (and, when
     * ldo &gt;= Kp, zeros past K): the convolution of a (the input as {@link #readable} gives it),
     * plus the bias (biasArray from {@link #biasInto}), then {@code max(., floor)}. f holds the
     * tile at {@code tile} ({@link #TILE} floats), ix the scratch ints, with {@link #tileRows} done.
     */
    void forwardPixels(float[] out, int ldo, float[] a, float[] kernel, float[] packed, float[] biasArray, int biasAt,
                       float floor, int p0, int p1, float[] f, int tile, int[] ix) {
        float[] w = packedForward ? packed : kernel;
        int vectors = Kp / VL;
        for (int v = 0, group; v < vectors; v += group) {
            group = group(v, vectors);
            int lanes = group * VL;
            int k0 = ldo < Kp ? firstFilter(v, lanes) : v * VL;
            int width = Math.min(lanes, K - k0);
            int biasOff = biasArray == ZEROS ? 0 : biasAt + k0;
            for (int q = p0, height; q < p1; q += height) {
                height = height(group, p1 - q);
                int count = Math.min(height, p1 - q);
                pixelBases(ix, q, count, height);
                for (int i = 0; i < height; i++) {
                    ix[C_ROWS + i] = (q + Math.min(i, count - 1)) * ldo;
                }
                block(group, height, k0 + lanes <= ldo, width, count, out, k0, f, tile, ix, a, tapOffsets, 0, taps, w, k0, tapRows,
                        biasArray, biasOff, floor);
            }
        }
    }

    /** ix[ROWS .. ROWS + height) write: where output pixels q .. q + count of the shard start in the (bordered) input; the last repeated. */
    private void pixelBases(int[] ix, int q, int count, int height) {
        int OW = g.outW(), pixelsPerImage = g.outPixels();
        int b = q / pixelsPerImage, rem = q % pixelsPerImage;
        int oy = rem / OW, ox = rem % OW;
        for (int i = 0; i < height; i++) {
            ix[ROWS + i] = b * imageStep + oy * rowStep + ox * colStep;
            if (i + 1 < count && ++ox == OW) {
                ox = 0;
                if (++oy == g.outH()) {
                    oy = 0;
                    b++;
                }
            }
        }
    }

    /** The images as the window reads them: in itself, or, where it reaches outside, framed by zero borders in f from 0. */
    float[] readable(float[] in, float[] f, int n) {
        if (!padInput) {
            return in;
        }
        padImages(f, in, n);
        return f;
    }

    /** f [0, n*PH*PW*C) writes: each image of in framed by its zero border. */
    private void padImages(float[] f, float[] in, int n) {
        int H = g.inH(), W = g.inW(), C = g.channels();
        Arrays.fill(f, 0, paddedInputSize(n), 0f);
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < H; y++) {
                System.arraycopy(in, ((b * H + y) * W) * C, f, ((b * PH + y + g.padTop()) * PW + g.padLeft()) * C, W * C);
            }
        }
    }

    // ---- input gradient ----

    /** dIn (n, H, W, C) writes: see {@link PhasedInputGradient}. */
    @Override
    public void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch) {
        tileRows(scratch.ints());
        inputGradient.run(dIn, dOut, packed, n, scratch.floats(), dataSize(n), scratch.ints());
    }

    // ---- kernel gradient ----

    /**
     * dKernel (R, S, C, K) writes: blocks of 6 (or 12) taps times 2 (or 1) vectors of filters, each
     * summed over the shard's output pixels a chunk of images at a time; dBias (K) the output
     * gradient summed over the pixels.
     */
    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch) {
        float[] f = scratch.floats();
        int[] ix = scratch.ints();
        tileRows(ix);
        float[] a = readable(in, f, n);
        int pixelsPerImage = g.outPixels();
        int pixelCount = n * pixelsPerImage;
        // The sums in dKernel where every group ends within K: whole vectors, or the last group shifted
        // (firstFilter) in one chunk (a continued sum would read the overlap already updated); else
        // in rows of Kp in scratch. Then the bias's: in place, their last vector shifted at tailAt.
        boolean inPlace = K % VL == 0 || shiftsLastGroup && n <= imagesPerChunk();
        int biasWidth = inPlace ? K / VL * VL : Kp;
        int at = paddedInputSize(n);
        float[] sums = dKernel;
        int sumsAt = 0;
        int ldk = K;
        if (!inPlace) {
            sums = f;
            sumsAt = at;
            ldk = Kp;
            at += taps * Kp;
        }
        int biasSums = at, tailAt = biasSums + Kp;
        Arrays.fill(f, biasSums, tailAt + VL, 0f);
        pixelBasesAll(ix, n);
        // Rows of dOut are read as whole vectors, in scratch rows past K (those lanes' sums are
        // dropped); the last pixels, whose vectors would run past dOut, from a padded copy.
        int whole = inPlace ? pixelCount : Math.min(pixelCount, Math.max(0, Math.floorDiv(dOut.length - Kp, K) + 1));
        int imagesPerChunk = imagesPerChunk();
        for (int b0 = 0; b0 < n; b0 += imagesPerChunk) {
            int p0 = b0 * pixelsPerImage;
            int p1 = Math.min(Math.min(n, b0 + imagesPerChunk) * pixelsPerImage, whole);
            if (p0 < p1) {
                paramsPixels(sums, sumsAt, ldk, a, dOut, 0, K, pixelsPerImage, g.outW(), p0, p1, ix, n);
                addRows(f, biasSums, dOut, 0, K, p0, p1, biasWidth);
                if (biasWidth < K) {
                    addRows(f, tailAt, dOut, K - VL, K, p0, p1, VL);
                }
            }
        }
        if (whole < pixelCount) {
            Arrays.fill(f, tailAt, tailAt + (pixelCount - whole) * Kp, 0f);
            for (int p = whole; p < pixelCount; p++) {
                System.arraycopy(dOut, p * K, f, tailAt + (p - whole) * Kp, K);
            }
            int tailBase = tailAt - whole * Kp;
            paramsPixels(sums, sumsAt, ldk, a, f, tailBase, Kp, pixelsPerImage, g.outW(), whole, pixelCount, ix, n);
            addRows(f, biasSums, f, tailBase, Kp, whole, pixelCount, Kp);
        }
        if (sums != dKernel) {
            for (int t = 0; t < taps; t++) {
                System.arraycopy(sums, sumsAt + t * Kp, dKernel, t * K, K);
            }
        }
        if (dBias != null) {
            int copied = Math.min(biasWidth, K);
            System.arraycopy(f, biasSums, dBias, 0, copied);
            System.arraycopy(f, tailAt + VL - (K - copied), dBias, copied, K - copied);
        }
    }

    /** Images per chunk of the kernel gradient: at least {@link #CHUNK_PIXELS} pixels, whole images. */
    int imagesPerChunk() {
        return Math.max(1, (CHUNK_PIXELS + g.outPixels() - 1) / g.outPixels());
    }

    /** ix from {@link #PIXELS} writes: where each of the n images' output pixels starts in the (bordered) input, in canonical order. */
    void pixelBasesAll(int[] ix, int n) {
        int at = PIXELS;
        for (int img = 0; img < n; img++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    ix[at++] = img * imageStep + oy * rowStep + ox * colStep;
                }
            }
        }
    }

    /**
     * sums (taps rows of ldk floats from sumsAt: Kp of them summed, or, in rows narrower than Kp, K
     * with the last group shifted as {@link #firstFilter} says, which only sums that start from
     * zero allow) continue with the shard's output pixels [p0, p1) (start from zero, with p0 = 0): row t adds {@code a[pixel base + tapOffsets[t]] * b[bBase + p * ldb + k]}
     * for each pixel p in order. Blocks of 6 (or 12) taps by 2 (or 1) vectors of filters: the
     * forward's product with the roles swapped. ix holds {@link #pixelBasesAll}. b's rows are laid
     * out {@code zW} per output row and {@code zImage} per image: pixel (img, oy, ox) at
     * {@code bBase + (img * zImage + oy * zW + ox) * ldb}.
     */
    void paramsPixels(float[] sums, int sumsAt, int ldk, float[] a, float[] b, int bBase, int ldb, int zImage, int zW,
                      int p0, int p1, int[] ix, int n) {
        int rowsAt = pixelRowsAt(n);
        int OW = g.outW(), pixelsPerImage = g.outPixels();
        int img = p0 / pixelsPerImage, rem = p0 % pixelsPerImage, oy = rem / OW, ox = rem % OW;
        for (int p = p0; p < p1; p++) {
            ix[rowsAt + p] = (img * zImage + oy * zW + ox) * ldb;
            if (++ox == OW) {
                ox = 0;
                if (++oy == g.outH()) {
                    oy = 0;
                    img++;
                }
            }
        }
        // b's rows one after the other in pixel order, as the micro-kernels for taps side by side read them
        boolean linear = zImage == pixelsPerImage && zW == OW;
        int vectors = Kp / VL;
        for (int v = 0, group; v < vectors; v += group) {
            group = group(v, vectors);
            for (int t0 = 0, height; t0 < taps; t0 += height) {
                height = height(group, taps - t0);
                int count = Math.min(height, taps - t0);
                for (int i = 0; i < height; i++) {
                    int t = t0 + Math.min(i, count - 1);
                    ix[ROWS + i] = tapOffsets[t];
                    ix[C_ROWS + i] = t * ldk;
                }
                int k0 = ldk < Kp ? firstFilter(v, group * VL) : v * VL, cOff = sumsAt + k0;
                // taps side by side in the input: one bounds check for all rows (for 12x1, one per run of six)
                int run = group == 1 ? height / 2 : height;
                if (linear && count == height && (group == 4 || height == MAX_ROWS)
                        && sideBySide(t0, run) && sideBySide(t0 + height - run, run)) {
                    float[] init = p0 == 0 ? ZEROS : sums;
                    int initOff = p0 == 0 ? 0 : cOff + t0 * ldk, ldInit = p0 == 0 ? 0 : ldk, bOff = bBase + k0 + p0 * ldb;
                    if (group == 1) {
                        VectorTapGemm.sum12x1(sums, cOff + t0 * ldk, ldk, init, initOff, ldInit, a, tapOffsets[t0],
                                tapOffsets[t0 + run] - tapOffsets[t0], ix, PIXELS + p0, PIXELS + p1, b, bOff, ldb);
                    } else {
                        VectorTapGemm.product(group, sums, cOff + t0 * ldk, ldk, init, initOff, ldInit, a, tapOffsets[t0],
                                ix, PIXELS + p0, PIXELS + p1, b, bOff, ldb);
                    }
                    continue;
                }
                // the first pixels start the sums from zero; later ones continue them from sums
                VectorGemm.product(group, height, sums, ix, C_ROWS, cOff, p0 == 0 ? ZEROS : sums, p0 == 0 ? ZERO_ROWS : C_ROWS, p0 == 0 ? 0 : cOff,
                        a, ROWS, ix, PIXELS + p0, PIXELS + p1, b, bBase + k0, ix, rowsAt - PIXELS, ZEROS, 0, Float.NEGATIVE_INFINITY);
            }
        }
    }

    /** Whether taps t0 .. t0 + count lie side by side in the input (offsets only grow, so first and last tell). */
    private boolean sideBySide(int t0, int count) {
        return tapOffsets[t0 + count - 1] - tapOffsets[t0] == count - 1;
    }

    /**
     * acc[accAt .. accAt + width) continue, for each vector of lanes, the sums over rows p in
     * [p0, p1) in order of {@code b[bBase + p * ldb + lane]}: plain additions, as the reference's
     * bias gradient adds. Two vectors at a time where two remain: each vector's sum is one chain of
     * dependent additions, whose latency two chains side by side hide half of.
     */
    static void addRows(float[] acc, int accAt, float[] b, int bBase, int ldb, int p0, int p1, int width) {
        int k0 = 0;
        for (; k0 + 2 * VL <= width; k0 += 2 * VL) {
            FloatVector sum0 = FloatVector.fromArray(SPECIES, acc, accAt + k0);
            FloatVector sum1 = FloatVector.fromArray(SPECIES, acc, accAt + k0 + VL);
            for (int p = p0; p < p1; p++) {
                sum0 = sum0.add(FloatVector.fromArray(SPECIES, b, bBase + p * ldb + k0));
                sum1 = sum1.add(FloatVector.fromArray(SPECIES, b, bBase + p * ldb + k0 + VL));
            }
            sum0.intoArray(acc, accAt + k0);
            sum1.intoArray(acc, accAt + k0 + VL);
        }
        for (; k0 < width; k0 += VL) {
            FloatVector sum = FloatVector.fromArray(SPECIES, acc, accAt + k0);
            for (int p = p0; p < p1; p++) {
                sum = sum.add(FloatVector.fromArray(SPECIES, b, bBase + p * ldb + k0));
            }
            sum.intoArray(acc, accAt + k0);
        }
    }
}
