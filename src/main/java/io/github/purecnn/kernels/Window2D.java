package io.github.purecnn.kernels;

/**
 * The geometry of a 2-D sliding window (a convolution or a pooling) over one NHWC image: input
 * size, window size, strides, the padding before the first row and column, and the resulting
 * output size. Computed once when a layer is built; the kernels read it in their loops.
 *
 * @param inH      input height
 * @param inW      input width
 * @param channels input channels
 * @param kH       window height (R in the kernel legends)
 * @param kW       window width (S)
 * @param strideH  vertical stride
 * @param strideW  horizontal stride
 * @param padTop   zero rows virtually added above the input
 * @param padLeft  zero columns virtually added left of the input
 * @param outH     output height
 * @param outW     output width
 */
public record Window2D(int inH, int inW, int channels, int kH, int kW, int strideH, int strideW,
                       int padTop, int padLeft, int outH, int outW) {

    /**
     * The geometry of a window of {@code kH x kW} moved by the given strides over an input of
     * {@code inH x inW x channels}, with Keras's padding rules.
     *
     * @throws IllegalArgumentException if a size is not positive or, with {@link Padding#VALID},
     *                                  the window is larger than the input
     */
    public static Window2D of(int inH, int inW, int channels, int kH, int kW, int strideH, int strideW, Padding padding) {
        requirePositive("input height", inH);
        requirePositive("input width", inW);
        requirePositive("channels", channels);
        requirePositive("window height", kH);
        requirePositive("window width", kW);
        requirePositive("stride height", strideH);
        requirePositive("stride width", strideW);
        if (padding == Padding.VALID) {
            if (kH > inH || kW > inW) {
                throw new IllegalArgumentException("a " + kH + "x" + kW + " window does not fit in a " + inH + "x" + inW
                        + " input with 'valid' padding");
            }
            return new Window2D(inH, inW, channels, kH, kW, strideH, strideW, 0, 0,
                    (inH - kH) / strideH + 1, (inW - kW) / strideW + 1);
        }
        int outH = ceilDiv(inH, strideH);
        int outW = ceilDiv(inW, strideW);
        int padH = Math.max((outH - 1) * strideH + kH - inH, 0);
        int padW = Math.max((outW - 1) * strideW + kW - inW, 0);
        return new Window2D(inH, inW, channels, kH, kW, strideH, strideW, padH / 2, padW / 2, outH, outW);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private static void requirePositive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, found " + value);
        }
    }

    /** Floats in one input image: {@code inH * inW * channels}. */
    public int inSize() {
        return inH * inW * channels;
    }

    /** Output positions per image: {@code outH * outW}. */
    public int outPixels() {
        return outH * outW;
    }
}
