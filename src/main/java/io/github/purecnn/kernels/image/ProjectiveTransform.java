package io.github.purecnn.kernels.image;

import io.github.purecnn.image.FillMode;
import io.github.purecnn.image.Interpolation;
import java.util.Arrays;

/**
 * Samples an image through a projective transform, as TensorFlow's
 * {@code ImageProjectiveTransformV3} kernel does: what Keras's {@code ops.image.affine_transform}
 * runs on TensorFlow, and so what its {@code RandomTranslation}, {@code RandomRotation} and
 * {@code RandomZoom} compute. Made once per image size and sampling settings; one instance serves
 * any number of threads, and a call allocates nothing.
 *
 * <p>Dimensions: H, W height and width (input and output alike); C channels. Images are HWC,
 * row-major, at an offset in their array. A transform is 8 floats
 * {@code [a0, a1, a2, b0, b1, b2, c0, c1]} mapping output pixel (x, y) to the input point it reads.
 *
 * <h2>The float operations</h2>
 * Per output pixel, with x and y its column and row as floats, each operation rounded to float,
 * left to right, no fused multiply-add: {@code k = c0 * x + c1 * y + 1}; {@code inX = (a0 * x +
 * a1 * y + a2) / k}, {@code inY = (b0 * x + b1 * y + b2) / k}. A non-finite inX or inY (k = 0)
 * gives the fill value. Otherwise the fill mode maps them ({@link FillMode#map}: {@code mx},
 * {@code my}), and:
 * <ul>
 *   <li>nearest: the pixel at ({@code round(my)}, {@code round(mx)}), rounded half away from zero
 *       as C's {@code round}; the fill value where that lies outside the image;</li>
 *   <li>bilinear: with {@code x0 = floor(mx)}, {@code x1 = x0 + 1}, {@code y0 = floor(my)},
 *       {@code y1 = y0 + 1} and each tap outside the image reading the fill value:
 *       {@code top = (x1 - mx) * p(y0, x0) + (mx - x0) * p(y0, x1)},
 *       {@code bottom = (x1 - mx) * p(y1, x0) + (mx - x0) * p(y1, x1)},
 *       {@code out = (y1 - my) * top + (my - y0) * bottom}.</li>
 * </ul>
 * The output is linear in the input pixels, so its gradient is exact and cheap: the backward pass
 * writes zeros over the input gradient, then adds, output pixel by output pixel in row-major
 * order and channel by channel, {@code gTop = (y1 - my) * g} and {@code gBottom = (my - y0) * g},
 * then {@code (x1 - mx) * gTop} into tap (y0, x0), {@code (mx - x0) * gTop} into (y0, x1),
 * {@code (x1 - mx) * gBottom} into (y1, x0) and {@code (mx - x0) * gBottom} into (y1, x1), skipping
 * taps outside the image (the fill value is a constant); for nearest, g into the pixel read.
 * (TensorFlow registers an approximate gradient for this kernel, the inverse transform of the
 * output gradient; this is the exact derivative of what the forward pass computes.)
 */
public final class ProjectiveTransform {
    /** Floats per transform. */
    public static final int COEFFICIENTS = 8;

    private final int height;
    private final int width;
    private final int channels;
    private final FillMode fillMode;
    private final Interpolation interpolation;
    private final float fillValue;

