package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;

import java.util.Arrays;

import static io.github.purecnn.kernels.conv.FmaRows.GROUP;
import static io.github.purecnn.kernels.conv.FmaRows.ROW_LENGTH;

/**
 * The plain-Java convolution for every geometry (any channels, filters, window, strides, padding,
 * dilation), in the canonical order of {@link ReferenceConv}, with output positions on the
 * vectorised axis: forward and input gradient are sums of whole rows of positions,
 * {@code y[j] = fma(w, x[j], y[j])} (see {@link FmaRows}), so any filter count keeps the vectors
 * full. The kernel gradient, a sum over positions, runs with taps or filters on that axis instead
 * (see {@link TapRowsGradient} and {@link RegisterGradient}; the plan's kernel-gradient variant is
 * chosen by {@code JavaKernels}).
 *
 * <p>Forward: the shard's input is copied into planes, one per channel and stride phase: phase
 * {@code (py, px)} of the zero-bordered input holds its cells {@code (u * strideH + py, v * strideW + px)},
 * a {@code Hq x Wq} plane per image. Every window cell then reads one phase plane at a fixed shift
 * from the output position {@code q = b * Hq * Wq + oy * Wq + ox}, so the im2col column of tap
 * {@code (r, s, c)} for a run of positions is one copy out of a plane. Positions with
 * {@code ox >= OW} or {@code oy >= OH} lie between images' outputs and are computed and dropped
 * (their share: 11-28% on the suite's layers). Each output row of a run of positions takes the
 * taps in canonical order, six per pass; padded cells add zero terms.
 *
 * <p>Input gradient: a convolution over the output gradient copied into planes with zero margins,
 * one per filter. Input cells fall into the stride phases; the cells of one phase take the same
 * window cells, in canonical order, at fixed shifts in the output-gradient planes, so each phase
 * is the forward scheme again, with the kernel packed per phase as (C, cells, K).
 *
 * <p>Legend: n images; H, W, C input; R, S window; K filters; OH, OW output; Hq, Wq a phase plane; Hd, Wd
 * an output-gradient plane with its margins.
 */
public final class JavaPlanarConv implements ConvPlan {
    /** Output rows one pass over the taps fills: the rest of the scratch rows, after the {@link FmaRows#GROUP} term rows. */
    static final int OUT_BLOCK = 64;

    private final Window2D g;
    private final int K;
    private final KernelGradient gradient;
    /** The zero-bordered input's height and width: padding, and with 'same' strides the extra bottom and right cells. */
    private final int Hp;
    private final int Wp;

    // ---- forward: phase planes of the zero-bordered input ----
    private final int Hq;
    private final int Wq;
    /** The taps t = (r, s, c) in canonical order: tap t reads plane (phase * C + c) of the input planes. */
    private final Terms taps;
    private final int forwardSlack;

    // ---- input gradient: output-gradient planes with margins, and the phases ----
    private final int Hd;
    private final int Wd;
    /** Zero rows above and columns left of the output gradient in its planes: the farthest a window cell reaches back. */
    private final int marginTop;
    private final int marginLeft;
    private final int gradientSlack;
    private final Phase[] phases;

    /**
     * The terms of a sum over planes, in order: term t reads plane {@code plane[t]} at
     * {@code shift[t]} floats from the output's position.
     */
    private record Terms(int[] plane, int[] shift) {
        int count() {
            return plane.length;
        }
    }

    /**
     * The input cells of phase (py, px): the terms of their sums, (window cell, filter) for the
     * window cells they take in canonical order, read in the output-gradient planes (plane k); the
     * kernel rows of those cells packed as (C, cells, K) from {@code packedAt}.
     */
    private record Phase(int py, int px, Terms terms, int packedAt) {
    }

    /** How the kernel gradient runs; see {@link TapRowsGradient} and {@link RegisterGradient}. */
    interface KernelGradient {
        void run(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch);
    }

