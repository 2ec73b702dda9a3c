package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.runtime.Step;

/**
 * Max pooling, as Keras's {@code MaxPooling2D}; padding cells never win. The gradient flows to the
 * first maximal cell of each window, remembered in the forward pass.
 * <pre>{@code new MaxPooling2D(2)}</pre>
 */
public final class MaxPooling2D extends Pooling2D {

    /**
     * A square window of {@code poolSize}, strides equal to it, padding VALID (Keras's defaults).
     *
     * @param poolSize Keras's {@code pool_size} as one number: the window's height and width, at least 1
     * @throws IllegalArgumentException if {@code poolSize} is below 1
     */
    public MaxPooling2D(int poolSize) {
        super(poolSize, poolSize);
    }

    /**
     * A {@code poolH x poolW} window, strides equal to it, padding VALID.
     *
     * @param poolH the window's height, at least 1
     * @param poolW the window's width, at least 1
     * @throws IllegalArgumentException if a size is below 1
     */
    public MaxPooling2D(int poolH, int poolW) {
        super(poolH, poolW);
    }

    @Override
    public String typeName() {
        return "MaxPooling2D";
    }

    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new PoolStep(this, k.maxPool(geometry()));
    }
}
