package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.LinearPlan;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Window2D;

/**
 * How one convolution geometry runs: forward, input gradient and kernel gradient of a Conv2D (or
 * of a Dense layer, the geometry {@link Window2D#dense}) over a shard of n images, chosen once
 * when a model is built for that geometry. Every plan computes the same values bit for bit: each
 * output is the sum of its terms in the order the package documentation defines, one fused
 * multiply-add per term (see {@link ReferenceConv}, the yardstick).
 *
 * <p>Kernel {@code (R, S, C, K)} and bias {@code (K)} as in Keras; images NHWC. A plan holds no
 * mutable state: one instance serves every shard and thread. What it needs besides its arguments
 * it declares: a packed copy of the kernel (made by {@link #pack} after every change of the
 * kernel, shared read-only by all shards) and per-call scratch (owned by the calling thread).
 */
public interface ConvPlan extends LinearPlan {

    /** K, the output channels. */
    int filters();

    @Override
    default int outputChannels() {
        return filters();
    }

    /**
     * out (n, OH, OW, K) writes: the convolution plus bias, then {@code max(x, 0)} when {@code relu}.
     * in (n, H, W, C); bias (K) or null.
     */
    @Override
    void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch);

    /** dIn (n, H, W, C) writes; dOut (n, OH, OW, K) reads. */
    @Override
    void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch);

    /** dKernel (R, S, C, K) writes; dBias (K) writes unless null; dOut (n, OH, OW, K), in (n, H, W, C) read. */
    @Override
    void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch);
}
