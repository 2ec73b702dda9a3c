package io.github.purecnn.kernels;

/**
 * What every plan of a windowed linear operation offers, whatever its family: a convolution
 * ({@link io.github.purecnn.kernels.conv.ConvPlan}, dense layers included) or a depthwise
 * convolution ({@link io.github.purecnn.kernels.depthwise.DepthwisePlan}). A kernel, an optional
 * bias and ReLU in the forward pass; input and parameter gradients in the backward pass; a packed
 * copy of the kernel and per-call scratch declared up front. Layers run any of them the same way.
 */
public interface LinearPlan extends ScratchNeeds {

    /** A short name for logs and benchmarks. */
    String name();

    /** The window over the input. */
    Window2D geometry();

    /** Channels of the output: the filters of a convolution, C * M of a depthwise one. */
    int outputChannels();

    /** Floats in the packed kernel that {@link #pack} writes; 0 when the plan reads the kernel as given. */
    default int packedSize() {
        return 0;
    }

    /** packed ({@link #packedSize}) writes; kernel (in its Keras layout) reads. */
    default void pack(float[] packed, float[] kernel) {
    }

    /**
     * In how many parts {@link #pack(float[], float[], int)} packs, each writing floats of its
     * own, so that threads may run them at once; 1 unless a plan splits its packing.
     */
    default int packParts() {
        return 1;
    }

    /** Part {@code part} of {@link #packParts()} of {@link #pack(float[], float[])}'s work. */
    default void pack(float[] packed, float[] kernel, int part) {
        pack(packed, kernel);
    }

    /**
     * out (n, OH, OW, output channels) writes: the operation plus bias, then {@code max(x, 0)} when
     * {@code relu}. in (n, H, W, C); bias (output channels) or null.
     */
    void forward(float[] out, float[] in, float[] kernel, float[] packed, float[] bias, boolean relu, int n, Scratch scratch);

    /** dIn (n, H, W, C) writes; dOut (n, OH, OW, output channels) reads. */
    void backwardInput(float[] dIn, float[] dOut, float[] kernel, float[] packed, int n, Scratch scratch);

    /**
     * dOut [0, count) in place, before the backward passes of a layer with ReLU: the gradient of
     * the ReLU's input, as {@link Activations#reluBackward} computes it from the output out. A
     * path may do it faster, with the same bits.
     */
    default void reluBackward(float[] dOut, float[] out, int count) {
        Activations.reluBackward(dOut, out, 0, count);
    }

    /** dKernel writes; dBias (output channels) writes unless null; dOut and in (n, H, W, C) read. */
    void backwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Scratch scratch);
}
