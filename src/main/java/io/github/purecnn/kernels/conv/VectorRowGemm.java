package io.github.purecnn.kernels.conv;

import jdk.incubator.vector.FloatVector;

import static io.github.purecnn.kernels.conv.VectorGemm.SPECIES;
import static io.github.purecnn.kernels.conv.VectorGemm.VL;

/**
 * Micro-kernels for rows whose a-values lie side by side: row i of a block takes
 * {@code a[aBase + terms[t] + i]}, as the consecutive output positions of a one-channel
 * convolution with unit strides do. The rows' loads are then at constant offsets from one index,
 * whose bounds checks C2 merges into one: 44 instructions per 12 FMAs where
 * {@link VectorGemm#sum12x1}, one index per row, takes 84 (the seed's first layer). Otherwise as
 * {@link VectorGemm}: one chain of fused multiply-adds per output, in term order, from zero, then
 * the bias and {@code max(., floor)}; rows go to {@code c[cOff + i * ldc]}, b's rows are
 * {@code b[bOff + t * ldb]}.
 */
final class VectorRowGemm {
    private VectorRowGemm() {
    }

    /** Twelve consecutive rows by one vector. */
    static void sum12x1(float[] c, int cOff, int ldc, float[] a, int aBase, int[] terms, int t0, int t1,
                        float[] b, int bOff, int ldb, float[] bias, int biasOff, float floor) {
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z, c8 = z, c9 = z, c10 = z, c11 = z;
        int bRow = bOff;
        for (int t = t0; t < t1; t++, bRow += ldb) {
            int o = aBase + terms[t];
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bRow);
            c0 = FloatVector.broadcast(SPECIES, a[o]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[o + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[o + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[o + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, a[o + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, a[o + 5]).fma(b0, c5);
            c6 = FloatVector.broadcast(SPECIES, a[o + 6]).fma(b0, c6);
            c7 = FloatVector.broadcast(SPECIES, a[o + 7]).fma(b0, c7);
            c8 = FloatVector.broadcast(SPECIES, a[o + 8]).fma(b0, c8);
            c9 = FloatVector.broadcast(SPECIES, a[o + 9]).fma(b0, c9);
            c10 = FloatVector.broadcast(SPECIES, a[o + 10]).fma(b0, c10);
            c11 = FloatVector.broadcast(SPECIES, a[o + 11]).fma(b0, c11);
        }
        FloatVector bias0 = FloatVector.fromArray(SPECIES, bias, biasOff);
        FloatVector f = FloatVector.broadcast(SPECIES, floor);
        c0.add(bias0).max(f).intoArray(c, cOff);
        c1.add(bias0).max(f).intoArray(c, cOff + ldc);
        c2.add(bias0).max(f).intoArray(c, cOff + 2 * ldc);
        c3.add(bias0).max(f).intoArray(c, cOff + 3 * ldc);
        c4.add(bias0).max(f).intoArray(c, cOff + 4 * ldc);
        c5.add(bias0).max(f).intoArray(c, cOff + 5 * ldc);
        c6.add(bias0).max(f).intoArray(c, cOff + 6 * ldc);
        c7.add(bias0).max(f).intoArray(c, cOff + 7 * ldc);
        c8.add(bias0).max(f).intoArray(c, cOff + 8 * ldc);
        c9.add(bias0).max(f).intoArray(c, cOff + 9 * ldc);
        c10.add(bias0).max(f).intoArray(c, cOff + 10 * ldc);
        c11.add(bias0).max(f).intoArray(c, cOff + 11 * ldc);
    }

    /** Six consecutive rows by two vectors. */
    static void sum6x2(float[] c, int cOff, int ldc, float[] a, int aBase, int[] terms, int t0, int t1,
                       float[] b, int bOff, int ldb, float[] bias, int biasOff, float floor) {
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        int bRow = bOff;
        for (int t = t0; t < t1; t++, bRow += ldb) {
            int o = aBase + terms[t];
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bRow);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bRow + VL);
            FloatVector y = FloatVector.broadcast(SPECIES, a[o]);
            c00 = y.fma(b0, c00);
            c01 = y.fma(b1, c01);
            y = FloatVector.broadcast(SPECIES, a[o + 1]);
            c10 = y.fma(b0, c10);
            c11 = y.fma(b1, c11);
            y = FloatVector.broadcast(SPECIES, a[o + 2]);
            c20 = y.fma(b0, c20);
            c21 = y.fma(b1, c21);
            y = FloatVector.broadcast(SPECIES, a[o + 3]);
            c30 = y.fma(b0, c30);
            c31 = y.fma(b1, c31);
            y = FloatVector.broadcast(SPECIES, a[o + 4]);
            c40 = y.fma(b0, c40);
            c41 = y.fma(b1, c41);
            y = FloatVector.broadcast(SPECIES, a[o + 5]);
            c50 = y.fma(b0, c50);
            c51 = y.fma(b1, c51);
        }
        FloatVector bias0 = FloatVector.fromArray(SPECIES, bias, biasOff);
        FloatVector bias1 = FloatVector.fromArray(SPECIES, bias, biasOff + VL);
        FloatVector f = FloatVector.broadcast(SPECIES, floor);
        c00.add(bias0).max(f).intoArray(c, cOff);
        c01.add(bias1).max(f).intoArray(c, cOff + VL);
        c10.add(bias0).max(f).intoArray(c, cOff + ldc);
        c11.add(bias1).max(f).intoArray(c, cOff + ldc + VL);
        c20.add(bias0).max(f).intoArray(c, cOff + 2 * ldc);
        c21.add(bias1).max(f).intoArray(c, cOff + 2 * ldc + VL);
        c30.add(bias0).max(f).intoArray(c, cOff + 3 * ldc);
        c31.add(bias1).max(f).intoArray(c, cOff + 3 * ldc + VL);
        c40.add(bias0).max(f).intoArray(c, cOff + 4 * ldc);
        c41.add(bias1).max(f).intoArray(c, cOff + 4 * ldc + VL);
        c50.add(bias0).max(f).intoArray(c, cOff + 5 * ldc);
        c51.add(bias1).max(f).intoArray(c, cOff + 5 * ldc + VL);
    }
}
