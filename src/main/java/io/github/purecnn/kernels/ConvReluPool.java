package io.github.purecnn.kernels;

/**
 * A Conv2D with a ReLU activation and the 2x2, stride 2 average pooling that follows it, run as
 * one pass: the convolution's output stays in a layout of the implementation's choosing, and its
 * gradient is never stored whole. Offered by {@link Kernels#convReluPool} for the geometries where
 * it is faster than the three kernels apart; the results are theirs up to the order of float sums.
 *
 * <p>Only the kernel and bias gradients are computed: the pass serves a model's first layer, whose
 * input gradient nobody reads. Sizes as in {@link Kernels}; PH = OH / 2 and PW = OW / 2 are the
 * pooled sizes (OH and OW are even).
 */
public interface ConvReluPool {

    /** Floats per image of the {@code saved} buffer that the forward pass leaves for the backward. */
    int savedSize();

    /**
     * pooled (N, PH, PW, K) writes: the average over each 2x2 block of relu(conv(in) + bias);
     * saved (N, savedSize) writes, for {@link #backwardParams}; in (N, H, W, C); bias may be null.
     */
    void forward(float[] pooled, float[] saved, float[] in, float[] kernel, float[] bias, int n);

    /**
     * dKernel (R, S, C, K) writes, dBias (K) writes (skipped when null); dPooled (N, PH, PW, K), the
     * gradient of the pooled output; saved and in as {@link #forward} saw and left them.
     */
    void backwardParams(float[] dKernel, float[] dBias, float[] dPooled, float[] saved, float[] in, int n);

    /**
     * As {@link #backwardParams}, the gradient of the pooled output given channel by channel:
     * dPooledPlanes (N, K, PH, PW), as {@link Kernels#conv2dBackwardInputPlanes} writes it. The
     * same values, bit for bit.
     */
    void backwardParamsFromPlanes(float[] dKernel, float[] dBias, float[] dPooledPlanes, float[] saved, float[] in, int n);
}
