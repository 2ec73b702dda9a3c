package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;
import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

import static io.github.purecnn.kernels.conv.VectorGemm.SPECIES;
import static io.github.purecnn.kernels.conv.VectorGemm.VL;

/**
 * The general Vector API convolution: every geometry (any channels, filters, window, strides,
 * padding, dilation) and a dense layer, all three passes as implicit matrix products on the
 * register-blocked micro-kernels of {@link VectorGemm}. Vectors run across filters (forward,
 * kernel gradient) or input channels (input gradient), so each output is one lane's chain of fused
 * multiply-adds in the canonical order of {@link ReferenceConv}, whatever the vector width.
 *
 * <p>Layouts:
 * <ul>
 *   <li>Padding: the forward pass and the kernel gradient read the shard's images copied into
 *       zero-bordered scratch, so every window cell is inside an array; a padded cell adds a zero
 *       term, which leaves a sum started from zero unchanged (the package documentation says why).</li>
 *   <li>Input gradient: a transposed convolution over the output gradient, copied with zero
 *       margins. With strides, the input cells fall into stride-height x stride-width phases; the
 *       cells of one phase take the same window cells (in canonical order), so each phase is one
 *       matrix product with its own packed slice of the kernel.</li>
 *   <li>Packed kernel (remade when the kernel changes): the kernel with filters padded to whole
 *       vectors, (R*S*C, Kp); then per phase its window cells' kernel transposed, (cells*K, Cp).</li>
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
    /** where output pixel (b, oy, ox) starts in the (bordered) input: b * imageStep + oy * rowStep + ox * colStep */
    private final int imageStep;
    private final int rowStep;
    private final int colStep;

    // ---- input gradient: the output gradient with zero margins, and the phases ----
    private final boolean padGradient;
    private final int QH;
    private final int QW;
    private final int marginTop;
    private final int marginLeft;
    /** phase (py, px) of input cells, taken in the order py, px */
    private final Phase[] phases;

    /**
     * The input cells (iy, ix) with {@code (iy + padTop) % strideH == py} and likewise for x: the
     * window cells they take, as offsets into the bordered output gradient from the cell's base,
     * with the kernel rows of those cells packed at {@code packedOffset}.
     */
    private record Phase(int firstCol, int[] offsets, int[] cells, int packedOffset) {
        int terms() {
            return offsets.length;
        }
    }

    public VectorConv(Window2D g, int filters) {
        this.g = g;
        this.K = filters;
        this.Kp = roundUp(filters, VL);
        this.Cp = roundUp(g.channels(), VL);
        this.taps = g.taps();
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
        imageStep = PH * PW * C;
        rowStep = g.strideH() * PW * C;
        colStep = g.strideW() * C;

        // The output cells the input cells reach, over all window cells: how wide the margins must be.
        int minOy = 0, maxOy = g.outH() - 1, minOx = 0, maxOx = g.outW() - 1;
        for (int iy = 0; iy < g.inH(); iy++) {
            for (int r = 0; r < R; r++) {
                int offset = iy + g.padTop() - r * g.dilationH();
                if (Math.floorMod(offset, g.strideH()) == 0) {
                    minOy = Math.min(minOy, Math.floorDiv(offset, g.strideH()));
                    maxOy = Math.max(maxOy, Math.floorDiv(offset, g.strideH()));
                }
            }
        }
        for (int ix = 0; ix < g.inW(); ix++) {
            for (int s = 0; s < S; s++) {
                int offset = ix + g.padLeft() - s * g.dilationW();
                if (Math.floorMod(offset, g.strideW()) == 0) {
                    minOx = Math.min(minOx, Math.floorDiv(offset, g.strideW()));
                    maxOx = Math.max(maxOx, Math.floorDiv(offset, g.strideW()));
                }
            }
        }
        marginTop = -minOy;
        marginLeft = -minOx;
        QH = maxOy - minOy + 1;
        QW = maxOx - minOx + 1;
        padGradient = QH != g.outH() || QW != g.outW();

        phases = new Phase[g.strideH() * g.strideW()];
        int packed = taps * Kp;
        for (int py = 0; py < g.strideH(); py++) {
            for (int px = 0; px < g.strideW(); px++) {
                int firstCol = Math.floorMod(px - g.padLeft(), g.strideW());
                int count = 0;
                int[] cells = new int[R * S];
                int[] rowShift = new int[R * S];
                int[] colShift = new int[R * S];
                for (int r = 0; r < R; r++) {
                    for (int s = 0; s < S; s++) {
                        if (Math.floorMod(py - r * g.dilationH(), g.strideH()) == 0
                                && Math.floorMod(px - s * g.dilationW(), g.strideW()) == 0) {
                            cells[count] = r * S + s;
                            // output row of cell r = that of the phase's base minus this shift
                            rowShift[count] = Math.floorDiv(r * g.dilationH() - py, g.strideH());
                            colShift[count] = Math.floorDiv(s * g.dilationW() - px, g.strideW());
                            count++;
                        }
                    }
                }
                int[] offsets = new int[count * K];
                for (int i = 0; i < count; i++) {
                    for (int k = 0; k < K; k++) {
                        offsets[i * K + k] = -(rowShift[i] * QW + colShift[i]) * K + k;
                    }
                }
                phases[py * g.strideW() + px] = new Phase(firstCol, offsets,
                        Arrays.copyOf(cells, count), packed);
                packed += count * K * Cp;
            }
        }
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
        return taps * Kp + g.kH() * g.kW() * K * Cp;
    }

    /**
     * packed writes: [0, R*S*C*Kp) the kernel, rows of Kp with zeros past K; then per phase, for
     * each of its window cells and each filter k, the C weights of (cell, ., k), padded to Cp.
     */
    @Override
    public void pack(float[] packed, float[] kernel) {
        int C = g.channels();
        Arrays.fill(packed, 0, packedSize(), 0f);
        for (int t = 0; t < taps; t++) {
            System.arraycopy(kernel, t * K, packed, t * Kp, K);
        }
        for (Phase p : phases) {
            for (int i = 0; i < p.cells().length; i++) {
                int cellBase = p.cells()[i] * C * K;
                for (int k = 0; k < K; k++) {
                    int row = p.packedOffset() + (i * K + k) * Cp;
                    for (int c = 0; c < C; c++) {
                        packed[row + c] = kernel[cellBase + c * K + k];
                    }
                }
            }
        }
    }

    private int paddedInputSize(int n) {
        return padInput ? n * PH * PW * g.channels() : 0;
    }

    private static int tileSize() {
        return MAX_ROWS * 2 * VL;
    }

    @Override
    public int scratchFloats(int n) {
        int forward = paddedInputSize(n) + tileSize();
        int backwardInput = (padGradient ? n * QH * QW * K : 0) + tileSize();
        int backwardParams = paddedInputSize(n) + (K % VL != 0 ? n * g.outPixels() * Kp : 0) + tileSize();
        return Math.max(forward, Math.max(backwardInput, backwardParams));
    }

    /** Room for a block's rows, then (kernel gradient) the bases of all n * OH * OW output pixels. */
    @Override
    public int scratchInts(int n) {
        return MAX_ROWS + n * g.outPixels();
    }

    // ---- forward ----

    /**
     * out (n, OH, OW, K) writes. Blocks of 6 (or 12) consecutive output pixels, across rows and
     * images, times 2 (or 1) vectors of filters.
     */
    @Override
    public void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch) {
        float[] f = scratch.floats();
        int[] rows = scratch.ints();
        float[] a = padInput ? f : in;
        if (padInput) {
            padImages(f, in, n);
        }
        int tile = paddedInputSize(n);
        int pixelsTotal = n * g.outPixels();
        int vectors = Kp / VL;
        for (int v = 0; v < vectors; v += 2) {
            boolean pair = v + 1 < vectors;
            int height = pair ? 6 : MAX_ROWS;
            for (int q = 0; q < pixelsTotal; q += height) {
                int count = Math.min(height, pixelsTotal - q);
                pixelBases(rows, q, count, height);
                boolean direct = count == height && (K % VL == 0);
                float[] c = direct ? out : f;
                int cOff = direct ? q * K + v * VL : tile;
                int ldc = direct ? K : 2 * VL;
                if (pair) {
                    VectorGemm.sumOverTaps6x2(c, cOff, ldc, a, rows, 0, tapOffsets, 0, taps, packed, v * VL, Kp);
                } else {
                    VectorGemm.sumOverTaps12x1(c, cOff, ldc, a, rows, 0, tapOffsets, 0, taps, packed, v * VL, Kp);
                }
                int width = Math.min((pair ? 2 : 1) * VL, K - v * VL);
                finish(c, cOff, ldc, count, width, bias, v * VL, relu);
                if (!direct) {
                    for (int i = 0; i < count; i++) {
                        System.arraycopy(f, tile + i * ldc, out, (q + i) * K + v * VL, width);
                    }
                }
            }
        }
    }

    /** rows[0 .. height) write: where output pixels q .. q + count of the shard start in the (bordered) input; the last repeated. */
    private void pixelBases(int[] rows, int q, int count, int height) {
        int OW = g.outW(), pixelsPerImage = g.outPixels();
        int b = q / pixelsPerImage, rem = q % pixelsPerImage;
        int oy = rem / OW, ox = rem % OW;
        for (int i = 0; i < height; i++) {
            rows[i] = b * imageStep + oy * rowStep + ox * colStep;
            if (i + 1 < count && ++ox == OW) {
                ox = 0;
                if (++oy == g.outH()) {
                    oy = 0;
                    b++;
                }
            }
        }
    }

    /** c rows (count of them, ldc apart), columns [0, width): {@code + bias[k0 + j]}, then ReLU. */
    private static void finish(float[] c, int cOff, int ldc, int count, int width, float[] bias, int k0, boolean relu) {
        if (bias == null && !relu) {
            return;
        }
        for (int i = 0; i < count; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < width; j++) {
                float y = bias == null ? c[row + j] : c[row + j] + bias[k0 + j];
                c[row + j] = relu ? Math.max(y, 0f) : y;
            }
        }
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

    /**
     * dIn (n, H, W, C) writes. Per image, input row and phase, blocks of the row's cells of that
     * phase (stride-width apart) times vectors of channels.
     */
    @Override
    public void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch) {
        float[] f = scratch.floats();
        int[] rows = scratch.ints();
        int H = g.inH(), W = g.inW(), C = g.channels(), sh = g.strideH(), sw = g.strideW();
        float[] a = dOut;
        if (padGradient) {
            a = f;
            Arrays.fill(f, 0, n * QH * QW * K, 0f);
            for (int b = 0; b < n; b++) {
                for (int oy = 0; oy < g.outH(); oy++) {
                    System.arraycopy(dOut, (b * g.outH() + oy) * g.outW() * K, f,
                            ((b * QH + oy + marginTop) * QW + marginLeft) * K, g.outW() * K);
                }
            }
        }
        int tile = padGradient ? n * QH * QW * K : 0;
        if (H == 1 && W == 1 && sh == 1 && sw == 1) {
            // one cell per image (a dense layer): the images form one line
            line(dIn, 0, C, a, 0, QH * QW * K, n, phases[0], packed, f, tile, rows);
            return;
        }
        for (int b = 0; b < n; b++) {
            for (int iy = 0; iy < H; iy++) {
                int py = Math.floorMod(iy + g.padTop(), sh);
                for (int px = 0; px < sw; px++) {
                    Phase phase = phases[py * sw + px];
                    int firstCol = phase.firstCol();
                    if (firstCol >= W) {
                        continue;
                    }
                    int cells = (W - firstCol + sw - 1) / sw;
                    // the base: output cell of window cell shift 0, in the bordered gradient
                    int qy = Math.floorDiv(iy + g.padTop() - py, sh) + marginTop;
                    int qx0 = Math.floorDiv(firstCol + g.padLeft() - px, sw) + marginLeft;
                    line(dIn, ((b * H + iy) * W + firstCol) * C, sw * C, a, ((b * QH + qy) * QW + qx0) * K, K,
                            cells, phase, packed, f, tile, rows);
                }
            }
        }
    }

    /**
     * dIn writes {@code cells} input cells of one phase, cell j at {@code dInBase + j * dInStride},
     * whose terms start at {@code aBase + j * aStride} in a (the bordered output gradient).
     */
    private void line(float[] dIn, int dInBase, int dInStride, float[] a, int aBase, int aStride, int cells,
                      Phase phase, float[] packed, float[] f, int tile, int[] rows) {
        int C = g.channels();
        if (phase.terms() == 0) {
            for (int j = 0; j < cells; j++) {
                Arrays.fill(dIn, dInBase + j * dInStride, dInBase + j * dInStride + C, 0f);
            }
            return;
        }
        int vectors = Cp / VL;
        for (int v = 0; v < vectors; v += 2) {
            boolean pair = v + 1 < vectors;
            int height = pair ? 6 : MAX_ROWS;
            for (int j0 = 0; j0 < cells; j0 += height) {
                int count = Math.min(height, cells - j0);
                for (int i = 0; i < height; i++) {
                    rows[i] = aBase + (j0 + Math.min(i, count - 1)) * aStride;
                }
                boolean direct = count == height && C % VL == 0;
                float[] c = direct ? dIn : f;
                int cOff = direct ? dInBase + j0 * dInStride + v * VL : tile;
                int ldc = direct ? dInStride : 2 * VL;
                int bOff = phase.packedOffset() + v * VL;
                if (pair) {
                    VectorGemm.sumOverTaps6x2(c, cOff, ldc, a, rows, 0, phase.offsets(), 0, phase.terms(), packed, bOff, Cp);
                } else {
                    VectorGemm.sumOverTaps12x1(c, cOff, ldc, a, rows, 0, phase.offsets(), 0, phase.terms(), packed, bOff, Cp);
                }
                if (!direct) {
                    int width = Math.min((pair ? 2 : 1) * VL, C - v * VL);
                    for (int i = 0; i < count; i++) {
                        System.arraycopy(f, tile + i * ldc, dIn, dInBase + (j0 + i) * dInStride + v * VL, width);
                    }
                }
            }
        }
    }

    // ---- kernel gradient ----

    /**
     * dKernel (R, S, C, K) writes: blocks of 6 (or 12) taps times 2 (or 1) vectors of filters, each
     * summed over every output pixel of the shard; dBias (K) the output gradient summed over them.
     */
    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch) {
        float[] f = scratch.floats();
        int[] rows = scratch.ints();
        float[] a = padInput ? f : in;
        if (padInput) {
            padImages(f, in, n);
        }
        int pixelCount = n * g.outPixels();
        float[] b = dOut;
        int ldb = K;
        int gradientCopy = paddedInputSize(n);
        if (K % VL != 0) {
            // whole vectors per pixel: the output gradient with its rows padded to Kp
            b = f;
            ldb = Kp;
            Arrays.fill(f, gradientCopy, gradientCopy + pixelCount * Kp, 0f);
            for (int p = 0; p < pixelCount; p++) {
                System.arraycopy(dOut, p * K, f, gradientCopy + p * Kp, K);
            }
        }
        int bBase = b == dOut ? 0 : gradientCopy;
        // the pixels in canonical order (images, rows, columns): where each starts in the input
        int[] pixelBases = scratch.ints();
        int at = MAX_ROWS;
        for (int img = 0; img < n; img++) {
            for (int oy = 0; oy < g.outH(); oy++) {
                for (int ox = 0; ox < g.outW(); ox++) {
                    pixelBases[at++] = img * imageStep + oy * rowStep + ox * colStep;
                }
            }
        }
        int tile = gradientCopy + (K % VL != 0 ? pixelCount * Kp : 0);
        int vectors = Kp / VL;
        for (int v = 0; v < vectors; v += 2) {
            boolean pair = v + 1 < vectors;
            int height = pair ? 6 : MAX_ROWS;
            for (int t0 = 0; t0 < taps; t0 += height) {
                int count = Math.min(height, taps - t0);
                for (int i = 0; i < height; i++) {
                    rows[i] = tapOffsets[t0 + Math.min(i, count - 1)];
                }
                boolean direct = count == height && K % VL == 0;
                float[] c = direct ? dKernel : f;
                int cOff = direct ? t0 * K + v * VL : tile;
                int ldc = direct ? K : 2 * VL;
                // rows are taps, terms the pixels: the same product as the forward pass, roles swapped
                if (pair) {
                    VectorGemm.sumOverTaps6x2(c, cOff, ldc, a, rows, 0, pixelBases, MAX_ROWS, pixelCount, b, bBase + v * VL, ldb);
                } else {
                    VectorGemm.sumOverTaps12x1(c, cOff, ldc, a, rows, 0, pixelBases, MAX_ROWS, pixelCount, b, bBase + v * VL, ldb);
                }
                if (!direct) {
                    int width = Math.min((pair ? 2 : 1) * VL, K - v * VL);
                    for (int i = 0; i < count; i++) {
                        System.arraycopy(f, tile + i * ldc, dKernel, (t0 + i) * K + v * VL, width);
                    }
                }
            }
        }
        if (dBias != null) {
            biasGradient(dBias, b, bBase, ldb, pixelCount, f, tile);
        }
    }

    /** dBias (K) writes: the sum over the pixels, in order, of each filter's gradient, vectors across filters. */
    private void biasGradient(float[] dBias, float[] b, int bBase, int ldb, int pixelCount, float[] f, int tile) {
        for (int k0 = 0; k0 < Kp; k0 += VL) {
            FloatVector acc = FloatVector.zero(SPECIES);
            for (int p = 0; p < pixelCount; p++) {
                acc = acc.add(FloatVector.fromArray(SPECIES, b, bBase + p * ldb + k0));
            }
            acc.intoArray(f, tile);
            System.arraycopy(f, tile, dBias, k0, Math.min(VL, K - k0));
        }
    }
}
