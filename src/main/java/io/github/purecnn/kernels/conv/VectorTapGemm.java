package io.github.purecnn.kernels.conv;

import jdk.incubator.vector.FloatVector;

import static io.github.purecnn.kernels.conv.VectorGemm.SPECIES;
import static io.github.purecnn.kernels.conv.VectorGemm.VL;

/**
 * Micro-kernels for the kernel gradient where a block's taps lie side by side in the input: for a
 * window row r, the taps (s, c) of an output pixel are consecutive floats of the (bordered) input,
 * so row i of a block takes {@code a[aOff + terms[t] + i]}, at constant offsets from one index,
 * whose bounds checks C2 merges into one (the general {@link VectorGemm#sum12x2} checks each row's
 * load apart: 104 instructions per 24 FMAs in C2's loop). The sums, for rows i and vectors j:
 * <pre>
 *   c[cOff + i*ldc + j*VL + lane] = init[initOff + i*ldInit + j*VL + lane]
 *       + sum over t in [t0, t1) of a[aOff + terms[t] + i] * b[bOff + (t - t0)*ldb + j*VL + lane]
 * </pre>
 * a chain of fused multiply-adds in t order (the shard's output pixels, in canonical order),
 * continuing from the initial values: {@link VectorGemm#ZEROS} with {@code ldInit} 0 to start,
 * the sums themselves to continue them. 6x4 and 12x2 (24 accumulators) with AVX-512's 32
 * registers only; 12x1 (twelve, in two runs of six) with AVX2's 16 as well.
 */
final class VectorTapGemm {
    private VectorTapGemm() {
    }

    /** The micro-kernel of {@code group} vectors of filters: 6x4 for four, else 12x2. */
    static void product(int group, float[] c, int cOff, int ldc, float[] init, int initOff, int ldInit, float[] a, int aOff,
                        int[] terms, int t0, int t1, float[] b, int bOff, int ldb) {
        if (group == 4) {
            sum6x4(c, cOff, ldc, init, initOff, ldInit, a, aOff, terms, t0, t1, b, bOff, ldb);
        } else {
            sum12x2(c, cOff, ldc, init, initOff, ldInit, a, aOff, terms, t0, t1, b, bOff, ldb);
        }
    }