    /**
     * @param tapRows the kernel-gradient variant: taps on the vectorised axis ({@link TapRowsGradient},
     *                for windows of many taps) or sums held in registers ({@link RegisterGradient})
     */
    public JavaPlanarConv(Window2D g, int filters, boolean tapRows) {
        this.g = g;
        this.K = filters;
        int R = g.kH(), S = g.kW(), C = g.channels(), sh = g.strideH(), sw = g.strideW();
        int dh = g.dilationH(), dw = g.dilationW();
        Hp = Math.max(g.padTop() + g.inH(), g.inRow(g.outH() - 1, R - 1) + g.padTop() + 1);
        Wp = Math.max(g.padLeft() + g.inW(), g.inCol(g.outW() - 1, S - 1) + g.padLeft() + 1);
        this.gradient = tapRows ? new TapRowsGradient(g, filters, Hp, Wp) : new RegisterGradient(g, filters, Hp, Wp);

        Hq = (Hp + sh - 1) / sh;
        Wq = (Wp + sw - 1) / sw;
        int[] tapPlane = new int[g.taps()];
        int[] tapShift = new int[g.taps()];
        for (int r = 0, t = 0; r < R; r++) {
            for (int s = 0; s < S; s++) {
                int phase = (r * dh % sh) * sw + s * dw % sw;
                for (int c = 0; c < C; c++, t++) {
                    tapPlane[t] = phase * C + c;
                    tapShift[t] = r * dh / sh * Wq + s * dw / sw;
                }
            }
        }
        taps = new Terms(tapPlane, tapShift);
        forwardSlack = (R - 1) * dh / sh * Wq + (S - 1) * dw / sw;

        // A plane row of the output gradient is its OW values after marginLeft zeros, then zeros up
        // to Wd. A read past the row's end lands in the next row's left margin, zeros as needed, so
        // neighbouring rows (and images) share their margins and the grid of input cells needs to
        // be no wider (taller) than the phase plane.
        marginTop = (R - 1) * dh / sh;
        marginLeft = (S - 1) * dw / sw;
        Hd = Math.max(Hq, g.outH() + marginTop);
        Wd = Math.max(Wq, g.outW() + marginLeft);
        gradientSlack = (marginTop + 1) * Wd + marginLeft;
        phases = new Phase[sh * sw];
        int packedAt = 0;
        for (int py = 0; py < sh; py++) {
            for (int px = 0; px < sw; px++) {
                int count = 0;
                int[] shifts = new int[R * S];
                for (int r = 0; r < R; r++) {
                    for (int s = 0; s < S; s++) {
                        if (r * dh % sh == py && s * dw % sw == px) {
                            shifts[count++] = (marginTop - r * dh / sh) * Wd + marginLeft - s * dw / sw;
                        }
                    }
                }
                int[] plane = new int[count * K];
                int[] shift = new int[count * K];
                for (int t = 0; t < count * K; t++) {
                    plane[t] = t % K;
                    shift[t] = shifts[t / K];
                }
                phases[py * sw + px] = new Phase(py, px, new Terms(plane, shift), packedAt);
                packedAt += count * K * C;
            }
        }
    }

    @Override
    public String name() {
        return name(gradient instanceof TapRowsGradient);
    }

    /** The name of the plan with the kernel gradient by tap rows or in registers. */
    public static String name(boolean tapRows) {
        return "java planar, kernel gradient " + (tapRows ? "by tap rows" : "in registers");
    }

    @Override
    public Window2D geometry() {
        return g;
    }

    @Override
    public int filters() {
        return K;
    }

    private int forwardStride(int n) {
        return n * Hq * Wq + forwardSlack;
    }

    private int gradientStride(int n) {
        return n * Hd * Wd + gradientSlack;
    }

