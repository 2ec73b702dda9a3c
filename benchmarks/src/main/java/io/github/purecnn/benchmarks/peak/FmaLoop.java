package io.github.purecnn.benchmarks.peak;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loop whose speed is the machine's FMA peak: twelve independent chains of vector fused
 * multiply-adds, nothing else. Loaded only when the JVM has the Vector API module.
 *
 * <p>Why twelve: a core with two FMA pipes of latency four (AMD Zen 3 to 5, Intel since Skylake)
 * needs eight chains in flight to keep both pipes busy; twelve leave a margin and, with the two
 * constant operands, still fit AVX2's sixteen vector registers, so nothing spills. Each chain
 * runs {@code a = a * m + c} with {@code m} just under one, which converges instead of growing,
 * so no value ever becomes infinite or subnormal (either would slow the FMAs down).
 */
final class FmaLoop {
    /** The widest vectors the JVM offers ({@code -XX:MaxVectorSize} narrows them). */
    static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Independent accumulators, as explained above. */
    static final int CHAINS = 12;
    /** FLOPs of one iteration: CHAINS fused multiply-adds of two FLOPs per lane. */
    static final long FLOPS_PER_ITERATION = 2L * CHAINS * SPECIES.length();

    private FmaLoop() {
    }

    /**
     * Runs {@code iterations} rounds of the twelve chains.
     *
     * @return the sum of the chains' lanes, so the JIT cannot drop the work
     */
    static float run(int iterations) {
        FloatVector m = FloatVector.broadcast(SPECIES, 0.999_999f);
        FloatVector c = FloatVector.broadcast(SPECIES, 1e-6f);
        FloatVector a0 = FloatVector.broadcast(SPECIES, 0.1f);
        FloatVector a1 = FloatVector.broadcast(SPECIES, 0.2f);
        FloatVector a2 = FloatVector.broadcast(SPECIES, 0.3f);
        FloatVector a3 = FloatVector.broadcast(SPECIES, 0.4f);
        FloatVector a4 = FloatVector.broadcast(SPECIES, 0.5f);
        FloatVector a5 = FloatVector.broadcast(SPECIES, 0.6f);
        FloatVector a6 = FloatVector.broadcast(SPECIES, 0.7f);
        FloatVector a7 = FloatVector.broadcast(SPECIES, 0.8f);
        FloatVector a8 = FloatVector.broadcast(SPECIES, 0.9f);
        FloatVector a9 = FloatVector.broadcast(SPECIES, 1.0f);
        FloatVector a10 = FloatVector.broadcast(SPECIES, 1.1f);
        FloatVector a11 = FloatVector.broadcast(SPECIES, 1.2f);
        for (int i = 0; i < iterations; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** A description of the vectors in use, for example {@code 512-bit vectors (16 floats)}. */
    static String vectors() {
        return SPECIES.vectorBitSize() + "-bit vectors (" + SPECIES.length() + " floats)";
    }
}
