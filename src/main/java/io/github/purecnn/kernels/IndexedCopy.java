package io.github.purecnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Copies through an index map, for layout changes of the Vector API kernels (NHWC to planes and
 * back): a vector gather at a time where HotSpot compiles one to an instruction
 * ({@link VectorMachine#GATHERS}), one value at a time elsewhere. Both give the same values.
 */
final class IndexedCopy {
    private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
    private static final int VL = SP.length();

    private IndexedCopy() {
    }

    /** dst[dstAt + i] = src[srcAt + map[i]] for i in [0, count). */
    static void gather(float[] dst, int dstAt, float[] src, int srcAt, int[] map, int count) {
        gather(dst, dstAt, src, srcAt, map, null, count, VectorMachine.GATHERS);
    }

    /** dst[dstAt + i] = src[srcAt + map[i]] * factor[i] for i in [0, count). */
    static void gather(float[] dst, int dstAt, float[] src, int srcAt, int[] map, float[] factor, int count) {
        gather(dst, dstAt, src, srcAt, map, factor, count, VectorMachine.GATHERS);
    }

    /** Either copy, by whole vectors of gathers then scalars, or all in scalars; factor may be null (no product). */
    static void gather(float[] dst, int dstAt, float[] src, int srcAt, int[] map, float[] factor, int count, boolean byVectors) {
        int i = 0;
        if (byVectors && factor == null) {
            for (; i <= count - VL; i += VL) {
                FloatVector.fromArray(SP, src, srcAt, map, i).intoArray(dst, dstAt + i);
            }
        } else if (byVectors) {
            for (; i <= count - VL; i += VL) {
                FloatVector.fromArray(SP, src, srcAt, map, i).mul(FloatVector.fromArray(SP, factor, i)).intoArray(dst, dstAt + i);
            }
        }
        if (factor == null) {
            for (; i < count; i++) {
                dst[dstAt + i] = src[srcAt + map[i]];
            }
        } else {
            for (; i < count; i++) {
                dst[dstAt + i] = src[srcAt + map[i]] * factor[i];
            }
        }
    }
}
