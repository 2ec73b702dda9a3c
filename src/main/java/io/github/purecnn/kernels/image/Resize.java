package io.github.purecnn.kernels.image;

import io.github.purecnn.image.Interpolation;
import java.util.Arrays;

/**
 * Resizing of one image to a fixed size, as TensorFlow's {@code tf.image.resize(antialias=False)}
 * does it, which is what Keras's {@code Resizing} layer and {@code image_dataset_from_directory}
 * use: half-pixel centres, edge pixels repeated outside the image, every step in float32 in
 * TensorFlow's order. Optionally only a window of the input is resized (Keras's
 * {@code crop_to_aspect_ratio}). The sampling positions and weights depend only on the sizes,
 * so they are computed once, when the resize is made; resizing then allocates nothing, and one
 * resize serves any number of threads.
 *
 * <p>Dimensions: H, W input height and width; C channels; a window of WH x WW input pixels at
 * (top, left); OH, OW output. Images are HWC, row-major, at an offset in their array.
 *
 * <h2>The float operations</h2>
 * Bilinear, per axis (TensorFlow's {@code compute_interpolation_weights} with its half-pixel
 * scaler): {@code scale = (float) WH / OH}; output row y samples window row
 * {@code in = (y + 0.5f) * scale - 0.5f}, between rows {@code lower = max((int) floor(in), 0)} and
 * {@code upper = min((int) ceil(in), WH - 1)} with weight {@code lerp = in - floor(in)}; columns
 * likewise. Each output value is then TensorFlow's {@code compute_lerp}:
 * {@code top = tl + (tr - tl) * dx; bottom = bl + (br - bl) * dx; out = top + (bottom - top) * dy},
 * each operation rounded to float (no fused multiply-add). Nearest (TensorFlow's
 * {@code resize_nearest_neighbor} with half-pixel centres): row
 * {@code min((int) floor((y + 0.5f) * scale), WH - 1)}, column likewise.
 *
 * <p>The backward pass (the gradient with respect to the input, given the gradient with respect
 * to the output) writes zeros over the whole input gradient, then adds into it, output pixel by
 * output pixel in row-major order, channel by channel: for bilinear,
 * {@code gt = g * (1 - dy)} and {@code gb = g * dy}, then {@code gt * (1 - dx)} into tl,
 * {@code gt * dx} into tr, {@code gb * (1 - dx)} into bl and {@code gb * dx} into br, in that
 * order; for nearest, g into the pixel read. Both passes are the one implementation on every
 * kernel path.
 */
public final class Resize {
    private final Interpolation interpolation;
    private final int width;
    private final int channels;
    private final int outHeight;
    private final int outWidth;
    private final int inputSize;
    // Per output row (column): the input rows (columns) read, absolute, and the weight of the upper (right) one.
    private final int[] yLower;
    private final int[] yUpper;
    private final float[] yLerp;
    private final int[] xLower;
    private final int[] xUpper;
    private final float[] xLerp;

    private Resize(Interpolation interpolation, int height, int width, int channels, int[] window, int outHeight,
                   int outWidth) {
        this.interpolation = interpolation;
        this.width = width;
        this.channels = channels;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.inputSize = height * width * channels;
        yLower = new int[outHeight];
        yUpper = new int[outHeight];
        yLerp = new float[outHeight];
        xLower = new int[outWidth];
        xUpper = new int[outWidth];
        xLerp = new float[outWidth];
        axis(interpolation, window[0], window[2], outHeight, yLower, yUpper, yLerp);
        axis(interpolation, window[1], window[3], outWidth, xLower, xUpper, xLerp);
    }

    /** A resize of whole (H, W, C) images to (OH, OW, C). */
    public static Resize of(Interpolation interpolation, int height, int width, int channels, int outHeight,
                            int outWidth) {
        return window(interpolation, height, width, channels, new int[] {0, 0, height, width}, outHeight, outWidth);
    }

