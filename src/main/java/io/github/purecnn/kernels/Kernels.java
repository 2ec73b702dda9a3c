package io.github.purecnn.kernels;

/**
 * The numeric operations of purecnn, each forward next to its backward, over a whole shard of a
 * batch. Implementations hold no state between calls (the optimised ones keep per-thread
 * scratch arrays, grown on a thread's first calls), are called from one thread at a time per
 * shard, and allocate nothing once warmed up; the model runs shards on several threads. {@link KernelsProvider} picks one implementation at start-up.
 *
 * <p>Dimension legend: N images in the shard, H/W input height and width, C input channels,
 * K output channels (filters), R/S window height and width, OH/OW output height and width,
 * I/O dense input and output features. Images are NHWC, row-major. Argument order: outputs,
 * caches, inputs, parameters, sizes. "writes" means the array is overwritten, "adds" that
 * the result is added into it. Parameter gradients are written: a shard's gradient buffers need
 * no zeroing between steps.
 */
public interface Kernels {

    /** A short name for logs and benchmarks. */
    String name();

    // ---- Conv2D: kernel (R, S, C, K) as in Keras, bias (K) ----

    /** out (N, OH, OW, K) writes; in (N, H, W, C). */
    void conv2dForward(float[] out, float[] in, float[] kernel, float[] bias, int n, Window2D g, int filters);

    /** dIn (N, H, W, C) writes; dOut (N, OH, OW, K). */
    void conv2dBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, Window2D g, int filters);

    /** dKernel (R, S, C, K) writes, dBias (K) writes (skipped when null); dOut (N, OH, OW, K); in (N, H, W, C). */
    void conv2dBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, Window2D g, int filters);

    /**
     * Whether {@link #conv2dBackwardInputPlanes} is available for geometry g: a conv that follows a
     * {@link #convReluPool} pass can then hand it the gradient in the planes that pass works in,
     * instead of NHWC that each side would convert.
     */
    default boolean writesInputGradientPlanes(Window2D g) {
        return false;
    }

    /**
     * dInPlanes (N, C, H, W) writes: {@link #conv2dBackwardInput}'s values, channel by channel;
     * dOut (N, OH, OW, K). Only where {@link #writesInputGradientPlanes} says so.
     *
     * @throws UnsupportedOperationException elsewhere
     */
    default void conv2dBackwardInputPlanes(float[] dInPlanes, float[] dOut, float[] kernel, int n, Window2D g, int filters) {
        throw new UnsupportedOperationException(name() + " kernels write no input-gradient planes for " + g);
    }

    /**
     * Conv2D with geometry g and a ReLU, followed by 2x2 average pooling with stride 2, as one
     * pass, or null where this implementation has none faster than the kernels apart.
     */
    default ConvReluPool convReluPool(Window2D g, int filters) {
        return null;
    }

    // ---- Dense: kernel (I, O) as in Keras, bias (O) ----

    /** out (N, O) writes; in (N, I); bias may be null. */
    void denseForward(float[] out, float[] in, float[] kernel, float[] bias, int n, int inSize, int outSize);

    /** dIn (N, I) writes; dOut (N, O). */
    void denseBackwardInput(float[] dIn, float[] dOut, float[] kernel, int n, int inSize, int outSize);

    /** dKernel (I, O) writes, dBias (O) writes (skipped when null); dOut (N, O); in (N, I). */
    void denseBackwardParams(float[] dKernel, float[] dBias, float[] dOut, float[] in, int n, int inSize, int outSize);

    // ---- Pooling: the window of g slides over each channel alone, so K = C ----

    /** out (N, OH, OW, C) writes: the mean over the window cells inside the input. */
    void avgPoolForward(float[] out, float[] in, int n, Window2D g);

    /** dIn (N, H, W, C) writes; dOut (N, OH, OW, C). */
    void avgPoolBackward(float[] dIn, float[] dOut, int n, Window2D g);

    /** out (N, OH, OW, C) writes; argmax (N, OH, OW, C) writes: the flat index into in of each maximum. */
    void maxPoolForward(float[] out, int[] argmax, float[] in, int n, Window2D g);

    /** dIn (N, H, W, C) writes; argmax from the forward pass; dOut (N, OH, OW, C). */
    void maxPoolBackward(float[] dIn, int[] argmax, float[] dOut, int n, Window2D g);

    // ---- Activations, in place. Backward turns dy (gradient w.r.t. the output y) into dz in place. ----

    void reluForward(float[] x, int len);

    void reluBackward(float[] dy, float[] y, int len);

    void sigmoidForward(float[] x, int len);

    void sigmoidBackward(float[] dy, float[] y, int len);

    void tanhForward(float[] x, int len);

    void tanhBackward(float[] dy, float[] y, int len);

    /** x (N, cols): each row becomes its softmax, computed with the row maximum subtracted. */
    void softmaxForward(float[] x, int rows, int cols);

    /** dy (N, cols) in place: dz = y * (dy - sum(dy * y)) per row. */
    void softmaxBackward(float[] dy, float[] y, int rows, int cols);

    // ---- Optimizer updates, element-wise over [from, to) so callers can split the work ----

    /**
     * Adam as Keras does it: m and v are updated, then {@code p -= stepSize * m / (sqrt(v) + epsilon)}
     * with the bias corrections folded into {@code stepSize = lr * sqrt(1 - beta2^t) / (1 - beta1^t)}.
     * param, m, v write; grad reads.
     */
    void adamUpdate(float[] param, float[] m, float[] v, float[] grad, int from, int to,
                    float stepSize, float beta1, float beta2, float epsilon);
}
