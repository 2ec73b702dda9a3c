package io.github.purecnn.kernels.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-blocked micro-kernels every Vector API convolution and dense plan runs on: a block
 * of outputs held in vector registers while its terms stream past, one fused multiply-add per term,
 * in the canonical order. Vectors run across independent outputs (filters, or channels), never
 * across the terms of one sum, so the results do not depend on the vector width.
 *
 * <p>One product serves every pass: for 6 (or 12) rows i and 2 (or 1) vectors j,
 * <pre>
 *   c[idx[cRowsAt + i] + cOff + j*VL + lane] = max(floor, bias[biasOff + j*VL + lane]
 *       + (init[idx[initRowsAt + i] + initOff + j*VL + lane]
 *          + sum over t in [t0, t1) of a[idx[rowsAt + i] + terms[t]] * b[bOff + bTerms[t + bShift] + j*VL + lane]))
 * </pre>
 * where idx holds the rows' offsets (of a, of c, of the initial values) side by side.
 * the sum a chain of fused multiply-adds in t order, continuing from the initial value. In the
 * forward pass rows are output pixels, terms the window taps, b the packed kernel; in the input
 * gradient rows are input pixels, terms the taps of the transposed convolution; in the kernel
 * gradient rows are taps and terms the shard's output pixels, b the output gradient.
 *
 * <p>The initial values are zeros ({@link #ZEROS}, with row offsets of 0), or the outputs
 * themselves, to continue sums over a further range of terms (the same chain, so the same bits as
 * one long range). No bias is {@link #ZEROS}: adding +0 to a chain started from +0 changes nothing
 * (such a chain is never -0). No ReLU is a floor of -infinity: {@code max(x, -inf)} is x, NaN included.
 * The arguments choose; the code has no branch that merges vectors (C2 on JDK 17 would box them).
 *
 * <p>6x2 and 12x1 hold twelve accumulators, which with the loaded and broadcast operands fit the 16
 * vector registers of AVX2 as well as the 32 of AVX-512; a wider filter count takes 6x2 blocks, one
 * leftover vector a 12x1 block. With AVX-512's 32 registers, 6x4 and 12x2 hold 24: four vectors of
 * filters take 6x4, two take 12x2 (C2's loop for 6x2 is 62 instructions per 12 FMAs, most of them
 * the loads and bounds checks of its six broadcasts and two vectors of b; for 12x2, 104 per 24).
 */
final class VectorGemm {
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    static final int VL = SPECIES.length();
    /** Initial values of zero (with row offsets of 0), and no bias. */
    static final float[] ZEROS = new float[4 * VL];
    /**
     * Vectors per row of the widest micro-kernel this machine's registers hold: four (6x4, 24
     * accumulators) with 16-float vectors, which come with AVX-512's 32 registers; two (6x2) with
     * narrower ones, which may be AVX2's 16.
     */
    static final int WIDEST = VL >= 16 ? 4 : 2;

    private VectorGemm() {
    }

    /**
     * The micro-kernel of {@code group} vectors per row (4, 2 or 1) and {@code height} rows: 6x4,
     * 12x2 or 6x2, 12x1. See the class comment for the arguments.
     */
    static void product(int group, int height, float[] c, int[] idx, int cRowsAt, int cOff, float[] init, int initRowsAt, int initOff,
                        float[] a, int rowsAt, int[] terms, int t0, int t1, float[] b, int bOff, int[] bTerms, int bShift,
                        float[] bias, int biasOff, float floor) {
        if (group == 4) {
            sum6x4(c, idx, cRowsAt, cOff, init, initRowsAt, initOff, a, rowsAt, terms, t0, t1, b, bOff, bTerms, bShift, bias, biasOff, floor);
        } else if (group == 2 && height == 12) {
            sum12x2(c, idx, cRowsAt, cOff, init, initRowsAt, initOff, a, rowsAt, terms, t0, t1, b, bOff, bTerms, bShift, bias, biasOff, floor);
        } else if (group == 2) {
            sum6x2(c, idx, cRowsAt, cOff, init, initRowsAt, initOff, a, rowsAt, terms, t0, t1, b, bOff, bTerms, bShift, bias, biasOff, floor);
        } else {
            sum12x1(c, idx, cRowsAt, cOff, init, initRowsAt, initOff, a, rowsAt, terms, t0, t1, b, bOff, bTerms, bShift, bias, biasOff, floor);
        }
    }

    /** Six rows by two vectors: see the class comment. */
    static void sum6x2(float[] c, int[] idx, int cRowsAt, int cOff, float[] init, int initRowsAt, int initOff,
                       float[] a, int rowsAt, int[] terms, int t0, int t1, float[] b, int bOff, int[] bTerms, int bShift,
                       float[] bias, int biasOff, float floor) {
        int i0 = idx[initRowsAt] + initOff, i1 = idx[initRowsAt + 1] + initOff, i2 = idx[initRowsAt + 2] + initOff;
        int i3 = idx[initRowsAt + 3] + initOff, i4 = idx[initRowsAt + 4] + initOff, i5 = idx[initRowsAt + 5] + initOff;
        FloatVector c00 = FloatVector.fromArray(SPECIES, init, i0), c01 = FloatVector.fromArray(SPECIES, init, i0 + VL);
        FloatVector c10 = FloatVector.fromArray(SPECIES, init, i1), c11 = FloatVector.fromArray(SPECIES, init, i1 + VL);
        FloatVector c20 = FloatVector.fromArray(SPECIES, init, i2), c21 = FloatVector.fromArray(SPECIES, init, i2 + VL);
        FloatVector c30 = FloatVector.fromArray(SPECIES, init, i3), c31 = FloatVector.fromArray(SPECIES, init, i3 + VL);
        FloatVector c40 = FloatVector.fromArray(SPECIES, init, i4), c41 = FloatVector.fromArray(SPECIES, init, i4 + VL);
        FloatVector c50 = FloatVector.fromArray(SPECIES, init, i5), c51 = FloatVector.fromArray(SPECIES, init, i5 + VL);
        int r0 = idx[rowsAt], r1 = idx[rowsAt + 1], r2 = idx[rowsAt + 2], r3 = idx[rowsAt + 3], r4 = idx[rowsAt + 4], r5 = idx[rowsAt + 5];
        for (int t = t0; t < t1; t++) {
            int o = terms[t];
            int bRow = bOff + bTerms[t + bShift];
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
        FloatVector bias0 = FloatVector.fromArray(SPECIES, bias, biasOff);
        FloatVector bias1 = FloatVector.fromArray(SPECIES, bias, biasOff + VL);
        FloatVector f = FloatVector.broadcast(SPECIES, floor);
        int o0 = idx[cRowsAt] + cOff, o1 = idx[cRowsAt + 1] + cOff, o2 = idx[cRowsAt + 2] + cOff;
        int o3 = idx[cRowsAt + 3] + cOff, o4 = idx[cRowsAt + 4] + cOff, o5 = idx[cRowsAt + 5] + cOff;
        c00.add(bias0).max(f).intoArray(c, o0);
        c01.add(bias1).max(f).intoArray(c, o0 + VL);
        c10.add(bias0).max(f).intoArray(c, o1);
        c11.add(bias1).max(f).intoArray(c, o1 + VL);
        c20.add(bias0).max(f).intoArray(c, o2);
        c21.add(bias1).max(f).intoArray(c, o2 + VL);
        c30.add(bias0).max(f).intoArray(c, o3);
        c31.add(bias1).max(f).intoArray(c, o3 + VL);
        c40.add(bias0).max(f).intoArray(c, o4);
        c41.add(bias1).max(f).intoArray(c, o4 + VL);
        c50.add(bias0).max(f).intoArray(c, o5);
        c51.add(bias1).max(f).intoArray(c, o5 + VL);
    }

    /**
     * Six rows by four vectors, for 32 vector registers (AVX-512): each broadcast value feeds four
     * fused multiply-adds instead of two. See the class comment.
     */
    static void sum6x4(float[] c, int[] idx, int cRowsAt, int cOff, float[] init, int initRowsAt, int initOff,
                       float[] a, int rowsAt, int[] terms, int t0, int t1, float[] b, int bOff, int[] bTerms, int bShift,
                       float[] bias, int biasOff, float floor) {
        int i0 = idx[initRowsAt] + initOff, i1 = idx[initRowsAt + 1] + initOff, i2 = idx[initRowsAt + 2] + initOff;
        int i3 = idx[initRowsAt + 3] + initOff, i4 = idx[initRowsAt + 4] + initOff, i5 = idx[initRowsAt + 5] + initOff;
        FloatVector c00 = FloatVector.fromArray(SPECIES, init, i0), c01 = FloatVector.fromArray(SPECIES, init, i0 + VL);
        FloatVector c02 = FloatVector.fromArray(SPECIES, init, i0 + 2 * VL), c03 = FloatVector.fromArray(SPECIES, init, i0 + 3 * VL);
        FloatVector c10 = FloatVector.fromArray(SPECIES, init, i1), c11 = FloatVector.fromArray(SPECIES, init, i1 + VL);
        FloatVector c12 = FloatVector.fromArray(SPECIES, init, i1 + 2 * VL), c13 = FloatVector.fromArray(SPECIES, init, i1 + 3 * VL);
        FloatVector c20 = FloatVector.fromArray(SPECIES, init, i2), c21 = FloatVector.fromArray(SPECIES, init, i2 + VL);
        FloatVector c22 = FloatVector.fromArray(SPECIES, init, i2 + 2 * VL), c23 = FloatVector.fromArray(SPECIES, init, i2 + 3 * VL);
        FloatVector c30 = FloatVector.fromArray(SPECIES, init, i3), c31 = FloatVector.fromArray(SPECIES, init, i3 + VL);
        FloatVector c32 = FloatVector.fromArray(SPECIES, init, i3 + 2 * VL), c33 = FloatVector.fromArray(SPECIES, init, i3 + 3 * VL);
        FloatVector c40 = FloatVector.fromArray(SPECIES, init, i4), c41 = FloatVector.fromArray(SPECIES, init, i4 + VL);
        FloatVector c42 = FloatVector.fromArray(SPECIES, init, i4 + 2 * VL), c43 = FloatVector.fromArray(SPECIES, init, i4 + 3 * VL);
        FloatVector c50 = FloatVector.fromArray(SPECIES, init, i5), c51 = FloatVector.fromArray(SPECIES, init, i5 + VL);
        FloatVector c52 = FloatVector.fromArray(SPECIES, init, i5 + 2 * VL), c53 = FloatVector.fromArray(SPECIES, init, i5 + 3 * VL);
        int r0 = idx[rowsAt], r1 = idx[rowsAt + 1], r2 = idx[rowsAt + 2], r3 = idx[rowsAt + 3], r4 = idx[rowsAt + 4], r5 = idx[rowsAt + 5];
        for (int t = t0; t < t1; t++) {
            int o = terms[t];
            int bRow = bOff + bTerms[t + bShift];
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bRow);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bRow + VL);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bRow + 2 * VL);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bRow + 3 * VL);
            FloatVector x = FloatVector.broadcast(SPECIES, a[r0 + o]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            c02 = x.fma(b2, c02);
            c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(SPECIES, a[r1 + o]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            c12 = x.fma(b2, c12);
            c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(SPECIES, a[r2 + o]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            c22 = x.fma(b2, c22);
            c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(SPECIES, a[r3 + o]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            c32 = x.fma(b2, c32);
            c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(SPECIES, a[r4 + o]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            c42 = x.fma(b2, c42);
            c43 = x.fma(b3, c43);
            x = FloatVector.broadcast(SPECIES, a[r5 + o]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            c52 = x.fma(b2, c52);
            c53 = x.fma(b3, c53);
        }
        FloatVector bias0 = FloatVector.fromArray(SPECIES, bias, biasOff);
        FloatVector bias1 = FloatVector.fromArray(SPECIES, bias, biasOff + VL);
        FloatVector bias2 = FloatVector.fromArray(SPECIES, bias, biasOff + 2 * VL);
        FloatVector bias3 = FloatVector.fromArray(SPECIES, bias, biasOff + 3 * VL);
        FloatVector f = FloatVector.broadcast(SPECIES, floor);
        int o0 = idx[cRowsAt] + cOff, o1 = idx[cRowsAt + 1] + cOff, o2 = idx[cRowsAt + 2] + cOff;
        int o3 = idx[cRowsAt + 3] + cOff, o4 = idx[cRowsAt + 4] + cOff, o5 = idx[cRowsAt + 5] + cOff;
        c00.add(bias0).max(f).intoArray(c, o0);
        c01.add(bias1).max(f).intoArray(c, o0 + VL);
        c02.add(bias2).max(f).intoArray(c, o0 + 2 * VL);
        c03.add(bias3).max(f).intoArray(c, o0 + 3 * VL);
        c10.add(bias0).max(f).intoArray(c, o1);
        c11.add(bias1).max(f).intoArray(c, o1 + VL);
        c12.add(bias2).max(f).intoArray(c, o1 + 2 * VL);
        c13.add(bias3).max(f).intoArray(c, o1 + 3 * VL);
        c20.add(bias0).max(f).intoArray(c, o2);
        c21.add(bias1).max(f).intoArray(c, o2 + VL);
        c22.add(bias2).max(f).intoArray(c, o2 + 2 * VL);
        c23.add(bias3).max(f).intoArray(c, o2 + 3 * VL);
        c30.add(bias0).max(f).intoArray(c, o3);
        c31.add(bias1).max(f).intoArray(c, o3 + VL);
        c32.add(bias2).max(f).intoArray(c, o3 + 2 * VL);
        c33.add(bias3).max(f).intoArray(c, o3 + 3 * VL);
        c40.add(bias0).max(f).intoArray(c, o4);
        c41.add(bias1).max(f).intoArray(c, o4 + VL);
        c42.add(bias2).max(f).intoArray(c, o4 + 2 * VL);
        c43.add(bias3).max(f).intoArray(c, o4 + 3 * VL);
        c50.add(bias0).max(f).intoArray(c, o5);
        c51.add(bias1).max(f).intoArray(c, o5 + VL);
        c52.add(bias2).max(f).intoArray(c, o5 + 2 * VL);
        c53.add(bias3).max(f).intoArray(c, o5 + 3 * VL);
    }

    /**
     * Twelve rows by two vectors, for 32 vector registers (AVX-512): 24 accumulators, as 6x4, for
     * filter (or channel) counts of two vectors, where 6x2 would leave half the registers idle and
     * spend more of its instructions on loads and bounds checks than on FMAs. See the class comment.
     */
    static void sum12x2(float[] c, int[] idx, int cRowsAt, int cOff, float[] init, int initRowsAt, int initOff,
                        float[] a, int rowsAt, int[] terms, int t0, int t1, float[] b, int bOff, int[] bTerms, int bShift,
                        float[] bias, int biasOff, float floor) {
        int i0 = idx[initRowsAt] + initOff;
        int i1 = idx[initRowsAt + 1] + initOff;
        int i2 = idx[initRowsAt + 2] + initOff;
        int i3 = idx[initRowsAt + 3] + initOff;
        int i4 = idx[initRowsAt + 4] + initOff;
        int i5 = idx[initRowsAt + 5] + initOff;
        int i6 = idx[initRowsAt + 6] + initOff;
        int i7 = idx[initRowsAt + 7] + initOff;
        int i8 = idx[initRowsAt + 8] + initOff;
        int i9 = idx[initRowsAt + 9] + initOff;
        int i10 = idx[initRowsAt + 10] + initOff;
        int i11 = idx[initRowsAt + 11] + initOff;
        FloatVector c00 = FloatVector.fromArray(SPECIES, init, i0), c01 = FloatVector.fromArray(SPECIES, init, i0 + VL);
        FloatVector c10 = FloatVector.fromArray(SPECIES, init, i1), c11 = FloatVector.fromArray(SPECIES, init, i1 + VL);
        FloatVector c20 = FloatVector.fromArray(SPECIES, init, i2), c21 = FloatVector.fromArray(SPECIES, init, i2 + VL);
        FloatVector c30 = FloatVector.fromArray(SPECIES, init, i3), c31 = FloatVector.fromArray(SPECIES, init, i3 + VL);
        FloatVector c40 = FloatVector.fromArray(SPECIES, init, i4), c41 = FloatVector.fromArray(SPECIES, init, i4 + VL);
        FloatVector c50 = FloatVector.fromArray(SPECIES, init, i5), c51 = FloatVector.fromArray(SPECIES, init, i5 + VL);
        FloatVector c60 = FloatVector.fromArray(SPECIES, init, i6), c61 = FloatVector.fromArray(SPECIES, init, i6 + VL);
        FloatVector c70 = FloatVector.fromArray(SPECIES, init, i7), c71 = FloatVector.fromArray(SPECIES, init, i7 + VL);
        FloatVector c80 = FloatVector.fromArray(SPECIES, init, i8), c81 = FloatVector.fromArray(SPECIES, init, i8 + VL);
        FloatVector c90 = FloatVector.fromArray(SPECIES, init, i9), c91 = FloatVector.fromArray(SPECIES, init, i9 + VL);
        FloatVector c100 = FloatVector.fromArray(SPECIES, init, i10), c101 = FloatVector.fromArray(SPECIES, init, i10 + VL);
        FloatVector c110 = FloatVector.fromArray(SPECIES, init, i11), c111 = FloatVector.fromArray(SPECIES, init, i11 + VL);
        int r0 = idx[rowsAt], r1 = idx[rowsAt + 1], r2 = idx[rowsAt + 2], r3 = idx[rowsAt + 3], r4 = idx[rowsAt + 4], r5 = idx[rowsAt + 5];
        int r6 = idx[rowsAt + 6], r7 = idx[rowsAt + 7], r8 = idx[rowsAt + 8], r9 = idx[rowsAt + 9], r10 = idx[rowsAt + 10], r11 = idx[rowsAt + 11];
        for (int t = t0; t < t1; t++) {
            int o = terms[t];
            int bRow = bOff + bTerms[t + bShift];
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
            x = FloatVector.broadcast(SPECIES, a[r6 + o]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(SPECIES, a[r7 + o]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
            x = FloatVector.broadcast(SPECIES, a[r8 + o]);
            c80 = x.fma(b0, c80);
            c81 = x.fma(b1, c81);
            x = FloatVector.broadcast(SPECIES, a[r9 + o]);
            c90 = x.fma(b0, c90);
            c91 = x.fma(b1, c91);
            x = FloatVector.broadcast(SPECIES, a[r10 + o]);
            c100 = x.fma(b0, c100);
            c101 = x.fma(b1, c101);
            x = FloatVector.broadcast(SPECIES, a[r11 + o]);
            c110 = x.fma(b0, c110);
            c111 = x.fma(b1, c111);
        }
        FloatVector bias0 = FloatVector.fromArray(SPECIES, bias, biasOff);
        FloatVector bias1 = FloatVector.fromArray(SPECIES, bias, biasOff + VL);
        FloatVector f = FloatVector.broadcast(SPECIES, floor);
        int o0 = idx[cRowsAt] + cOff;
        c00.add(bias0).max(f).intoArray(c, o0);
        c01.add(bias1).max(f).intoArray(c, o0 + VL);
        int o1 = idx[cRowsAt + 1] + cOff;
        c10.add(bias0).max(f).intoArray(c, o1);
        c11.add(bias1).max(f).intoArray(c, o1 + VL);
        int o2 = idx[cRowsAt + 2] + cOff;
        c20.add(bias0).max(f).intoArray(c, o2);
        c21.add(bias1).max(f).intoArray(c, o2 + VL);
        int o3 = idx[cRowsAt + 3] + cOff;
        c30.add(bias0).max(f).intoArray(c, o3);
        c31.add(bias1).max(f).intoArray(c, o3 + VL);
        int o4 = idx[cRowsAt + 4] + cOff;
        c40.add(bias0).max(f).intoArray(c, o4);
        c41.add(bias1).max(f).intoArray(c, o4 + VL);
        int o5 = idx[cRowsAt + 5] + cOff;
        c50.add(bias0).max(f).intoArray(c, o5);
        c51.add(bias1).max(f).intoArray(c, o5 + VL);
        int o6 = idx[cRowsAt + 6] + cOff;
        c60.add(bias0).max(f).intoArray(c, o6);
        c61.add(bias1).max(f).intoArray(c, o6 + VL);
        int o7 = idx[cRowsAt + 7] + cOff;
        c70.add(bias0).max(f).intoArray(c, o7);
        c71.add(bias1).max(f).intoArray(c, o7 + VL);
        int o8 = idx[cRowsAt + 8] + cOff;
        c80.add(bias0).max(f).intoArray(c, o8);
        c81.add(bias1).max(f).intoArray(c, o8 + VL);
        int o9 = idx[cRowsAt + 9] + cOff;
        c90.add(bias0).max(f).intoArray(c, o9);
        c91.add(bias1).max(f).intoArray(c, o9 + VL);
        int o10 = idx[cRowsAt + 10] + cOff;
        c100.add(bias0).max(f).intoArray(c, o10);
        c101.add(bias1).max(f).intoArray(c, o10 + VL);
        int o11 = idx[cRowsAt + 11] + cOff;
        c110.add(bias0).max(f).intoArray(c, o11);
        c111.add(bias1).max(f).intoArray(c, o11 + VL);
    }

    /** Twelve rows by one vector: see the class comment. */
    static void sum12x1(float[] c, int[] idx, int cRowsAt, int cOff, float[] init, int initRowsAt, int initOff,
                       float[] a, int rowsAt, int[] terms, int t0, int t1, float[] b, int bOff, int[] bTerms, int bShift,
                       float[] bias, int biasOff, float floor) {
        FloatVector c0 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt] + initOff);
        FloatVector c1 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt + 1] + initOff);
        FloatVector c2 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt + 2] + initOff);
        FloatVector c3 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt + 3] + initOff);
        FloatVector c4 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt + 4] + initOff);
        FloatVector c5 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt + 5] + initOff);
        FloatVector c6 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt + 6] + initOff);
        FloatVector c7 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt + 7] + initOff);
        FloatVector c8 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt + 8] + initOff);
        FloatVector c9 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt + 9] + initOff);
        FloatVector c10 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt + 10] + initOff);
        FloatVector c11 = FloatVector.fromArray(SPECIES, init, idx[initRowsAt + 11] + initOff);
        int r0 = idx[rowsAt], r1 = idx[rowsAt + 1], r2 = idx[rowsAt + 2], r3 = idx[rowsAt + 3], r4 = idx[rowsAt + 4], r5 = idx[rowsAt + 5];
        int r6 = idx[rowsAt + 6], r7 = idx[rowsAt + 7], r8 = idx[rowsAt + 8], r9 = idx[rowsAt + 9], r10 = idx[rowsAt + 10], r11 = idx[rowsAt + 11];
        for (int t = t0; t < t1; t++) {
            int o = terms[t];
            int bRow = bOff + bTerms[t + bShift];
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
        FloatVector bias0 = FloatVector.fromArray(SPECIES, bias, biasOff);
        FloatVector f = FloatVector.broadcast(SPECIES, floor);
        c0.add(bias0).max(f).intoArray(c, idx[cRowsAt] + cOff);
        c1.add(bias0).max(f).intoArray(c, idx[cRowsAt + 1] + cOff);
        c2.add(bias0).max(f).intoArray(c, idx[cRowsAt + 2] + cOff);
        c3.add(bias0).max(f).intoArray(c, idx[cRowsAt + 3] + cOff);
        c4.add(bias0).max(f).intoArray(c, idx[cRowsAt + 4] + cOff);
        c5.add(bias0).max(f).intoArray(c, idx[cRowsAt + 5] + cOff);
        c6.add(bias0).max(f).intoArray(c, idx[cRowsAt + 6] + cOff);
        c7.add(bias0).max(f).intoArray(c, idx[cRowsAt + 7] + cOff);
        c8.add(bias0).max(f).intoArray(c, idx[cRowsAt + 8] + cOff);
        c9.add(bias0).max(f).intoArray(c, idx[cRowsAt + 9] + cOff);
        c10.add(bias0).max(f).intoArray(c, idx[cRowsAt + 10] + cOff);
        c11.add(bias0).max(f).intoArray(c, idx[cRowsAt + 11] + cOff);
    }
}
