package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

import java.util.Arrays;

import static io.github.purecnn.kernels.conv.VectorGemm.SPECIES;
import static io.github.purecnn.kernels.conv.VectorGemm.VL;

/**
 * A first convolution with ReLU and the pooling after it, in one pass, on the products of
 * {@link VectorConv}: the forward pass convolves a chunk of images into {@code saved} (rows of Kp
 * floats per output pixel) and pools it while it is in cache; the backward pass turns the pooled
 * gradient and the saved outputs into the convolution's output gradient a chunk at a time (the
 * pooling's backward and the ReLU's gate in one step, in registers) and adds that chunk's terms to
 * the kernel and bias gradients at once. Nothing else runs over the convolution's output, which is
 * the largest array of such a model.
 *
 * <p>For pooling windows that do not overlap. The values equal, bit for bit, those of the
 * convolution plan (bias, then ReLU) followed by the pooling plan ({@code ReferenceConvPool}):
 * each lane does what they do, in their order, and the kernel gradient sums the same terms (zero
 * where no window takes an output) in the same order.
 *
 * <p>Few filters (2K &lt;= VL, one input channel, unit column stride: a first layer on grey
 * images) leave most lanes of a vector of filters idle; there the variant {@link #NAME_PAIRED}
 * holds two taps' sums to a vector in the kernel gradient ({@link PairedTapsGradient}), keeps the
 * saved output twice over (lanes [K, 2K) repeat [0, K), from weights and bias packed so) and makes
 * average pooling's output gradient pixel by pixel as it goes. On the seed's first layer (28x28x1,
 * K = 6, average pooling 2, 16 lanes) its kernel gradient took about 0.7 of the time of the plain one.
 *
 * <p>Legend: n images; OH, OW the convolution's output; K filters, Kp rounded up to whole
 * vectors; PH, PW the pooled output.
 */
public final class VectorConvPool implements ConvPoolPlan {
    /** The plan's name for logs and benchmarks. */
    public static final String NAME = "vector conv + pool";
    /** The variant whose kernel gradient holds two taps' sums to a vector ({@link PairedTapsGradient}). */
    public static final String NAME_PAIRED = "vector conv + pool, paired taps";
    /** A whole number of every flat block's rows (12, 6). */
    private static final int FLAT_ROWS = 12;

    private final VectorConv conv;
    private final Window2D pool;
    private final boolean max;
    private final int K;
    private final int Kp;
    private final int taps;
    /** Whether some convolution outputs lie under no window (their gradient is then zero). */
    private final boolean gaps;
    /**
     * Whether the convolution runs over flat rows ({@link VectorRowGemm}): one input channel, unit
     * strides, no padding or dilation. Its outputs are then laid out {@code zW = W} per output row
     * (the last columns of each row unused) and {@code zImage} rows per image, a whole number of
     * blocks; otherwise {@code zW = OW}, {@code zImage = OH * OW}.
     */
    private final boolean flat;
    private final int zW;
    private final int zImage;
    /** The kernel gradient two taps to a vector, or null: vectors of filters, one tap each ({@link VectorConv#paramsPixels}). */
    private final PairedTapsGradient paired;

    /** With {@code pairTaps} (which needs {@link PairedTapsGradient#fits}), the kernel gradient holds two taps' sums to a vector. */
    public VectorConvPool(Window2D conv, int filters, Window2D pool, boolean max, boolean pairTaps) {
        if (pairTaps && !PairedTapsGradient.fits(conv, filters)) {
            throw new IllegalArgumentException(conv.describe() + ", " + filters + " filters: not for two taps to a vector of "
                    + VL + " floats");
        }
        this.conv = new VectorConv(conv, filters);
        this.paired = pairTaps ? new PairedTapsGradient(this.conv, filters, pool) : null;
        this.pool = pool;
        this.max = max;
        this.K = filters;
        this.Kp = this.conv.paddedFilters();
        this.taps = conv.taps();
        this.flat = conv.channels() == 1 && conv.strideH() == 1 && conv.strideW() == 1 && conv.dilationH() == 1
                && conv.dilationW() == 1 && !conv.padded();
        this.zW = flat ? conv.inW() : conv.outW();
        this.zImage = flat ? VectorConv.roundUp(conv.outH() * conv.inW(), FLAT_ROWS) : conv.outPixels();
        int coveredRows = Math.min(pool.inRow(pool.outH() - 1, 0) + pool.kH(), pool.inH()) - Math.max(pool.inRow(0, 0), 0);
        int coveredCols = Math.min(pool.inCol(pool.outW() - 1, 0) + pool.kW(), pool.inW()) - Math.max(pool.inCol(0, 0), 0);
        this.gaps = pool.strideH() != pool.kH() || pool.strideW() != pool.kW() || coveredRows != pool.inH()
                || coveredCols != pool.inW();
    }

