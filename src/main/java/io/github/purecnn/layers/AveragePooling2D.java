package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.runtime.Step;

/**
 * Average pooling, as Keras's {@code AveragePooling2D}. With {@code 'same'} padding a window that
 * hangs over the border averages only the cells inside the input (26x26 pools to 13x13, 11x11
 * to 6x6 with a last row and column of half-windows).
 * <pre>{@code new AveragePooling2D(2).padding(Padding.SAME)}</pre>
 */
public final class AveragePooling2D extends Pooling2D {

    public AveragePooling2D(int poolSize) {
        super(poolSize, poolSize);
    }

    public AveragePooling2D(int poolH, int poolW) {
        super(poolH, poolW);
    }

    @Override
    public String typeName() {
        return "AveragePooling2D";
    }

    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new PoolStep(this, k.averagePool(geometry()));
    }
}
