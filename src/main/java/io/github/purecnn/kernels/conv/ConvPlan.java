package io.github.purecnn.kernels.conv;

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
public interface ConvPlan {

    /** A short name for logs and benchmarks, such as {@code "vector gemm 6x2"}. */
    String name();

    Window2D geometry();

    /** K, the output channels. */
    int filters();

    /** Floats in the packed kernel that {@link #pack} writes; 0 when the plan reads the kernel as given. */
    default int packedSize() {
        return 0;
    }

    /** packed ({@link #packedSize}) writes; kernel (R, S, C, K) reads. */
    default void pack(float[] packed, float[] kernel) {
    }

    /** Floats of scratch one call over n images needs. */
    default int scratchFloats(int n) {
        return 0;
    }

    /** Ints of scratch one call over n images needs. */
    default int scratchInts(int n) {
        return 0;
    }

    /** Scratch rows (separate arrays, see {@link Scratch#rows}) one call over n images needs. */
    default int scratchRows(int n) {
        return 0;
    }

    /** Floats in each scratch row; 0 without rows. */
    default int scratchRowLength(int n) {
        return 0;
    }

    /**
     * out (n, OH, OW, K) writes: the convolution plus bias, then {@code max(x, 0)} when {@code relu}.
     * in (n, H, W, C); bias (K) or null.
     */
    void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch);

    /** dIn (n, H, W, C) writes; dOut (n, OH, OW, K) reads. */
    void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch);

    /** dKernel (R, S, C, K) writes; dBias (K) writes unless null; dOut (n, OH, OW, K), in (n, H, W, C) read. */
    void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch);
}
