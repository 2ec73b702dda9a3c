package io.github.purecnn.layers;

import java.util.Locale;
import java.util.SplittableRandom;

import io.github.purecnn.tensor.Shape;

/**
 * How a weight starts, by Keras's initializer names. Fans follow Keras's {@code compute_fans}: a
 * vector (n) has fan-in and fan-out n, a matrix (in, out) has in and out, and a kernel
 * (..., in, out) multiplies both by its receptive field, the product of the leading dimensions:
 * a Conv2D kernel (kh, kw, cin, filters) has fan-in {@code kh * kw * cin} and fan-out
 * {@code kh * kw * filters}.
 */
public enum Initializer {
    /** Uniform in {@code [-limit, limit]}, {@code limit = sqrt(6 / (fanIn + fanOut))}: Keras's default for kernels. */
    GLOROT_UNIFORM,
    /** All 0: Keras's default for biases, batch normalisation's beta and moving mean. */
    ZEROS,
    /** All 1: batch normalisation's gamma and moving variance. */
    ONES;

    /**
     * The Keras name: {@code "glorot_uniform"}, {@code "zeros"}, {@code "ones"}.
     *
     * @return the lower-case name Keras's configs use
     */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The initializer of a Keras name.
     *
     * @param name a Keras initializer name: {@code "glorot_uniform"}, {@code "zeros"} or {@code "ones"}
     * @return the initializer of that name
     * @throws IllegalArgumentException naming the name and the ones known
     */
    public static Initializer fromKerasName(String name) {
        for (Initializer i : values()) {
            if (i.kerasName().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown initializer '" + name + "', expected one of glorot_uniform, zeros, ones");
    }

    /**
     * Writes the initial values of a weight of {@code shape} into {@code values}, drawing from
     * {@code rng} (only Glorot draws, one value after the other in index order).
     *
     * @param values the weight's values, row-major, overwritten whole
     * @param shape the weight's shape, in Keras's layout, which gives the fans
     * @param rng the random source Glorot draws from; not read by the constant initializers (null is fine for
     *     them)
     */
    public void fill(float[] values, Shape shape, SplittableRandom rng) {
        switch (this) {
            case ZEROS -> java.util.Arrays.fill(values, 0f);
            case ONES -> java.util.Arrays.fill(values, 1f);
            case GLOROT_UNIFORM -> {
                int[] d = shape.dims();
                long fanIn;
                long fanOut;
                if (d.length == 0) {
                    fanIn = 1;
                    fanOut = 1;
                } else if (d.length == 1) {
                    fanIn = d[0];
                    fanOut = d[0];
                } else {
                    long receptiveField = 1;
                    for (int i = 0; i < d.length - 2; i++) {
                        receptiveField *= d[i];
                    }
                    fanIn = d[d.length - 2] * receptiveField;
                    fanOut = d[d.length - 1] * receptiveField;
                }
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) ((2 * rng.nextDouble() - 1) * limit);
                }
            }
        }
    }
}