    /**
     * The planes of the forward pass or of the input gradient, or the kernel gradient's bordered
     * input, whichever is largest.
     *
     * @throws IllegalArgumentException if that is more than one array holds
     */
    @Override
    public int scratchFloats(int n) {
        long forward = (long) g.strideH() * g.strideW() * g.channels() * ((long) n * Hq * Wq + forwardSlack);
        long backward = (long) K * ((long) n * Hd * Wd + gradientSlack);
        long floats = Math.max(Math.max(forward, backward), (long) n * BorderedInput.size(g, Hp, Wp));
        if (floats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the plain-Java planes of " + n + " images of " + g.describe() + " x" + K
                    + " need " + floats + " floats, more than one array holds");
        }
        return (int) floats;
    }

    @Override
    public int scratchRows(int n) {
        return GROUP + Math.min(OUT_BLOCK, Math.max(K, g.channels()));
    }

    @Override
    public int scratchRowLength(int n) {
        return ROW_LENGTH;
    }

    /** The input gradient's kernel: per phase, (C, cells, K), the phase's window cells in canonical order. */
    @Override
    public int packedSize() {
        return g.taps() * K;
    }

    /** packed (per phase: C, cells, K) writes; kernel (R, S, C, K) reads. */
    @Override
    public void pack(float[] packed, float[] kernel) {
        int R = g.kH(), S = g.kW(), C = g.channels(), sh = g.strideH(), sw = g.strideW();
        for (Phase ph : phases) {
            int cells = ph.terms().count() / K;
            int i = 0;
            for (int r = 0; r < R; r++) {
                for (int s = 0; s < S; s++) {
                    if (r * g.dilationH() % sh != ph.py() || s * g.dilationW() % sw != ph.px()) {
                        continue;
                    }
                    for (int c = 0; c < C; c++) {
                        System.arraycopy(kernel, ((r * S + s) * C + c) * K, packed, ph.packedAt() + (c * cells + i) * K, K);
                    }
                    i++;
                }
            }
        }
    }

    // ---- forward ----

    @Override
    public void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch) {
        float[] planes = scratch.floats();
        float[][] rows = scratch.rows();
        int stride = forwardStride(n);
        toPhasePlanes(planes, stride, in, n);
        int positions = (n - 1) * Hq * Wq + (g.outH() - 1) * Wq + g.outW();
        for (int q0 = 0, step = FmaRows.chunk(positions); q0 < positions; q0 += step) {
            int len = Math.min(step, positions - q0);
            for (int k0 = 0; k0 < K; k0 += OUT_BLOCK) {
                int kb = Math.min(OUT_BLOCK, K - k0);
                // filter k0 + i, tap t: kernel[t * K + k0 + i]
                sums(rows, planes, stride, taps, q0, len, kernel, k0, 1, K, kb);
                outputs(out, rows, q0, len, k0, kb, bias, relu);
            }
        }
    }

    /**
     * rows[GROUP + i] [0, len) write, for the outputs i &lt; count: the sum over the terms, in order,
     * of {@code w[wAt + i * wOutput + t * wTerm]} times term t's plane at the positions
     * [q0, q0 + len) (planes: plane p from p * stride). Six terms' runs are copied into rows[0 ..
     * GROUP) at a time, then every output adds them.
     */
    private static void sums(float[][] rows, float[] planes, int stride, Terms terms, int q0, int len,
                             float[] w, int wAt, int wOutput, int wTerm, int count) {
        for (int i = 0; i < count; i++) {
            Arrays.fill(rows[GROUP + i], 0, len, 0f);
        }
        int T = terms.count();
        for (int t0 = 0; t0 < T; t0 += GROUP) {
            int group = Math.min(GROUP, T - t0);
            for (int i = 0; i < group; i++) {
                System.arraycopy(planes, terms.plane()[t0 + i] * stride + q0 + terms.shift()[t0 + i], rows[i], 0, len);
            }
            for (int i = 0; i < count; i++) {
                FmaRows.add(rows[GROUP + i], rows, 0, group, w, wAt + i * wOutput + t0 * wTerm, wTerm, len);
            }
        }
    }

    /** planes (S-phases x C planes of stride floats; per plane (n, Hq, Wq) then slack) write, zero where no input cell lands; in (n, H, W, C) reads. */
    private void toPhasePlanes(float[] planes, int stride, float[] in, int n) {
        int H = g.inH(), W = g.inW(), C = g.channels(), sh = g.strideH(), sw = g.strideW();
        Arrays.fill(planes, 0, sh * sw * C * stride, 0f);
        for (int b = 0; b < n; b++) {
            for (int iy = 0; iy < H; iy++) {
                int y = iy + g.padTop();
                int rowBase = b * Hq * Wq + y / sh * Wq;
                int phaseRow = y % sh * sw;
                if (C == 1 && sw == 1) {
                    // one channel, one column phase: the image row is a run of the plane
                    System.arraycopy(in, (b * H + iy) * W, planes, phaseRow * stride + rowBase + g.padLeft(), W);
                    continue;
                }
                for (int ix = 0; ix < W; ix++) {
                    int x = ix + g.padLeft();
                    int at = (phaseRow + x % sw) * C * stride + rowBase + x / sw;
                    int src = ((b * H + iy) * W + ix) * C;
                    for (int c = 0; c < C; c++) {
                        planes[at + c * stride] = in[src + c];
                    }
                }
            }
        }
    }

    /**
     * out (n, OH, OW, K) writes filters [k0, k0 + kb) of the output positions among wide positions
     * [q0, q0 + len): rows[GROUP + i][j] plus bias, then ReLU. Bias and ReLU run on the whole rows,
     * vectorised, before the copy into NHWC.
     */
    private void outputs(float[] out, float[][] rows, int q0, int len, int k0, int kb, float[] bias, boolean relu) {
        for (int i = 0; i < kb; i++) {
            finish(rows[GROUP + i], len, bias == null ? 0f : bias[k0 + i], bias != null, relu);
        }
        int OH = g.outH(), OW = g.outW(), plane = Hq * Wq;
        int b = q0 / plane, oy = q0 % plane / Wq, ox = q0 % Wq;
        for (int j = 0; j < len; ) {
            int run = Math.min(len - j, Wq - ox);
            if (oy < OH && ox < OW) {
                int valid = Math.min(run, OW - ox);
                int o = ((b * OH + oy) * OW + ox) * K + k0;
                for (int i = 0; i < kb; i++) {
                    float[] y = rows[GROUP + i];
                    for (int p = 0; p < valid; p++) {
                        out[o + i + p * K] = y[j + p];
                    }
                }
            }
            j += run;
            ox = 0;
            if (++oy == Hq) {
                oy = 0;
                b++;
            }
        }
    }

    /** y [0, len) in place: plus b, then max(., 0). */
    private static void finish(float[] y, int len, float b, boolean hasBias, boolean relu) {
        if (hasBias) {
            for (int j = 0; j < len; j++) {
                y[j] += b;
            }
        }
        if (relu) {
            for (int j = 0; j < len; j++) {
                y[j] = Math.max(y[j], 0f);
            }
        }
    }

    // ---- input gradient ----

    @Override
    public void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch) {
        float[] planes = scratch.floats();
        float[][] rows = scratch.rows();
        int stride = gradientStride(n);
        toGradientPlanes(planes, stride, dOut, n);
        int C = g.channels();
        int positions = (n - 1) * Hd * Wd + (Hq - 1) * Wd + Wq;
        for (Phase ph : phases) {
            int terms = ph.terms().count();
            for (int q0 = 0, step = FmaRows.chunk(positions); q0 < positions; q0 += step) {
                int len = Math.min(step, positions - q0);
                for (int c0 = 0; c0 < C; c0 += OUT_BLOCK) {
                    int cb = Math.min(OUT_BLOCK, C - c0);
                    // channel c0 + i, term t: packed[packedAt + (c0 + i) * terms + t]
                    sums(rows, planes, stride, ph.terms(), q0, len, packed, ph.packedAt() + c0 * terms, terms, 1, cb);
                    inputCells(dIn, rows, ph, q0, len, c0, cb);
                }
            }
        }
    }

    /** planes (K planes of stride floats; per plane (n, Hd, Wd) then slack) write, zero but where dOut lands; dOut (n, OH, OW, K) reads. */
    private void toGradientPlanes(float[] planes, int stride, float[] dOut, int n) {
        int OH = g.outH(), OW = g.outW();
        Arrays.fill(planes, 0, K * stride, 0f);
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int rowBase = (b * Hd + oy + marginTop) * Wd + marginLeft;
                for (int ox = 0; ox < OW; ox++) {
                    int src = ((b * OH + oy) * OW + ox) * K;
                    for (int k = 0; k < K; k++) {
                        planes[k * stride + rowBase + ox] = dOut[src + k];
                    }
                }
            }
        }
    }

    /**
     * dIn (n, H, W, C) writes channels [c0, c0 + cb) of the input cells of phase ph among the wide
     * positions [q0, q0 + len) of its grid (n, Hd, Wd): rows[GROUP + i][j] (zeros where the phase takes no window cell).
     */
    private void inputCells(float[] dIn, float[][] rows, Phase ph, int q0, int len, int c0, int cb) {
        int H = g.inH(), W = g.inW(), C = g.channels(), sh = g.strideH(), sw = g.strideW();
        int plane = Hd * Wd;
        int b = q0 / plane, u = q0 % plane / Wd, v = q0 % Wd;
        for (int j = 0; j < len; ) {
            int run = Math.min(len - j, Wd - v);
            int iy = u * sh + ph.py() - g.padTop();
            if (u < Hq && iy >= 0 && iy < H) {
                // the row's columns v with 0 <= v * sw + px - padLeft < W, among [v, v + run)
                int first = Math.max(v, ceilDiv(g.padLeft() - ph.px(), sw));
                int end = Math.min(Math.min(v + run, Wq), ceilDiv(W + g.padLeft() - ph.px(), sw));
                for (int col = first; col < end; col++) {
                    int at = ((b * H + iy) * W + col * sw + ph.px() - g.padLeft()) * C + c0;
                    int from = j + col - v;
                    for (int i = 0; i < cb; i++) {
                        dIn[at + i] = rows[GROUP + i][from];
                    }
                }
            }
            j += run;
            v = 0;
            if (++u == Hd) {
                u = 0;
                b++;
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return Math.floorDiv(a + b - 1, b);
    }

    // ---- kernel gradient ----

    @Override
    public void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch) {
        gradient.run(dKernel, dBias, dOut, in, n, scratch);
    }
}
