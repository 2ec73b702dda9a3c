package io.github.purecnn.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise operations of the Vector API path whose results equal {@link Activations}' bit for
 * bit: they only select values, so vectors change nothing but the speed.
 */
public final class VectorElementwise {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private VectorElementwise() {
    }

    /**
     * dy [0, count) in place: dy where y &gt; 0, else +0 (as {@link Activations#reluBackward}: NaN
     * in y gives 0). A compare and a blend per vector; the last values one at a time.
     */
    public static void reluBackward(float[] dy, float[] y, int count) {
        FloatVector zero = FloatVector.zero(SPECIES);
        int i = 0;
        for (int end = SPECIES.loopBound(count); i < end; i += SPECIES.length()) {
            FloatVector d = FloatVector.fromArray(SPECIES, dy, i);
            zero.blend(d, FloatVector.fromArray(SPECIES, y, i).compare(VectorOperators.GT, 0f)).intoArray(dy, i);
        }
        Activations.reluBackward(dy, y, i, count);
    }
}
