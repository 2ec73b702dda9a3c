package io.github.purecnn.data;

/**
 * Bilinear resizing of one image, as TensorFlow's {@code tf.image.resize(method="bilinear",
 * antialias=False)} does it, which is what Keras's {@code image_dataset_from_directory} and
 * {@code Resizing} layer use: half-pixel centres, edge pixels repeated outside the image, every
 * step in float32 in TensorFlow's order. Also Keras's {@code crop_to_aspect_ratio} crop box.
 *
 * <p>Dimensions: H, W input height and width; OH, OW output; C channels. Images are HWC, row-major.
 */
public final class BilinearResize {
    private BilinearResize() {
    }

    /**
     * Resizes {@code src} (H, W, C), read, into {@code dst} (OH, OW, C), written. Output pixel
     * {@code (y, x)} samples the input at {@code ((y + 0.5) * H / OH - 0.5, (x + 0.5) * W / OW - 0.5)}
     * between its four nearest pixels, coordinates clamped into the image.
     */
    public static void resize(float[] src, int height, int width, int channels, float[] dst, int outHeight,
                              int outWidth) {
        checkSizes(src.length, height, width, channels, "src");
        checkSizes(dst.length, outHeight, outWidth, channels, "dst");
        int[] yLower = new int[outHeight];
        int[] yUpper = new int[outHeight];
        float[] yLerp = new float[outHeight];
        weights(outHeight, height, yLower, yUpper, yLerp);
        int[] xLower = new int[outWidth];
        int[] xUpper = new int[outWidth];
        float[] xLerp = new float[outWidth];
        weights(outWidth, width, xLower, xUpper, xLerp);
        int rowStride = width * channels;
        for (int y = 0; y < outHeight; y++) {
            int top = yLower[y] * rowStride;
            int bottom = yUpper[y] * rowStride;
            float dy = yLerp[y];
            int out = y * outWidth * channels;
            for (int x = 0; x < outWidth; x++) {
                int left = xLower[x] * channels;
                int right = xUpper[x] * channels;
                float dx = xLerp[x];
                for (int c = 0; c < channels; c++) {
                    float topLeft = src[top + left + c];
                    float topRight = src[top + right + c];
                    float bottomLeft = src[bottom + left + c];
                    float bottomRight = src[bottom + right + c];
                    // TensorFlow's compute_lerp, operation for operation.
                    float upper = topLeft + (topRight - topLeft) * dx;
                    float lower = bottomLeft + (bottomRight - bottomLeft) * dx;
                    dst[out++] = upper + (lower - upper) * dy;
                }
            }
        }
    }

    /** TensorFlow's compute_interpolation_weights with its HalfPixelScaler, in float32. */
    private static void weights(int outSize, int inSize, int[] lower, int[] upper, float[] lerp) {
        float scale = (float) inSize / outSize;
        for (int i = 0; i < outSize; i++) {
            float in = (i + 0.5f) * scale - 0.5f;
            float inFloor = (float) Math.floor(in);
            lower[i] = Math.max((int) inFloor, 0);
            upper[i] = Math.min((int) Math.ceil(in), inSize - 1);
            lerp[i] = in - inFloor;
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

    private static void checkSizes(int length, int height, int width, int channels, String what) {
        if (height < 1 || width < 1 || channels < 1 || (long) height * width * channels != length) {
            throw new IllegalArgumentException(what + " holds " + length + " values, expected " + height + " x "
                    + width + " x " + channels + " (height, width, channels, each at least 1)");
        }
    }
}
