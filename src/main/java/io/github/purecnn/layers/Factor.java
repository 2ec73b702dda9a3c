package io.github.purecnn.layers;

import java.util.List;

/**
 * A Keras factor argument as given: one number, or a pair {@code [first, second]}. Configs write
 * it back as given; what it means is the layer's: a range of shifts, angles or zooms, or
 * RandomContrast's distances below and above 1.
 */
record Factor(double first, double second, boolean pair) {

    static Factor of(double value) {
        return new Factor(value, value, false);
    }

    static Factor of(double first, double second) {
        return new Factor(first, second, true);
    }

    /**
     * Keras's {@code _set_factor} range for translations, rotations and zooms: a number f gives
     * [-|f|, |f|], a pair its two values in increasing order; every value must lie in [-1, 1].
     *
     * @throws IllegalArgumentException naming the argument and the value otherwise
     */
    Factor checkSymmetric(String what) {
        if (!(Math.abs(first) <= 1) || !(Math.abs(second) <= 1)) {
            throw new IllegalArgumentException(what + " must be a number or a pair of numbers in [-1, 1], found "
                    + kerasValue());
        }
        return this;
    }

    /** The lower end of the symmetric range. */
    double lower() {
        return pair ? Math.min(first, second) : -Math.abs(first);
    }

    /** The upper end of the symmetric range. */
    double upper() {
        return pair ? Math.max(first, second) : Math.abs(first);
    }

    /** The value as Keras writes it: a number or a two-element list. */
    Object kerasValue() {
        return pair ? List.of(first, second) : first;
    }

    @Override
    public String toString() {
        return String.valueOf(kerasValue());
    }
}
