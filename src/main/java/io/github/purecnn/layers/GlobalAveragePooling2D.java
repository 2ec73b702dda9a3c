package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.runtime.Step;

/**
 * The mean of each channel over the image, as Keras's {@code GlobalAveragePooling2D}: the sum
 * over the pixels row by row from +0, times {@code 1 / (height * width)}, as average pooling.
 * <pre>{@code new GlobalAveragePooling2D()}</pre>
 */
public final class GlobalAveragePooling2D extends GlobalPooling2D {

    @Override
    public String typeName() {
        return "GlobalAveragePooling2D";
    }

    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new PoolStep(this, k.averagePool(window()));
    }
}
