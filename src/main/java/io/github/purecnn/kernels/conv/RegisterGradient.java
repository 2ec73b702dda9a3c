package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;

/**
 * The kernel gradient as scalar sums held in registers, for windows of few taps (a first layer of
 * one to a few channels), where rows over taps or filters would be too short to vectorise: three
 * taps by four filters at a time (three filters where that divides K and four does not), twelve
 * sums each adding the output pixels in canonical order (seven loads per twelve multiply-adds).
 * Taps and filters past the end repeat the last one, whose sums are computed twice and stored once.
 */
final class RegisterGradient implements JavaPlanarConv.KernelGradient {
    private final Window2D g;
    private final int K;
    private final BorderedInput input;
    /** tapOffset[t], t = (r, s, c): where tap t lies from its window's first cell in the bordered input, (R*S*C) */
    private final int[] tapOffset;

    RegisterGradient(Window2D g, int filters, int Hp, int Wp) {
        this.g = g;
        this.K = filters;
        this.input = new BorderedInput(g, Hp, Wp);
        tapOffset = new int[g.taps()];
        for (int r = 0, t = 0; r < g.kH(); r++) {
            for (int s = 0; s < g.kW(); s++) {
                for (int c = 0; c < g.channels(); c++, t++) {
                    tapOffset[t] = input.tapOffset(r, s, c);
                }
            }
        }
    }

    @Override
    public void run(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch) {
        float[] x = input.of(in, n, scratch.floats());
        int T = g.taps();
        // four filters a block, or three where that divides K and four does not (the seed's 6)
        int filters = K % 4 != 0 && K % 3 == 0 ? 3 : 4;
        for (int t0 = 0; t0 < T; t0 += 3) {
            for (int k0 = 0; k0 < K; k0 += filters) {
                block(dKernel, dOut, x, n, t0, k0, filters == 4);
            }
        }
        if (dBias != null) {
            biasGradient(dBias, dOut, n * g.outPixels());
        }
    }

    /** dKernel rows t0 .. t0 + 2, columns k0 .. k0 + 3 (or + 2 unless four; those that exist) write. */
    private void block(float[] dKernel, float[] dOut, float[] x, int n, int t0, int k0, boolean four) {
        int T = g.taps(), OH = g.outH(), OW = g.outW();
        int oa = tapOffset[t0], ob = tapOffset[Math.min(t0 + 1, T - 1)], oc = tapOffset[Math.min(t0 + 2, T - 1)];
        int k1 = Math.min(k0 + 1, K - 1) - k0, k2 = Math.min(k0 + 2, K - 1) - k0, k3 = Math.min(k0 + 3, K - 1) - k0;
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, b0 = 0f, b1 = 0f, b2 = 0f, b3 = 0f, c0 = 0f, c1 = 0f, c2 = 0f, c3 = 0f;
        int d = k0;
        for (int b = 0; b < n; b++) {
            for (int oy = 0; oy < OH; oy++) {
                int base = input.pixelBase(b, oy, 0);
                int step = g.strideW() * g.channels();
                for (int ox = 0; ox < OW; ox++, base += step, d += K) {
                    float xa = x[base + oa], xb = x[base + ob], xc = x[base + oc];
                    float d0 = dOut[d], d1 = dOut[d + k1], d2 = dOut[d + k2];
                    a0 = Math.fma(xa, d0, a0);
                    a1 = Math.fma(xa, d1, a1);
                    a2 = Math.fma(xa, d2, a2);
                    b0 = Math.fma(xb, d0, b0);
                    b1 = Math.fma(xb, d1, b1);
                    b2 = Math.fma(xb, d2, b2);
                    c0 = Math.fma(xc, d0, c0);
                    c1 = Math.fma(xc, d1, c1);
                    c2 = Math.fma(xc, d2, c2);
                    if (four) {         // invariant: C2 compiles the loop twice, with and without
                        float d3 = dOut[d + k3];
                        a3 = Math.fma(xa, d3, a3);
                        b3 = Math.fma(xb, d3, b3);
                        c3 = Math.fma(xc, d3, c3);
                    }
                }
            }
        }
        int count = Math.min(four ? 4 : 3, K - k0);
        store4(dKernel, t0 * K + k0, count, a0, a1, a2, a3);
        if (t0 + 1 < T) {
            store4(dKernel, (t0 + 1) * K + k0, count, b0, b1, b2, b3);
        }
        if (t0 + 2 < T) {
            store4(dKernel, (t0 + 2) * K + k0, count, c0, c1, c2, c3);
        }
    }

    /** dst[at .. at + 3] = the four sums, the first {@code count} of them (all four from 4 on). */
    static void store4(float[] dst, int at, int count, float s0, float s1, float s2, float s3) {
        dst[at] = s0;
        if (count > 1) {
            dst[at + 1] = s1;
        }
        if (count > 2) {
            dst[at + 2] = s2;
        }
        if (count > 3) {
            dst[at + 3] = s3;
        }
    }

    /** dBias[k] = the sum of dOut[p, k] over the pixels p in order, four filters at a time. */
    private void biasGradient(float[] dBias, float[] dOut, int pixels) {
        for (int k0 = 0; k0 < K; k0 += 4) {
            int k1 = Math.min(k0 + 1, K - 1), k2 = Math.min(k0 + 2, K - 1), k3 = Math.min(k0 + 3, K - 1);
            float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
            for (int p = 0, d = 0; p < pixels; p++, d += K) {
                s0 += dOut[d + k0];
                s1 += dOut[d + k1];
                s2 += dOut[d + k2];
                s3 += dOut[d + k3];
            }
            store4(dBias, k0, K - k0, s0, s1, s2, s3);
        }
    }
}
