package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;

import java.util.Arrays;

import static io.github.purecnn.kernels.conv.FmaRows.GROUP;
import static io.github.purecnn.kernels.conv.JavaPlanarConv.OUT_BLOCK;

/**
 * The kernel gradient with taps on the vectorised axis, for windows of many taps (C of a dozen and
 * more): filter k's gradient is a row over the taps, {@code dK_k[t] += dOut[m, k] * x_m[t]}, adding
 * the output pixels m in canonical order, six per pass, where {@code x_m} is pixel m's window (its
 * im2col row: per window row, S * C consecutive floats of the bordered input). The bias gradient
 * rides along as one more tap whose input is 1 ({@code fma(1, d, acc)} rounds as {@code acc + d}).
 * The rows are written transposed into dKernel (R, S, C, K) at the end.
 */
final class TapRowsGradient implements JavaPlanarConv.KernelGradient {
    private final Window2D g;
    private final int K;
    private final BorderedInput input;
    /** The taps of a window as runs of consecutive floats of the bordered input: first tap, length, offset from the window's first cell. */
    private final int[] runTap;
    private final int[] runLength;
    private final int[] runOffset;

    TapRowsGradient(Window2D g, int filters, int Hp, int Wp) {
        this.g = g;
        this.K = filters;
        this.input = new BorderedInput(g, Hp, Wp);
        int R = g.kH(), S = g.kW(), C = g.channels();
        int perRun = g.dilationW() == 1 ? S * C : C;
        int runs = g.taps() / perRun;
        runTap = new int[runs];
        runLength = new int[runs];
        runOffset = new int[runs];
        for (int i = 0; i < runs; i++) {
            int t = i * perRun;
            runTap[i] = t;
            runLength[i] = perRun;
            runOffset[i] = input.tapOffset(t / (S * C), t / C % S, 0);
        }
    }

    @Override
    public void run(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch) {
        float[] x = input.of(in, n, scratch.floats());
        float[][] rows = scratch.rows();
        int T = g.taps(), OH = g.outH(), OW = g.outW();
        int taps = dBias == null ? T : T + 1;
        int pixels = n * OH * OW;
        for (int t0 = 0, step = FmaRows.chunk(taps); t0 < taps; t0 += step) {
            int tl = Math.min(step, taps - t0);
            for (int k0 = 0; k0 < K; k0 += OUT_BLOCK) {
                int kb = Math.min(OUT_BLOCK, K - k0);
                for (int i = 0; i < kb; i++) {
                    Arrays.fill(rows[GROUP + i], 0, tl, 0f);
                }
                int b = 0, oy = 0, ox = 0;
                for (int m0 = 0; m0 < pixels; m0 += GROUP) {
                    int count = Math.min(GROUP, pixels - m0);
                    for (int i = 0; i < count; i++) {
                        window(rows[i], x, input.pixelBase(b, oy, ox), t0, tl, T);
                        if (++ox == OW) {
                            ox = 0;
                            if (++oy == OH) {
                                oy = 0;
                                b++;
                            }
                        }
                    }
                    for (int i = 0; i < kb; i++) {
                        FmaRows.add(rows[GROUP + i], rows, 0, count, dOut, m0 * K + k0 + i, K, tl);
                    }
                }
                for (int i = 0; i < kb; i++) {
                    float[] acc = rows[GROUP + i];
                    int k = k0 + i;
                    for (int t = 0; t < tl && t0 + t < T; t++) {
                        dKernel[(t0 + t) * K + k] = acc[t];
                    }
                    if (t0 + tl > T) {
                        dBias[k] = acc[T - t0];
                    }
                }
            }
        }
    }

    /** row [0, tl) writes: taps [t0, t0 + tl) of the window whose first cell is x[base], and 1 for tap T (the bias). */
    private void window(float[] row, float[] x, int base, int t0, int tl, int T) {
        for (int i = 0; i < runTap.length; i++) {
            int from = Math.max(t0, runTap[i]), to = Math.min(t0 + tl, runTap[i] + runLength[i]);
            if (from < to) {
                System.arraycopy(x, base + runOffset[i] + from - runTap[i], row, from - t0, to - from);
            }
        }
        if (t0 + tl > T) {
            row[T - t0] = 1f;
        }
    }
}