    /**
     * A resize of the window {@code {top, left, windowHeight, windowWidth}} of (H, W, C) images to
     * (OH, OW, C).
     *
     * @throws IllegalArgumentException when a size is below 1 or the window leaves the image
     */
    public static Resize window(Interpolation interpolation, int height, int width, int channels, int[] window,
                                int outHeight, int outWidth) {
        if (height < 1 || width < 1 || channels < 1 || outHeight < 1 || outWidth < 1) {
            throw new IllegalArgumentException("a resize needs sizes of at least 1, found input " + height + "x" + width
                    + "x" + channels + ", output " + outHeight + "x" + outWidth);
        }
        if ((long) height * width * channels > Integer.MAX_VALUE
                || (long) outHeight * outWidth * channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an image of " + height + "x" + width + "x" + channels + " or "
                    + outHeight + "x" + outWidth + "x" + channels + " values does not fit in one array");
        }
        if (window.length != 4 || window[0] < 0 || window[1] < 0 || window[2] < 1 || window[3] < 1
                || window[0] + window[2] > height || window[1] + window[3] > width) {
            throw new IllegalArgumentException("window " + Arrays.toString(window) + " (top, left, height, width)"
                    + " does not fit in a " + height + "x" + width + " image");
        }
        return new Resize(interpolation, height, width, channels, window.clone(), outHeight, outWidth);
    }

    /** Keras's {@code crop_to_aspect_ratio}: resizes the largest centred window with the output's aspect ratio. */
    public static Resize croppedToAspectRatio(Interpolation interpolation, int height, int width, int channels,
                                              int outHeight, int outWidth) {
        return window(interpolation, height, width, channels, aspectRatioCrop(height, width, outHeight, outWidth),
                outHeight, outWidth);
    }

    /** One axis's sampling: {@code lower}, {@code upper} absolute, {@code lerp} the weight of upper (bilinear only). */
    private static void axis(Interpolation interpolation, int start, int inSize, int outSize, int[] lower, int[] upper,
                             float[] lerp) {
        float scale = (float) inSize / outSize;
        for (int i = 0; i < outSize; i++) {
            if (interpolation == Interpolation.BILINEAR) {
                float in = (i + 0.5f) * scale - 0.5f;
                float inFloor = (float) Math.floor(in);
                lower[i] = start + Math.max((int) inFloor, 0);
                upper[i] = start + Math.min((int) Math.ceil(in), inSize - 1);
                lerp[i] = in - inFloor;
            } else {
                lower[i] = start + Math.min((int) Math.floor((i + 0.5f) * scale), inSize - 1);
                upper[i] = lower[i];
            }
        }
    }

    /** Floats of one input image, H * W * C. */
    public int inputSize() {
        return inputSize;
    }

    /** Floats of one output image, OH * OW * C. */
    public int outputSize() {
        return outHeight * outWidth * channels;
    }

    /** dst (OH, OW, C) at dstOffset writes; src (H, W, C) at srcOffset reads. */
    public void forward(float[] dst, int dstOffset, float[] src, int srcOffset) {
        int rowStride = width * channels;
        int out = dstOffset;
        for (int y = 0; y < outHeight; y++) {
            int top = srcOffset + yLower[y] * rowStride;
            int bottom = srcOffset + yUpper[y] * rowStride;
            float dy = yLerp[y];
            for (int x = 0; x < outWidth; x++) {
                int left = xLower[x] * channels;
                if (interpolation == Interpolation.NEAREST) {
                    System.arraycopy(src, top + left, dst, out, channels);
                    out += channels;
                    continue;
                }
                int right = xUpper[x] * channels;
                float dx = xLerp[x];
                for (int c = 0; c < channels; c++) {
                    float topLeft = src[top + left + c];
                    float topRight = src[top + right + c];
                    float bottomLeft = src[bottom + left + c];
                    float bottomRight = src[bottom + right + c];
                    float upperRow = topLeft + (topRight - topLeft) * dx;
                    float lowerRow = bottomLeft + (bottomRight - bottomLeft) * dx;
                    dst[out++] = upperRow + (lowerRow - upperRow) * dy;
                }
            }
        }
    }

    /**
     * dSrc (H, W, C) at srcOffset writes: the gradient with respect to the input, zero outside the
     * window; dDst (OH, OW, C) at dstOffset reads: the gradient with respect to the output.
     */
    public void backward(float[] dSrc, int srcOffset, float[] dDst, int dstOffset) {
        Arrays.fill(dSrc, srcOffset, srcOffset + inputSize, 0f);
        int rowStride = width * channels;
        int out = dstOffset;
        for (int y = 0; y < outHeight; y++) {
            int top = srcOffset + yLower[y] * rowStride;
            int bottom = srcOffset + yUpper[y] * rowStride;
            float dy = yLerp[y];
            for (int x = 0; x < outWidth; x++) {
                int left = xLower[x] * channels;
                if (interpolation == Interpolation.NEAREST) {
                    for (int c = 0; c < channels; c++) {
                        dSrc[top + left + c] += dDst[out++];
                    }
                    continue;
                }
                int right = xUpper[x] * channels;
                float dx = xLerp[x];
                for (int c = 0; c < channels; c++) {
                    float g = dDst[out++];
                    float gTop = g * (1f - dy);
                    float gBottom = g * dy;
                    dSrc[top + left + c] += gTop * (1f - dx);
                    dSrc[top + right + c] += gTop * dx;
                    dSrc[bottom + left + c] += gBottom * (1f - dx);
                    dSrc[bottom + right + c] += gBottom * dx;
                }
            }
        }
    }

    /**
     * Keras's {@code crop_to_aspect_ratio} box: the largest centred window of the image with the
     * target's aspect ratio, computed as Keras's {@code smart_resize} does (float32 divisions,
     * truncated). Returns {@code {top, left, cropHeight, cropWidth}}.
     */
    public static int[] aspectRatioCrop(int height, int width, int targetHeight, int targetWidth) {
        int cropHeight = Math.max(Math.min(height, (int) ((float) ((long) width * targetHeight) / targetWidth)), 1);
        int cropWidth = Math.max(Math.min(width, (int) ((float) ((long) height * targetWidth) / targetHeight)), 1);
        int top = (int) ((float) (height - cropHeight) / 2);
        int left = (int) ((float) (width - cropWidth) / 2);
        return new int[] {top, left, cropHeight, cropWidth};
    }
}