    /**
     * A sampler of (H, W, C) images with a fill mode, an interpolation and the constant mode's fill value.
     *
     * @throws IllegalArgumentException when a size is below 1 or an image does not fit in one array
     */
    public ProjectiveTransform(int height, int width, int channels, FillMode fillMode, Interpolation interpolation,
                               float fillValue) {
        if (height < 1 || width < 1 || channels < 1 || (long) height * width * channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a projective transform needs an image of at least 1x1x1 values that"
                    + " fits in one array, found " + height + "x" + width + "x" + channels);
        }
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.fillMode = fillMode;
        this.interpolation = interpolation;
        this.fillValue = fillValue;
    }

    /** Floats of one image, H * W * C. */
    public int imageSize() {
        return height * width * channels;
    }

    /**
     * out (H, W, C) at outOffset writes; in (H, W, C) at inOffset reads; t the transform at
     * tOffset, read.
     */
    public void forward(float[] out, int outOffset, float[] in, int inOffset, float[] t, int tOffset) {
        int o = outOffset;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++, o += channels) {
                long point = sample(x, y, t, tOffset);
                if (point == OUTSIDE) {
                    Arrays.fill(out, o, o + channels, fillValue);
                    continue;
                }
                float mx = Float.intBitsToFloat((int) point);
                float my = Float.intBitsToFloat((int) (point >>> 32));
                if (interpolation == Interpolation.NEAREST) {
                    int p = pixel(roundHalfAway(my), roundHalfAway(mx), inOffset);
                    for (int c = 0; c < channels; c++) {
                        out[o + c] = p < 0 ? fillValue : in[p + c];
                    }
                    continue;
                }
                float x0 = (float) Math.floor(mx);
                float y0 = (float) Math.floor(my);
                float x1 = x0 + 1;
                float y1 = y0 + 1;
                int p00 = pixel(y0, x0, inOffset);
                int p01 = pixel(y0, x1, inOffset);
                int p10 = pixel(y1, x0, inOffset);
                int p11 = pixel(y1, x1, inOffset);
                for (int c = 0; c < channels; c++) {
                    float top = (x1 - mx) * read(in, p00, c) + (mx - x0) * read(in, p01, c);
                    float bottom = (x1 - mx) * read(in, p10, c) + (mx - x0) * read(in, p11, c);
                    out[o + c] = (y1 - my) * top + (my - y0) * bottom;
                }
            }
        }
    }

    /**
     * dIn (H, W, C) at inOffset writes: the gradient with respect to the input; dOut (H, W, C) at
     * outOffset reads; t the transform of the forward pass, read.
     */
    public void backward(float[] dIn, int inOffset, float[] dOut, int outOffset, float[] t, int tOffset) {
        Arrays.fill(dIn, inOffset, inOffset + imageSize(), 0f);
        int o = outOffset;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++, o += channels) {
                long point = sample(x, y, t, tOffset);
                if (point == OUTSIDE) {
                    continue;
                }
                float mx = Float.intBitsToFloat((int) point);
                float my = Float.intBitsToFloat((int) (point >>> 32));
                if (interpolation == Interpolation.NEAREST) {
                    int p = pixel(roundHalfAway(my), roundHalfAway(mx), inOffset);
                    if (p >= 0) {
                        for (int c = 0; c < channels; c++) {
                            dIn[p + c] += dOut[o + c];
                        }
                    }
                    continue;
                }
                float x0 = (float) Math.floor(mx);
                float y0 = (float) Math.floor(my);
                float x1 = x0 + 1;
                float y1 = y0 + 1;
                int p00 = pixel(y0, x0, inOffset);
                int p01 = pixel(y0, x1, inOffset);
                int p10 = pixel(y1, x0, inOffset);
                int p11 = pixel(y1, x1, inOffset);
                for (int c = 0; c < channels; c++) {
                    float g = dOut[o + c];
                    float gTop = (y1 - my) * g;
                    float gBottom = (my - y0) * g;
                    add(dIn, p00, c, (x1 - mx) * gTop);
                    add(dIn, p01, c, (mx - x0) * gTop);
                    add(dIn, p10, c, (x1 - mx) * gBottom);
                    add(dIn, p11, c, (mx - x0) * gBottom);
                }
            }
        }
    }

    /** Marks an output pixel that reads nothing but the fill value (a non-finite input point). */
    private static final long OUTSIDE = -1L;

    /**
     * Where output pixel (x, y) reads, mapped by the fill mode: the floats mx and my packed as the
     * low and high 32 bits, or {@link #OUTSIDE}. (A NaN pair cannot occur: NaN never comes out of
     * a finite point.)
     */
    private long sample(int x, int y, float[] t, int tOffset) {
        float fx = x;
        float fy = y;
        float k = t[tOffset + 6] * fx + t[tOffset + 7] * fy + 1f;
        float inX = (t[tOffset] * fx + t[tOffset + 1] * fy + t[tOffset + 2]) / k;
        float inY = (t[tOffset + 3] * fx + t[tOffset + 4] * fy + t[tOffset + 5]) / k;
        if (!Float.isFinite(inX) || !Float.isFinite(inY)) {
            return OUTSIDE;
        }
        float mx = map(fillMode, inX, width);
        float my = map(fillMode, inY, height);
        return (Float.floatToRawIntBits(mx) & 0xFFFFFFFFL) | ((long) Float.floatToRawIntBits(my) << 32);
    }

    /** The offset of pixel (row, column), or -1 when it lies outside the image (compared as floats, before any cast). */
    private int pixel(float row, float column, int offset) {
        if (row >= 0 && row < height && column >= 0 && column < width) {
            return offset + ((int) row * width + (int) column) * channels;
        }
        return -1;
    }

    private float read(float[] in, int p, int c) {
        return p < 0 ? fillValue : in[p + c];
    }

    private static void add(float[] dIn, int p, int c, float value) {
        if (p >= 0) {
            dIn[p + c] += value;
        }
    }

    /** C's {@code round}: halves away from zero; exact, through double. */
    static float roundHalfAway(float v) {
        return (float) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }

    /**
     * Where, in fill mode {@code mode}, coordinate {@code c} of an axis of {@code len} pixels reads: within {@code [0, len - 1]}
     * for every mode but CONSTANT, which leaves it as it is (its taps outside read the fill value).
     * Integer products are exact ({@code long}); a {@code long} added to a float is converted to
     * float first, as in C++.
     */
    static float map(FillMode mode, float c, int len) {
        return switch (mode) {
            case REFLECT -> clamp(reflect(c, len), len);
            case WRAP -> clamp(wrap(c, len), len);
            case CONSTANT -> c;
            case NEAREST -> clamp(c, len);
        };
    }

    private static float reflect(float c, int len) {
        float in = c;
        if (in < 0) {
            if (len <= 1) {
                return 0;
            }
            long twice = 2L * len;
            if (in < twice) {
                in = twice * (long) (-in / twice) + in;
            }
            in = in < -len ? in + twice : -in - 1;
        } else if (in > len - 1) {
            if (len <= 1) {
                return 0;
            }
            long twice = 2L * len;
            in -= twice * (long) (in / twice);
            if (in >= len) {
                in = twice - in - 1;
            }
        }
        return in;
    }

    private static float wrap(float c, int len) {
        float in = c;
        if (in < 0) {
            if (len <= 1) {
                return 0;
            }
            long span = len - 1;
            in += len * ((long) (-in / span) + 1);
        } else if (in > len - 1) {
            if (len <= 1) {
                return 0;
            }
            long span = len - 1;
            in -= len * (long) (in / span);
        }
        return in;
    }

    private static float clamp(float c, int len) {
        return Math.min(Math.max(c, 0f), len - 1);
    }
}
