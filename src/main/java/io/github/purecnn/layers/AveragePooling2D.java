package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.runtime.Step;

/**
 * Average pooling, as Keras's {@code AveragePooling2D}. With {@code 'same'} padding a window that
 * hangs over the border averages only the cells inside the input (26x26 pools to 13x13, 11x11
 * to 6x6 with a last row and column of half-windows).
 * <pre>{@code new AveragePooling2D(2).padding(Padding.SAME)}</pre>
 */
public final class AveragePooling2D extends Pooling2D {

    /**
     * A square window of {@code poolSize}, strides equal to it, padding VALID (Keras's defaults).
     *
     * @param poolSize Keras's {@code pool_size} as one number: the window's height and width, at least 1
     * @throws IllegalArgumentException if {@code poolSize} is below 1
     */
    public AveragePooling2D(int poolSize) {
        super(poolSize, poolSize);
    }

    /**
     * A {@code poolH x poolW} window, strides equal to it, padding VALID.
     *
     * @param poolH the window's height, at least 1
     * @param poolW the window's width, at least 1
     * @throws IllegalArgumentException if a size is below 1
     */
    public AveragePooling2D(int poolH, int poolW) {
        super(poolH, poolW);
    }

    @Override
    public String typeName() {
        return "AveragePooling2D";
    }

    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new PoolStep(this, k.averagePool(geometry()));
    }
}