    /** Whether this plan serves the pair: pooling windows that do not overlap. */
    public static boolean fits(Window2D pool) {
        return pool.strideH() >= pool.kH() && pool.strideW() >= pool.kW() && pool.dilationH() == 1 && pool.dilationW() == 1;
    }

    /** Whether the convolution suits two taps to a vector (see the constructor). */
    public static boolean pairsTaps(Window2D conv, int filters) {
        return PairedTapsGradient.fits(conv, filters);
    }

    @Override
    public String name() {
        return paired != null ? NAME_PAIRED : NAME;
    }

    @Override
    public Window2D conv() {
        return conv.geometry();
    }

    @Override
    public int filters() {
        return K;
    }

    @Override
    public Window2D pool() {
        return pool;
    }

    @Override
    public int packedSize() {
        return conv.packedSize();
    }

    /** As the convolution packs it; with paired taps, the forward's rows of Kp hold their K filters twice (so does the saved output). */
    @Override
    public void pack(float[] packed, float[] kernel) {
        conv.pack(packed, kernel);
        if (paired != null) {
            paired.doubleRows(packed, 0, taps, Kp);
        }
    }

    /**
     * The convolution's output, after ReLU, in rows of Kp floats per pixel (zeros past K; with paired
     * taps, lanes [K, 2K) repeat [0, K)), zW per output row.
     */
    @Override
    public int savedSize() {
        return zImage * Kp;
    }

    private int chunkImages(int n) {
        return Math.min(n, conv.imagesPerChunk());
    }

    // scratch floats: the (bordered, or for flat rows copied with a tail) input, a tile, the bias, the kernel's sums
    // and the bias's (paired: as PairedTapsGradient lays them out), a chunk's output gradient
    private int inputSize(int n) {
        Window2D g = conv.geometry();
        return flat ? n * g.inSize() + zImage + g.kH() * g.inW() + FLAT_ROWS : conv.paddedInputSize(n);
    }

    private int tileAt(int n) {
        return inputSize(n);
    }

    private int sumsAt(int n) {
        return tileAt(n) + VectorConv.TILE + Kp;
    }

    private int biasSumsAt(int n) {
        return sumsAt(n) + taps * Kp;
    }

    private int gradientAt(int n) {
        return paired != null ? sumsAt(n) + paired.scratchSize() : biasSumsAt(n) + Kp;
    }

    /** Where a pooled gradient vector that would run past dPooled is copied, padded with zeros. */
    private int tailAt(int n) {
        return gradientAt(n) + chunkImages(n) * savedSize();
    }

    @Override
    public int scratchFloats(int n) {
        return tailAt(n) + VL;
    }

    @Override
    public int scratchInts(int n) {
        return conv.scratchInts(n);
    }

    /**
     * pooled (n, PH, PW, K) writes; saved (n, OH, OW, Kp) writes the convolution's output after
     * ReLU. A chunk of images at a time: convolved, then pooled.
     */
    @Override
    public void forward(float[] pooled, float[] saved, float[] in, float[] kernel, float[] packed, float[] bias, int n, Scratch scratch) {
        float[] f = scratch.floats();
        int[] ix = scratch.ints();
        VectorConv.tileRows(ix);
        float[] a = readable(in, f, n);
        int tile = tileAt(n);
        int biasAt = tile + VectorConv.TILE;
        float[] biasArray = conv.biasInto(f, biasAt, bias);
        if (paired != null && biasArray != VectorGemm.ZEROS) {
            paired.doubleRows(f, biasAt, 1, Kp);
        }
        int pixels = conv.geometry().outPixels();
        int chunk = chunkImages(n);
        for (int b0 = 0; b0 < n; b0 += chunk) {
            int b1 = Math.min(n, b0 + chunk);
            if (flat) {
                for (int b = b0; b < b1; b++) {
                    flatRows(saved, a, b, kernel, packed, biasArray, biasAt);
                }
            } else {
                conv.forwardPixels(saved, Kp, a, kernel, packed, biasArray, biasAt, 0f, b0 * pixels, b1 * pixels, f, tile, ix);
            }
            for (int b = b0; b < b1; b++) {
                poolImage(pooled, saved, b, n);
            }
        }
    }

