package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.runtime.Step;

/**
 * The maximum of each channel over the image, as Keras's {@code GlobalMaxPooling2D}; the gradient
 * goes to the first maximal pixel, row by row.
 * <pre>{@code new GlobalMaxPooling2D()}</pre>
 */
public final class GlobalMaxPooling2D extends GlobalPooling2D {

    @Override
    public String typeName() {
        return "GlobalMaxPooling2D";
    }

    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new PoolStep(this, k.maxPool(window()));
    }
}
