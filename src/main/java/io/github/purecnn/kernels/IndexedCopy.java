package io.github.purecnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies through an index map, the layout changes of the Vector API kernels (NHWC to planes and
 * back): a vector gather at a time where HotSpot compiles one to an instruction, one value at a
 * time elsewhere.
 *
 * <p>HotSpot 17 on x86 compiles gathers and scatters only with AVX-512, the one x86 case where
 * the preferred species has 512 bits. Elsewhere (AVX2, NEON) each call runs the Vector API's Java
 * fallback, which boxes: measured on an AVX2 machine, the conv2 input gradient took 303 us and
 * allocated 496 KB per shard of 16 with gathers and scatters, against ... us and nothing with
 * scalar copies.
 */
final class IndexedCopy {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SP.length();
    /** Whether gathers and scatters are single instructions (see the class comment). */
    static final boolean VECTOR = SP.vectorBitSize() >= 512;

    private IndexedCopy() {
    }

    /** dst[dstAt + i] = src[srcAt + map[i]] for i in [0, count). */
    static void gather(float[] dst, int dstAt, float[] src, int srcAt, int[] map, int count) {
        int i = 0;
        if (VECTOR) {
            for (; i <= count - VL; i += VL) {
                FloatVector.fromArray(SP, src, srcAt, map, i).intoArray(dst, dstAt + i);
            }
        }
        for (; i < count; i++) {
            dst[dstAt + i] = src[srcAt + map[i]];
        }
    }

    /** dst[dstAt + i] = src[srcAt + map[i]] * factor[i] for i in [0, count). */
    static void gather(float[] dst, int dstAt, float[] src, int srcAt, int[] map, float[] factor, int count) {
        int i = 0;
        if (VECTOR) {
            for (; i <= count - VL; i += VL) {
                FloatVector.fromArray(SP, src, srcAt, map, i).mul(FloatVector.fromArray(SP, factor, i)).intoArray(dst, dstAt + i);
            }
        }
        for (; i < count; i++) {
            dst[dstAt + i] = src[srcAt + map[i]] * factor[i];
        }
    }
}
