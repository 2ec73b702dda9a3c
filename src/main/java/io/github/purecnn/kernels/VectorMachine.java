package io.github.purecnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the Vector API kernels take the machine to be, read once from the preferred vector species,
 * and so which of their variants they run: the one place where that choice is made.
 *
 * <p>HotSpot 17 prefers 512-bit vectors on x86 exactly when it uses AVX-512, which also brings 32
 * vector registers and single-instruction gathers and scatters. With AVX2 (256 bits, 8 floats)
 * there are 16 registers, and HotSpot 17 compiles no gather or scatter: each runs the Vector API's
 * Java fallback, which boxes. Measured on an AVX2 machine (AMD EPYC, Zen 3): the conv2 input
 * gradient took 303 us and allocated 496 KB per shard of 16 with gathers and scatters, about 135 us
 * and nothing with scalar copies; blocks of twelve accumulators instead of sixteen or eighteen made
 * the conv2 kernel gradient 95-120 -> 62-72 us, the conv2 forward 88-151 -> 66-76 us and the
 * 576 -> 120 dense kernel gradient 56-77 -> 47 us.
 */
final class VectorMachine {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final boolean AVX512_CLASS = SPECIES.vectorBitSize() >= 512;

    /** 32 vector registers: register blocks of sixteen or eighteen accumulators fit; otherwise blocks of twelve. */
    static final boolean WIDE_REGISTER_FILE = AVX512_CLASS;
    /** Gathers and scatters are single instructions; otherwise index-map copies run in scalars. */
    static final boolean GATHERS = AVX512_CLASS;

    private VectorMachine() {
    }

    /** For the log: the vector width and the variants in use. */
    static String describe() {
        return SPECIES.vectorBitSize() + "-bit vectors, " + SPECIES.length() + " floats; "
                + (WIDE_REGISTER_FILE ? "blocks for 32 registers" : "blocks for 16 registers") + ", "
                + (GATHERS ? "gathers and scatters" : "index copies in scalars");
    }
}
