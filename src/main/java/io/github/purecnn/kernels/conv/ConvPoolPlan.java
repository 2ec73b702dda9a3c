package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.ScratchNeeds;
import io.github.purecnn.kernels.Window2D;

/**
 * A convolution with ReLU and the pooling that consumes its output, as one pass: the convolution's
 * output never leaves the pass, so the pass may keep it in whatever layout suits it. A kernel path
 * offers one where it beats the plans apart (see {@code Kernels#convReluPool}); the planner uses it
 * for a model's first computing layer, whose input gradient nobody needs. Its values equal, bit for
 * bit, those of the convolution plan (bias, then ReLU) followed by the pooling plan.
 */
public interface ConvPoolPlan extends ScratchNeeds {

    /** A short name for logs and benchmarks. */
    String name();

    Window2D conv();

    int filters();

    /** The pooling window over the convolution's output. */
    Window2D pool();

    /** Floats in the packed kernel; 0 when the plan reads the kernel as given. */
    default int packedSize() {
        return 0;
    }

    /** packed writes; kernel (R, S, C, K) reads. */
    default void pack(float[] packed, float[] kernel) {
    }

    /** Floats per image that the forward pass keeps for the backward pass. */
    int savedSize();

    /**
     * pooled (n, PH, PW, K) writes, the pooling of {@code relu(conv(in) + bias)}; saved (n, savedSize) writes.
     * in (n, H, W, C) reads; bias (K) or null.
     */
    void forward(float[] pooled, float[] saved, float[] in, float[] kernel, float[] packed, float[] bias, int n, Scratch scratch);

    /**
     * dKernel (R, S, C, K) and dBias (K, unless null) write: the gradients of the convolution's
     * parameters given dPooled (n, PH, PW, K), the gradient of the pooled output; saved and in as
     * the forward pass left them.
     */
    void backwardParams(float[] dKernel, float[] dBias, float[] dPooled, float[] saved, float[] in, int n, Scratch scratch);
}