    /**
     * Twelve taps by one vector of filters (the seed's conv2 at 16 lanes), in two runs of six side
     * by side, the second {@code second} floats past the first (6 when all twelve are side by side):
     * two bounds checks for the twelve rows. Rows 6 to 11 take {@code a[aOff + second + terms[t] + i - 6]};
     * otherwise see the class comment.
     */
    static void sum12x1(float[] c, int cOff, int ldc, float[] init, int initOff, int ldInit, float[] a, int aOff, int second,
                        int[] terms, int t0, int t1, float[] b, int bOff, int ldb) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, init, initOff);
        FloatVector c1 = FloatVector.fromArray(SPECIES, init, initOff + ldInit);
        FloatVector c2 = FloatVector.fromArray(SPECIES, init, initOff + 2 * ldInit);
        FloatVector c3 = FloatVector.fromArray(SPECIES, init, initOff + 3 * ldInit);
        FloatVector c4 = FloatVector.fromArray(SPECIES, init, initOff + 4 * ldInit);
        FloatVector c5 = FloatVector.fromArray(SPECIES, init, initOff + 5 * ldInit);
        FloatVector c6 = FloatVector.fromArray(SPECIES, init, initOff + 6 * ldInit);
        FloatVector c7 = FloatVector.fromArray(SPECIES, init, initOff + 7 * ldInit);
        FloatVector c8 = FloatVector.fromArray(SPECIES, init, initOff + 8 * ldInit);
        FloatVector c9 = FloatVector.fromArray(SPECIES, init, initOff + 9 * ldInit);
        FloatVector c10 = FloatVector.fromArray(SPECIES, init, initOff + 10 * ldInit);
        FloatVector c11 = FloatVector.fromArray(SPECIES, init, initOff + 11 * ldInit);
        for (int t = t0, bRow = bOff; t < t1; t++, bRow += ldb) {
            int o = aOff + terms[t];
            int o2 = o + second;
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bRow);
            c0 = FloatVector.broadcast(SPECIES, a[o]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[o + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[o + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[o + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, a[o + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, a[o + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(SPECIES, a[o2]).fma(b0, c6);
            c7 = FloatVector.broadcast(SPECIES, a[o2 + 1]).fma(b0, c7);
            c8 = FloatVector.broadcast(SPECIES, a[o2 + 2]).fma(b0, c8);
            c9 = FloatVector.broadcast(SPECIES, a[o2 + 3]).fma(b0, c9);
            c10 = FloatVector.broadcast(SPECIES, a[o2 + 4]).fma(b0, c10);
            c11 = FloatVector.broadcast(SPECIES, a[o2 + 5]).fma(b0, c11);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + ldc);
        c2.intoArray(c, cOff + 2 * ldc);
        c3.intoArray(c, cOff + 3 * ldc);
        c4.intoArray(c, cOff + 4 * ldc);
        c5.intoArray(c, cOff + 5 * ldc);
        c6.intoArray(c, cOff + 6 * ldc);
        c7.intoArray(c, cOff + 7 * ldc);
        c8.intoArray(c, cOff + 8 * ldc);
        c9.intoArray(c, cOff + 9 * ldc);
        c10.intoArray(c, cOff + 10 * ldc);
        c11.intoArray(c, cOff + 11 * ldc);
    }

    /** Twelve taps side by side by two vectors of filters: see the class comment. */
    static void sum12x2(float[] c, int cOff, int ldc, float[] init, int initOff, int ldInit, float[] a, int aOff, int[] terms,
                       int t0, int t1, float[] b, int bOff, int ldb) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, init, initOff), c01 = FloatVector.fromArray(SPECIES, init, initOff + VL);
        FloatVector c10 = FloatVector.fromArray(SPECIES, init, initOff + 1 * ldInit), c11 = FloatVector.fromArray(SPECIES, init, initOff + 1 * ldInit + VL);
        FloatVector c20 = FloatVector.fromArray(SPECIES, init, initOff + 2 * ldInit), c21 = FloatVector.fromArray(SPECIES, init, initOff + 2 * ldInit + VL);
        FloatVector c30 = FloatVector.fromArray(SPECIES, init, initOff + 3 * ldInit), c31 = FloatVector.fromArray(SPECIES, init, initOff + 3 * ldInit + VL);
        FloatVector c40 = FloatVector.fromArray(SPECIES, init, initOff + 4 * ldInit), c41 = FloatVector.fromArray(SPECIES, init, initOff + 4 * ldInit + VL);
        FloatVector c50 = FloatVector.fromArray(SPECIES, init, initOff + 5 * ldInit), c51 = FloatVector.fromArray(SPECIES, init, initOff + 5 * ldInit + VL);
        FloatVector c60 = FloatVector.fromArray(SPECIES, init, initOff + 6 * ldInit), c61 = FloatVector.fromArray(SPECIES, init, initOff + 6 * ldInit + VL);
        FloatVector c70 = FloatVector.fromArray(SPECIES, init, initOff + 7 * ldInit), c71 = FloatVector.fromArray(SPECIES, init, initOff + 7 * ldInit + VL);
        FloatVector c80 = FloatVector.fromArray(SPECIES, init, initOff + 8 * ldInit), c81 = FloatVector.fromArray(SPECIES, init, initOff + 8 * ldInit + VL);
        FloatVector c90 = FloatVector.fromArray(SPECIES, init, initOff + 9 * ldInit), c91 = FloatVector.fromArray(SPECIES, init, initOff + 9 * ldInit + VL);
        FloatVector c100 = FloatVector.fromArray(SPECIES, init, initOff + 10 * ldInit), c101 = FloatVector.fromArray(SPECIES, init, initOff + 10 * ldInit + VL);
        FloatVector c110 = FloatVector.fromArray(SPECIES, init, initOff + 11 * ldInit), c111 = FloatVector.fromArray(SPECIES, init, initOff + 11 * ldInit + VL);
        for (int t = t0, bRow = bOff; t < t1; t++, bRow += ldb) {
            int o = aOff + terms[t];
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bRow);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bRow + VL);
            FloatVector x = FloatVector.broadcast(SPECIES, a[o]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[o + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[o + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[o + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[o + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[o + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(SPECIES, a[o + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[o + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            x = FloatVector.broadcast(SPECIES, a[o + 8]);
            c80 = x.fma(b0, c80);
            c81 = x.fma(b1, c81);
            x = FloatVector.broadcast(SPECIES, a[o + 9]);
            c90 = x.fma(b0, c90);
            c91 = x.fma(b1, c91);
            x = FloatVector.broadcast(SPECIES, a[o + 10]);
            c100 = x.fma(b0, c100);
            c101 = x.fma(b1, c101);
            x = FloatVector.broadcast(SPECIES, a[o + 11]);
            c110 = x.fma(b0, c110);
            c111 = x.fma(b1, c111);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + VL);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + VL);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + VL);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + VL);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + VL);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + VL);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + VL);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + VL);
        c80.intoArray(c, cOff + 8 * ldc);
        c81.intoArray(c, cOff + 8 * ldc + VL);
        c90.intoArray(c, cOff + 9 * ldc);
        c91.intoArray(c, cOff + 9 * ldc + VL);
        c100.intoArray(c, cOff + 10 * ldc);
        c101.intoArray(c, cOff + 10 * ldc + VL);
        c110.intoArray(c, cOff + 11 * ldc);
        c111.intoArray(c, cOff + 11 * ldc + VL);
    }

    /** Six taps side by side by four vectors of filters: see the class comment. */
    static void sum6x4(float[] c, int cOff, int ldc, float[] init, int initOff, int ldInit, float[] a, int aOff, int[] terms,
                       int t0, int t1, float[] b, int bOff, int ldb) {
        FloatVector c00 = FloatVector.fromArray(SPECIES, init, initOff), c01 = FloatVector.fromArray(SPECIES, init, initOff + VL), c02 = FloatVector.fromArray(SPECIES, init, initOff + 2 * VL), c03 = FloatVector.fromArray(SPECIES, init, initOff + 3 * VL);
        FloatVector c10 = FloatVector.fromArray(SPECIES, init, initOff + 1 * ldInit), c11 = FloatVector.fromArray(SPECIES, init, initOff + 1 * ldInit + VL), c12 = FloatVector.fromArray(SPECIES, init, initOff + 1 * ldInit + 2 * VL), c13 = FloatVector.fromArray(SPECIES, init, initOff + 1 * ldInit + 3 * VL);
        FloatVector c20 = FloatVector.fromArray(SPECIES, init, initOff + 2 * ldInit), c21 = FloatVector.fromArray(SPECIES, init, initOff + 2 * ldInit + VL), c22 = FloatVector.fromArray(SPECIES, init, initOff + 2 * ldInit + 2 * VL), c23 = FloatVector.fromArray(SPECIES, init, initOff + 2 * ldInit + 3 * VL);
        FloatVector c30 = FloatVector.fromArray(SPECIES, init, initOff + 3 * ldInit), c31 = FloatVector.fromArray(SPECIES, init, initOff + 3 * ldInit + VL), c32 = FloatVector.fromArray(SPECIES, init, initOff + 3 * ldInit + 2 * VL), c33 = FloatVector.fromArray(SPECIES, init, initOff + 3 * ldInit + 3 * VL);
        FloatVector c40 = FloatVector.fromArray(SPECIES, init, initOff + 4 * ldInit), c41 = FloatVector.fromArray(SPECIES, init, initOff + 4 * ldInit + VL), c42 = FloatVector.fromArray(SPECIES, init, initOff + 4 * ldInit + 2 * VL), c43 = FloatVector.fromArray(SPECIES, init, initOff + 4 * ldInit + 3 * VL);
        FloatVector c50 = FloatVector.fromArray(SPECIES, init, initOff + 5 * ldInit), c51 = FloatVector.fromArray(SPECIES, init, initOff + 5 * ldInit + VL), c52 = FloatVector.fromArray(SPECIES, init, initOff + 5 * ldInit + 2 * VL), c53 = FloatVector.fromArray(SPECIES, init, initOff + 5 * ldInit + 3 * VL);
        for (int t = t0, bRow = bOff; t < t1; t++, bRow += ldb) {
            int o = aOff + terms[t];
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bRow);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bRow + VL);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bRow + 2 * VL);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bRow + 3 * VL);
            FloatVector x = FloatVector.broadcast(SPECIES, a[o]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(SPECIES, a[o + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(SPECIES, a[o + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(SPECIES, a[o + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(SPECIES, a[o + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(SPECIES, a[o + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + VL);
        c02.intoArray(c, cOff + 2 * VL);
        c03.intoArray(c, cOff + 3 * VL);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + VL);
        c12.intoArray(c, cOff + 1 * ldc + 2 * VL);
        c13.intoArray(c, cOff + 1 * ldc + 3 * VL);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + VL);
        c22.intoArray(c, cOff + 2 * ldc + 2 * VL);
        c23.intoArray(c, cOff + 2 * ldc + 3 * VL);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + VL);
        c32.intoArray(c, cOff + 3 * ldc + 2 * VL);
        c33.intoArray(c, cOff + 3 * ldc + 3 * VL);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + VL);
        c42.intoArray(c, cOff + 4 * ldc + 2 * VL);
        c43.intoArray(c, cOff + 4 * ldc + 3 * VL);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + VL);
        c52.intoArray(c, cOff + 5 * ldc + 2 * VL);
        c53.intoArray(c, cOff + 5 * ldc + 3 * VL);
    }
}