    /** The input as the convolution reads it: for flat rows, copied with a zero tail that the last rows' vectors may read. */
    private float[] readable(float[] in, float[] f, int n) {
        if (!flat) {
            return conv.readable(in, f, n);
        }
        int size = n * conv.geometry().inSize();
        System.arraycopy(in, 0, f, 0, size);
        Arrays.fill(f, size, inputSize(n), 0f);
        return f;
    }

    /**
     * saved's rows of image b write (zImage rows of Kp): the convolution at every flat position
     * u = oy * W + ox, plus the bias, then ReLU; blocks of consecutive positions by one or two
     * vectors of filters.
     */
    private void flatRows(float[] saved, float[] a, int b, float[] kernel, float[] packed, float[] biasArray, int biasAt) {
        int[] terms = conv.tapOffsets();
        float[] w = conv.forwardWeights(kernel, packed);
        int ldw = conv.forwardWeightStride();
        int vectors = Kp / VectorGemm.VL;
        int image = b * conv.geometry().inSize();
        int out = b * zImage * Kp;
        for (int v = 0; v < vectors; v += 2) {
            boolean pair = v + 1 < vectors;
            int height = pair ? 6 : 12;
            int k0 = v * VectorGemm.VL;
            int biasOff = biasArray == VectorGemm.ZEROS ? 0 : biasAt + k0;
            for (int u = 0; u < zImage; u += height) {
                if (pair) {
                    VectorRowGemm.sum6x2(saved, out + u * Kp + k0, Kp, a, image + u, terms, 0, taps, w, k0, ldw,
                            biasArray, biasOff, 0f);
                } else {
                    VectorRowGemm.sum12x1(saved, out + u * Kp + k0, Kp, a, image + u, terms, 0, taps, w, k0, ldw,
                            biasArray, biasOff, 0f);
                }
            }
        }
    }

    /**
     * pooled's cells of image b write from saved: per cell, Kp / VL vectors of filters. Where K is
     * not whole vectors a cell's last vector runs into the next cell's first filters, which that
     * cell rewrites after it; the shard's last cells, whose vectors would run past its output,
     * are computed lane by lane (the same operations on the same values).
     */
    private void poolImage(float[] pooled, float[] saved, int b, int n) {
        int OW = pool.inW(), PH = pool.outH(), PW = pool.outW();
        int end = n * PH * PW * K;
        for (int py = 0; py < PH; py++) {
            int y0 = Math.max(pool.inRow(py, 0), 0);
            int y1 = Math.min(pool.inRow(py, 0) + pool.kH(), pool.inH());
            for (int px = 0; px < PW; px++) {
                int x0 = Math.max(pool.inCol(px, 0), 0);
                int x1 = Math.min(pool.inCol(px, 0) + pool.kW(), OW);
                int o = ((b * PH + py) * PW + px) * K;
                int first = (b * zImage + y0 * zW + x0) * Kp;
                int rows = y1 - y0, cols = x1 - x0;
                for (int k0 = 0; k0 < K; k0 += VL) {
                    if (o + k0 + VL <= end) {
                        if (max) {
                            maxCell(pooled, o + k0, saved, first + k0, rows, cols, zW * Kp);
                        } else {
                            averageCell(pooled, o + k0, saved, first + k0, rows, cols, zW * Kp);
                        }
                    } else {
                        for (int k = k0; k < Math.min(K, k0 + VL); k++) {
                            pooled[o + k] = max ? maxLane(saved, first + k, rows, cols, zW * Kp)
                                    : averageLane(saved, first + k, rows, cols, zW * Kp);
                        }
                    }
                }
            }
        }
    }

    /** out[o .. o + VL) writes: {@code ((0 + z0) + z1) + ...} over the window's cells, row by row, times {@code 1f / cells}. */
    private void averageCell(float[] out, int o, float[] z, int first, int rows, int cols, int rowStep) {
        FloatVector sum = FloatVector.zero(SPECIES);
        int cell = first;
        int s = 0;
        int nextRow = rowStep - (cols - 1) * Kp;
        for (int i = rows * cols; i > 0; i--) {
            sum = sum.add(FloatVector.fromArray(SPECIES, z, cell));
            if (++s == cols) {
                s = 0;
                cell += nextRow;
            } else {
                cell += Kp;
            }
        }
        sum.mul(1f / (rows * cols)).intoArray(out, o);
    }

