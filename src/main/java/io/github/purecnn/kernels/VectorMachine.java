package io.github.purecnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the Vector API kernels take the machine to be beyond the vector length, read once from the
 * preferred vector species: whether gathers pay. (The blockings depend only on the vector length,
 * in {@link VectorKernels}.)
 *
 * <p>HotSpot 17 prefers 512-bit vectors on x86 exactly when it uses AVX-512, the only x86 case in
 * which it compiles a gather or a scatter to one instruction. With AVX2 (256 bits, 8 floats) each
 * runs the Vector API's Java fallback, which boxes: measured on an AVX2 machine (AMD EPYC, Zen 3),
 * the conv2 input gradient took 303 us and allocated 496 KB per shard of 16 with gathers and
 * scatters, about 135 us and nothing with scalar copies.
 */
final class VectorMachine {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    /** Gathers and scatters are single instructions; otherwise index-map copies run in scalars. */
    static final boolean GATHERS = SPECIES.vectorBitSize() >= 512;

    private VectorMachine() {
    }

    /** For the log: the vector width and the copies in use. */
    static String describe() {
        return SPECIES.vectorBitSize() + "-bit vectors, " + SPECIES.length() + " floats; "
                + (GATHERS ? "gathers and scatters" : "index copies in scalars");
    }
}
