package io.github.purecnn.kernels.depthwise;

import io.github.purecnn.kernels.LinearPlan;
import io.github.purecnn.kernels.Scratch;

/**
 * How one depthwise convolution geometry runs: forward, input gradient and kernel gradient of a
 * DepthwiseConv2D (or of a SeparableConv2D's first half) over a shard of n images, chosen once
 * when a model is built. Each input channel c has its own M filters (the depth multiplier):
 * output channel {@code c * M + m} is channel c convolved with kernel {@code [., ., c, m]}, as
 * Keras and TensorFlow order them. Every plan gives the values of {@link ReferenceDepthwise}, the
 * yardstick, bit for bit: the order of each sum is stated there.
 *
 * <p>Kernel {@code (R, S, C, M)} and bias {@code (C * M)} as in Keras; images NHWC. A plan holds no
 * mutable state; what it needs besides its arguments it declares: a packed copy of the kernel
 * (made by {@link #pack} after every change of the kernel) and per-call scratch.
 *
 * <p>Legend: n images; H, W, C input; R, S window; M depth multiplier; OH, OW output; the output
 * has C * M channels.
 */
public interface DepthwisePlan extends LinearPlan {

    /** M, the filters per input channel. */
    int multiplier();

    /** C * M. */
    @Override
    default int outputChannels() {
        return geometry().channels() * multiplier();
    }


    /**
     * out (n, OH, OW, C * M) writes: the depthwise convolution plus bias, then {@code max(x, 0)}
     * when {@code relu}. in (n, H, W, C); bias (C * M) or null.
     */
    @Override
    void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch);

    /** dIn (n, H, W, C) writes; dOut (n, OH, OW, C * M) reads. */
    @Override
    void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch);

    /** dKernel (R, S, C, M) writes; dBias (C * M) writes unless null; dOut and in (n, H, W, C) read. */
    @Override
    void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch);
}