    private float averageLane(float[] z, int first, int rows, int cols, int rowStep) {
        float sum = 0f;
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < cols; s++) {
                sum += z[first + r * rowStep + s * Kp];
            }
        }
        return sum * (1f / (rows * cols));
    }

    /** out[o .. o + VL) writes: the first of the window's largest values, as the reference's {@code if (x > best)}. */
    private void maxCell(float[] out, int o, float[] z, int first, int rows, int cols, int rowStep) {
        FloatVector best = FloatVector.fromArray(SPECIES, z, first);
        int cell = first;
        int s = 0;
        int nextRow = rowStep - (cols - 1) * Kp;
        for (int i = rows * cols - 1; i > 0; i--) {
            if (++s == cols) {
                s = 0;
                cell += nextRow;
            } else {
                cell += Kp;
            }
            FloatVector x = FloatVector.fromArray(SPECIES, z, cell);
            best = best.blend(x, x.compare(VectorOperators.GT, best));
        }
        best.intoArray(out, o);
    }

    private float maxLane(float[] z, int first, int rows, int cols, int rowStep) {
        float best = z[first];
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < cols; s++) {
                float x = z[first + r * rowStep + s * Kp];
                if (x > best) {
                    best = x;
                }
            }
        }
        return best;
    }

    /**
     * dKernel (R, S, C, K) and dBias (K) write. A chunk of images at a time: the gradient of the
     * convolution's output (rows of Kp) from dPooled (n, PH, PW, K) and saved, then its terms
     * added to the kernel's and the bias's sums, in canonical order.
     */
    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dPooled, float[] saved, float[] in, int n, Scratch scratch) {
        float[] f = scratch.floats();
        int[] ix = scratch.ints();
        VectorConv.tileRows(ix);
        float[] a = readable(in, f, n);
        if (paired != null) {
            pairedParams(dKernel, dBias, dPooled, saved, a, n, f);
            return;
        }
        int sums = sumsAt(n), biasSums = biasSumsAt(n), dz = gradientAt(n);
        Arrays.fill(f, biasSums, dz, 0f);
        conv.pixelBasesAll(ix, n);
        int pixels = conv.geometry().outPixels();
        int chunk = chunkImages(n);
        for (int b0 = 0; b0 < n; b0 += chunk) {
            int b1 = Math.min(n, b0 + chunk);
            if (gaps) {
                Arrays.fill(f, dz, dz + (b1 - b0) * savedSize(), 0f);      // outputs under no window: zero gradient
            }
            for (int b = b0; b < b1; b++) {
                gradientOfImage(f, dz + (b - b0) * savedSize(), dPooled, saved, b, n, tailAt(n));
            }
            int base = dz - b0 * savedSize();
            conv.paramsPixels(f, sums, Kp, a, f, base, Kp, zImage, zW, b0 * pixels, b1 * pixels, ix, n);
            addPixels(f, biasSums, f, base, b0, b1);
        }
        for (int t = 0; t < taps; t++) {
            System.arraycopy(f, sums + t * Kp, dKernel, t * K, K);
        }
        if (dBias != null) {
            System.arraycopy(f, biasSums, dBias, 0, K);
        }
    }

    /**
     * backwardParams two taps to a vector, an image at a time: average pooling makes the output
     * gradient as it goes, from the saved output; max pooling spreads it first.
     */
    private void pairedParams(float[] dKernel, float[] dBias, float[] dPooled, float[] saved, float[] a, int n, float[] f) {
        int sums = sumsAt(n), dz = gradientAt(n);
        paired.start(f, sums);
        for (int b = 0; b < n; b++) {
            if (max) {
                if (gaps) {
                    Arrays.fill(f, dz, dz + savedSize(), 0f);      // outputs under no window: zero gradient
                }
                gradientOfImage(f, dz, dPooled, saved, b, n, tailAt(n));
                paired.addImage(f, sums, a, b, n, false, f, dz, zW * Kp, dPooled);
            } else {
                paired.addImage(f, sums, a, b, n, true, saved, b * savedSize(), zW * Kp, dPooled);
            }
        }
        paired.finish(dKernel, dBias, f, sums);
    }

    /** acc (Kp) continues the sums over images b0 .. b1's output pixels, in order, of their rows of z (from zBase, image b0 first). */
    private void addPixels(float[] acc, int accAt, float[] z, int zBase, int b0, int b1) {
        Window2D g = conv.geometry();
        for (int b = b0; b < b1; b++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                int row = zBase + (b * zImage + oy * zW) * Kp;
                VectorConv.addRows(acc, accAt, z, row, Kp, 0, g.outW(), Kp);
            }
        }
    }

    /**
     * dz (zImage rows of Kp) at {@code at} writes image b's gradient of the convolution's output under the
     * pooling windows: the pooled gradient's share (average: {@code 0 + d * (1f / cells)}; max: {@code 0 + d}
     * at the window's first largest value), where the saved output is positive, else 0.
     */
    private void gradientOfImage(float[] dz, int at, float[] dPooled, float[] saved, int b, int n, int tail) {
        int OW = pool.inW(), PH = pool.outH(), PW = pool.outW();
        int end = n * PH * PW * K;
        int imageZ = b * savedSize();
        for (int py = 0; py < PH; py++) {
            int y0 = Math.max(pool.inRow(py, 0), 0);
            int y1 = Math.min(pool.inRow(py, 0) + pool.kH(), pool.inH());
            for (int px = 0; px < PW; px++) {
                int x0 = Math.max(pool.inCol(px, 0), 0);
                int x1 = Math.min(pool.inCol(px, 0) + pool.kW(), OW);
                int o = ((b * PH + py) * PW + px) * K;
                int first = (y0 * zW + x0) * Kp;
                int rows = y1 - y0, cols = x1 - x0;
                float inv = 1f / (rows * cols);
                for (int k0 = 0; k0 < Kp; k0 += VL) {
                    // a vector that would run past dPooled is read from a copy padded with zeros
                    boolean inside = o + k0 + VL <= end;
                    if (!inside) {
                        Arrays.fill(dz, tail, tail + VL, 0f);
                        System.arraycopy(dPooled, o + k0, dz, tail, Math.max(0, Math.min(K, k0 + VL) - k0));
                    }
                    float[] from = inside ? dPooled : dz;
                    int fromAt = inside ? o + k0 : tail;
                    if (max) {
                        spreadToMax(dz, at + first + k0, saved, imageZ + first + k0, rows, cols, zW * Kp, from, fromAt);
                    } else {
                        spreadShare(dz, at + first + k0, saved, imageZ + first + k0, rows, cols, zW * Kp, from, fromAt, inv);
                    }
                }
            }
        }
    }

    /** The window's cells of dz write {@code 0 + d * inv} where the saved output z is positive, else 0. */
    private void spreadShare(float[] dz, int at, float[] z, int zAt, int rows, int cols, int rowStep,
                             float[] d, int dAt, float inv) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector share = zero.add(FloatVector.fromArray(SPECIES, d, dAt).mul(inv));
        int off = 0;
        int s = 0;
        int nextRow = rowStep - (cols - 1) * Kp;
        for (int i = rows * cols; i > 0; i--) {
            VectorMask<Float> positive = FloatVector.fromArray(SPECIES, z, zAt + off).compare(VectorOperators.GT, 0f);
            zero.blend(share, positive).intoArray(dz, at + off);
            if (++s == cols) {
                s = 0;
                off += nextRow;
            } else {
                off += Kp;
            }
        }
    }

    /**
     * The window's cells of dz write {@code 0 + d} at the first cell holding the window's largest
     * value (found again as the forward pass found it) where that value is positive; else 0.
     * Which lanes have found it is a vector of ones and zeros (a mask carried through a loop
     * would stay boxed on JDK 17).
     */
    private void spreadToMax(float[] dz, int at, float[] z, int zAt, int rows, int cols, int rowStep, float[] d, int dAt) {
        FloatVector zero = FloatVector.zero(SPECIES);
        FloatVector best = FloatVector.fromArray(SPECIES, z, zAt);
        int nextRow = rowStep - (cols - 1) * Kp;
        int off = 0;
        int s = 0;
        for (int i = rows * cols - 1; i > 0; i--) {
            if (++s == cols) {
                s = 0;
                off += nextRow;
            } else {
                off += Kp;
            }
            FloatVector x = FloatVector.fromArray(SPECIES, z, zAt + off);
            best = best.blend(x, x.compare(VectorOperators.GT, best));
        }
        FloatVector share = zero.add(FloatVector.fromArray(SPECIES, d, dAt));
        FloatVector open = FloatVector.broadcast(SPECIES, 1f);
        off = 0;
        s = 0;
        for (int i = rows * cols; i > 0; i--) {
            FloatVector x = FloatVector.fromArray(SPECIES, z, zAt + off);
            VectorMask<Float> isBest = x.compare(VectorOperators.EQ, best).and(open.compare(VectorOperators.GT, 0f));
            open = open.blend(zero, isBest);
            zero.blend(share, isBest.and(x.compare(VectorOperators.GT, 0f))).intoArray(dz, at + off);
            if (++s == cols) {
                s = 0;
                off += nextRow;
            } else {
                off += Kp;
            }
        }
    }
}
