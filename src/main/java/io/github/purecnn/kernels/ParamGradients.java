package io.github.purecnn.kernels;

import java.util.Arrays;

/**
 * The start of every parameter-gradient kernel whose loops add up their terms: the gradients are
 * written, not added to what the buffers held (see {@link Kernels}), so they start from zero.
 */
final class ParamGradients {
    private ParamGradients() {
    }

    /** dKernel [0, kernelLength) and, unless null, dBias [0, biasLength) become zero. */
    static void clear(float[] dKernel, int kernelLength, float[] dBias, int biasLength) {
        Arrays.fill(dKernel, 0, kernelLength, 0f);
        if (dBias != null) {
            Arrays.fill(dBias, 0, biasLength, 0f);
        }
    }
}
