package io.github.purecnn.kernels.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernels every Vector API convolution and dense plan runs on: a block
 * of outputs held in vector registers while its terms stream past, one fused multiply-add per term,
 * in the canonical order. Vectors run across independent outputs (filters, or channels), never
 * across the terms of one sum, so the results do not depend on the vector width.
 *
 * <p>One product serves every pass: {@code c[i][v] = sum over t of a[rows[i] + aOff[t]] * b[t * ldb + v]}
 * for 6 (or 12) rows i and 2 (or 1) vectors v, the offsets of a split into a part per row and a
 * part per term. In the forward pass rows are output pixels and terms the window taps; in the input
 * gradient rows are input pixels and terms the taps of the transposed convolution; in the kernel
 * gradient rows are taps and terms the shard's output pixels.
 *
 * <p>6x2 and 12x1 hold twelve accumulators, which with the loaded and broadcast operands fit the 16
 * vector registers of AVX2 as well as the 32 of AVX-512; a wider filter count takes 6x2 blocks, one
 * leftover vector a 12x1 block. Results go to {@code c} row by row, {@code ldc} apart, full vectors.
 */
final class VectorGemm {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int VL = SPECIES.length();

    private VectorGemm() {
    }

    /**
     * c rows {@code cOff + i * ldc}, i &lt; 6, two vectors each, write: the sums over t &lt; taps of
     * {@code a[rows[ro + i] + aOff[ao + t]] * b[bOff + t * ldb + (0 | VL) + lane]}, each from zero, in t order.
     */
    static void sumOverTaps6x2(float[] c, int cOff, int ldc, float[] a, int[] rows, int ro, int[] aOff, int ao, int taps,
                               float[] b, int bOff, int ldb) {
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        int r0 = rows[ro], r1 = rows[ro + 1], r2 = rows[ro + 2], r3 = rows[ro + 3], r4 = rows[ro + 4], r5 = rows[ro + 5];
        int bRow = bOff;
        for (int t = 0; t < taps; t++, bRow += ldb) {
            int o = aOff[ao + t];
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bRow);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bRow + VL);
            FloatVector x = FloatVector.broadcast(SPECIES, a[r0 + o]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(SPECIES, a[r1 + o]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(SPECIES, a[r2 + o]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(SPECIES, a[r3 + o]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(SPECIES, a[r4 + o]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(SPECIES, a[r5 + o]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + VL);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + VL);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + VL);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + VL);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + VL);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + VL);
    }

    /** As {@link #sumOverTaps6x2}, for twelve rows and one vector. */
    static void sumOverTaps12x1(float[] c, int cOff, int ldc, float[] a, int[] rows, int ro, int[] aOff, int ao, int taps,
                                float[] b, int bOff, int ldb) {
        FloatVector z = FloatVector.zero(SPECIES);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z, c6 = z, c7 = z, c8 = z, c9 = z, c10 = z, c11 = z;
        int r0 = rows[ro], r1 = rows[ro + 1], r2 = rows[ro + 2], r3 = rows[ro + 3], r4 = rows[ro + 4], r5 = rows[ro + 5];
        int r6 = rows[ro + 6], r7 = rows[ro + 7], r8 = rows[ro + 8], r9 = rows[ro + 9], r10 = rows[ro + 10], r11 = rows[ro + 11];
        int bRow = bOff;
        for (int t = 0; t < taps; t++, bRow += ldb) {
            int o = aOff[ao + t];
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bRow);
            c0 = FloatVector.broadcast(SPECIES, a[r0 + o]).fma(b0, c0);
            c1 = FloatVector.broadcast(SPECIES, a[r1 + o]).fma(b0, c1);
            c2 = FloatVector.broadcast(SPECIES, a[r2 + o]).fma(b0, c2);
            c3 = FloatVector.broadcast(SPECIES, a[r3 + o]).fma(b0, c3);
            c4 = FloatVector.broadcast(SPECIES, a[r4 + o]).fma(b0, c4);
            c5 = FloatVector.broadcast(SPECIES, a[r5 + o]).fma(b0, c5);
            c6 = FloatVector.broadcast(SPECIES, a[r6 + o]).fma(b0, c6);
            c7 = FloatVector.broadcast(SPECIES, a[r7 + o]).fma(b0, c7);
            c8 = FloatVector.broadcast(SPECIES, a[r8 + o]).fma(b0, c8);
            c9 = FloatVector.broadcast(SPECIES, a[r9 + o]).fma(b0, c9);
            c10 = FloatVector.broadcast(SPECIES, a[r10 + o]).fma(b0, c10);
            c11 = FloatVector.broadcast(SPECIES, a[r11 + o]).fma(b0, c11);
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
}
