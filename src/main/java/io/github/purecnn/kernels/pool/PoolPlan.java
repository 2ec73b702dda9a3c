package io.github.purecnn.kernels.pool;

import io.github.purecnn.kernels.Window2D;

/**
 * How one pooling geometry runs over a shard of n NHWC images: the window of the geometry slides
 * over each channel alone, so the output has the input's channels. Cells outside the input never
 * take part: an average is over the cells inside, a maximum among them. Every plan gives the
 * values of {@link ReferencePool} bit for bit.
 */
public interface PoolPlan {

    /** A short name for logs and benchmarks. */
    String name();

    Window2D geometry();

    /** Whether the backward pass needs the argmax the forward pass records (max pooling does). */
    boolean recordsArgmax();

    /**
     * out (n, OH, OW, C) writes; argmax (n, OH, OW, C) writes where {@link #recordsArgmax}: the flat
     * index into in of each window's first maximum; in (n, H, W, C) reads.
     */
    void forward(float[] out, int[] argmax, float[] in, int n);

    /** dIn (n, H, W, C) writes; dOut (n, OH, OW, C) reads; argmax from the forward pass. */
    void backward(float[] dIn, float[] dOut, int[] argmax, int n);
}
