package io.github.purecnn.kernels;

/**
 * The geometry of a 2-D sliding window (a convolution or a pooling) over one NHWC image: input
 * size, window size, strides, dilation, the padding before the first row and column, and the
 * resulting output size. Computed once when a layer is built; plans are chosen for it and read it
 * in their loops.
 *
 * <p>Window cell {@code (r, s)} of output {@code (oy, ox)} reads input row
 * {@code oy * strideH - padTop + r * dilationH} and column {@code ox * strideW - padLeft + s * dilationW};
 * cells outside the input are padding, zeros for a convolution.
 *
 * <p>A dense layer is the window geometry {@link #dense(int)}: a 1x1 image of {@code inSize}
 * channels under a 1x1 window, so that it runs on the convolution plans.
 *
 * @param inH       input height
 * @param inW       input width
 * @param channels  input channels (C)
 * @param kH        window height (R)
 * @param kW        window width (S)
 * @param strideH   vertical stride
 * @param strideW   horizontal stride
 * @param dilationH vertical distance between window cells (1: adjacent)
 * @param dilationW horizontal distance between window cells
 * @param padTop    zero rows virtually added above the input
 * @param padLeft   zero columns virtually added left of the input
 * @param outH      output height
 * @param outW      output width
 */
public record Window2D(int inH, int inW, int channels, int kH, int kW, int strideH, int strideW,
                       int dilationH, int dilationW, int padTop, int padLeft, int outH, int outW) {

    /** {@link #of(int, int, int, int, int, int, int, int, int, boolean)} without dilation. */
    public static Window2D of(int inH, int inW, int channels, int kH, int kW, int strideH, int strideW, boolean same) {
        return of(inH, inW, channels, kH, kW, strideH, strideW, 1, 1, same);
    }

    /**
     * The geometry of a {@code kH x kW} window, dilated, moved by the given strides over an input of
     * {@code inH x inW x channels}, with Keras's padding rules: {@code same} pads so that the output
     * is {@code ceil(in / stride)}, the extra cell at the bottom and right as TensorFlow does;
     * otherwise ('valid') the window stays inside the input.
     *
     * @throws IllegalArgumentException if a size is not positive, a size product overflows an int,
     *     or, with 'valid' padding, the window is larger than the input
     */
    public static Window2D of(int inH, int inW, int channels, int kH, int kW, int strideH, int strideW,
                              int dilationH, int dilationW, boolean same) {
        requirePositive("input height", inH);
        requirePositive("input width", inW);
        requirePositive("channels", channels);
        requirePositive("window height", kH);
        requirePositive("window width", kW);
        requirePositive("stride height", strideH);
        requirePositive("stride width", strideW);
        requirePositive("dilation height", dilationH);
        requirePositive("dilation width", dilationW);
        long spanH = (long) (kH - 1) * dilationH + 1;
        long spanW = (long) (kW - 1) * dilationW + 1;
        if ((long) inH * inW * channels > Integer.MAX_VALUE || (long) kH * kW * channels > Integer.MAX_VALUE
                || spanH > Integer.MAX_VALUE || spanW > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a " + kH + "x" + kW + " window over " + inH + "x" + inW + "x" + channels
                    + " is too large for one array");
        }
        Window2D g;
        if (!same) {
            if (spanH > inH || spanW > inW) {
                throw new IllegalArgumentException("a " + kH + "x" + kW + " window" + dilated(dilationH, dilationW)
                        + " does not fit in a " + inH + "x" + inW + " input with 'valid' padding");
            }
            g = new Window2D(inH, inW, channels, kH, kW, strideH, strideW, dilationH, dilationW, 0, 0,
                    (int) ((inH - spanH) / strideH + 1), (int) ((inW - spanW) / strideW + 1));
        } else {
            int outH = ceilDiv(inH, strideH);
            int outW = ceilDiv(inW, strideW);
            long padH = Math.max((long) (outH - 1) * strideH + spanH - inH, 0);
            long padW = Math.max((long) (outW - 1) * strideW + spanW - inW, 0);
            g = new Window2D(inH, inW, channels, kH, kW, strideH, strideW, dilationH, dilationW,
                    (int) (padH / 2), (int) (padW / 2), outH, outW);
        }
        if ((long) g.outH * g.outW * channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the output of a " + kH + "x" + kW + " window over " + inH + "x" + inW
                    + " is too large for one array");
        }
        return g;
    }

    /** A dense layer of {@code inSize} inputs as a window: one pixel of {@code inSize} channels, a 1x1 window. */
    public static Window2D dense(int inSize) {
        return of(1, 1, inSize, 1, 1, 1, 1, false);
    }

    private static String dilated(int dilationH, int dilationW) {
        return dilationH == 1 && dilationW == 1 ? "" : " dilated by " + dilationH + "x" + dilationW;
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

    /** Cells of the window times channels, {@code R * S * C}: the terms of one convolution output. */
    public int taps() {
        return kH * kW * channels;
    }

    /** Input row of window row r for output row oy; outside [0, inH) it is padding. */
    public int inRow(int oy, int r) {
        return oy * strideH - padTop + r * dilationH;
    }

    /** Input column of window column s for output column ox; outside [0, inW) it is padding. */
    public int inCol(int ox, int s) {
        return ox * strideW - padLeft + s * dilationW;
    }

    /** The output row whose window row r lies on input row iy, or -1 when there is none (a transposed window's lookup). */
    public int outRow(int iy, int r) {
        return outputAt(iy + padTop - r * dilationH, strideH, outH);
    }

    /** The output column whose window column s lies on input column ix, or -1 when there is none. */
    public int outCol(int ix, int s) {
        return outputAt(ix + padLeft - s * dilationW, strideW, outW);
    }

    /** The index o with {@code o * stride == offset} in [0, count), or -1. */
    private static int outputAt(int offset, int stride, int count) {
        if (offset < 0 || offset % stride != 0) {
            return -1;
        }
        int o = offset / stride;
        return o < count ? o : -1;
    }

    /** Whether some window cell lies outside the input (the convolution then reads padding). */
    public boolean padded() {
        return padTop > 0 || padLeft > 0 || inRow(outH - 1, kH - 1) >= inH || inCol(outW - 1, kW - 1) >= inW;
    }

    /** A short description for plan names and logs: {@code 13x13x6 3x3/1 -> 11x11}. */
    public String describe() {
        String d = dilationH == 1 && dilationW == 1 ? "" : " d" + dilationH + "x" + dilationW;
        String p = padded() ? " same" : "";
        return inH + "x" + inW + "x" + channels + " " + kH + "x" + kW + "/" + strideH
                + (strideW == strideH ? "" : "x" + strideW) + d + p + " -> " + outH + "x" + outW;
    }
}
