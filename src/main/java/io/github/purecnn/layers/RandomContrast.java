package io.github.purecnn.layers;

import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code RandomContrast(factor, value_range=(0, 255))}: in training, scales each image's
 * deviation from its per-channel mean by a random contrast factor and clips the result to the
 * value range; the identity at inference.
 *
 * <p>A factor f draws contrast factors in [1 - f, 1 + f]; a pair (lower, upper) in
 * [1 - lower, 1 + upper], with lower in [0, 1] and upper at least 0 (Keras's documented rule;
 * some Keras 3 versions read a single number as [1, 1 + f], against their documentation).
 * Image b draws (draw b) {@code c = uniform(1 - lower, 1 + upper)} in float. Per channel, the
 * mean is the sum of the channel's H * W values in double, row-major, divided by H * W and rounded
 * to float; each value becomes {@code min(max((x - mean) * c + mean, low), high)}, each operation
 * rounded to float.
 *
 * <p>Backward: with g the output gradient and {@code pass} true where the unclipped value lies in
 * [low, high], per channel {@code s = sum of g over pass} (double, row-major) and
 * {@code common = (float) (s * (1 - c) / (H * W))}; the input gradient is
 * {@code (pass ? g * c : 0) + common}: the mean's share reaches every value of the channel.
 */
public final class RandomContrast extends RandomImageLayer {
    private final Factor factor;
    private double low;
    private double high = 255;

    /**
     * Contrast factors within [1 - factor, 1 + factor], factor in [0, 1].
     *
     * @param factor Keras's {@code factor} as one number: how far the contrast factor may fall below or rise
     *     above 1, in [0, 1]
     * @throws IllegalArgumentException if {@code factor} is outside [0, 1] or NaN
     */
    public RandomContrast(double factor) {
        this(Factor.of(factor));
    }

    /**
     * Contrast factors within [1 - lower, 1 + upper] (Keras's pair form), lower in [0, 1], upper at least 0.
     *
     * @param lower how far the contrast factor may fall below 1, in [0, 1]
     * @param upper how far it may rise above 1: finite and at least 0
     * @throws IllegalArgumentException if a bound is out of range or NaN
     */
    public RandomContrast(double lower, double upper) {
        this(Factor.of(lower, upper));
    }

    RandomContrast(Factor factor) {
        if (!(factor.first() >= 0 && factor.first() <= 1) || !(factor.second() >= 0) || Double.isInfinite(factor.second())) {
            throw new IllegalArgumentException("RandomContrast factor must be a number in [0, 1] or a pair (lower,"
                    + " upper) with lower in [0, 1] and upper a finite number of at least 0, found " + factor);
        }
        this.factor = factor;
    }

    /**
     * Keras's {@code value_range}: what the output is clipped to; (0, 255) by default, (0, 1) for scaled pixels.
     *
     * @param low the lowest output value: finite
     * @param high the highest output value: finite and above {@code low}
     * @return this layer
     * @throws IllegalArgumentException if a bound is not finite, or {@code low} is not below {@code high}
     * @throws IllegalStateException once the layer is built
     */
    public RandomContrast valueRange(double low, double high) {
        requireUnbuilt("change the value range of");
        if (!(low < high) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("RandomContrast value_range must be two finite numbers, low below high,"
                    + " found (" + low + ", " + high + ")");
        }
        this.low = low;
        this.high = high;
        return this;
    }

    @Override
    public String typeName() {
        return "RandomContrast";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("factor", factor.kerasValue());
        a.put("value_range", List.of(low, high));
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        return requireImages(typeName(), input);
    }

    @Override
    String describeTransform() {
        return "random contrast " + factor + ", values in [" + low + ", " + high + "]";
    }

    @Override
    int drawsPerImage() {
        return 1;
    }

    /** p[0]: the contrast factor; p[1 + c]: channel c's mean. */
    @Override
    int parametersPerImage() {
        return 1 + inputShape().dim(2);
    }

    @Override
    void draw(float[] p, int at, long stream, int b, float[] in, int inOffset) {
        p[at] = uniform(stream, b, 0, (float) (1.0 - factor.first()), (float) (1.0 + factor.second()));
        int channels = inputShape().dim(2);
        int pixels = inputShape().dim(0) * inputShape().dim(1);
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int i = inOffset + c; i < inOffset + pixels * channels; i += channels) {
                sum += in[i];
            }
            p[at + 1 + c] = (float) (sum / pixels);
        }
    }

    @Override
    void transform(float[] out, int outOffset, float[] in, int inOffset, float[] p, int at) {
        float contrast = p[at];
        float lo = (float) low;
        float hi = (float) high;
        int channels = inputShape().dim(2);
        int size = inputShape().size();
        for (int i = 0; i < size; i++) {
            float mean = p[at + 1 + i % channels];
            out[outOffset + i] = Math.min(Math.max((in[inOffset + i] - mean) * contrast + mean, lo), hi);
        }
    }

    @Override
    void transformBackward(float[] dIn, int inOffset, float[] dOut, int outOffset, float[] in, float[] p, int at) {
        float contrast = p[at];
        float lo = (float) low;
        float hi = (float) high;
        int channels = inputShape().dim(2);
        int pixels = inputShape().dim(0) * inputShape().dim(1);
        for (int c = 0; c < channels; c++) {
            float mean = p[at + 1 + c];
            double sum = 0;
            for (int k = c; k < pixels * channels; k += channels) {
                float v = (in[inOffset + k] - mean) * contrast + mean;
                boolean pass = v >= lo && v <= hi;
                float g = dOut[outOffset + k];
                sum += pass ? g : 0f;
                dIn[inOffset + k] = pass ? g * contrast : 0f;
            }
            float common = (float) (sum * (1.0 - contrast) / pixels);
            for (int k = c; k < pixels * channels; k += channels) {
                dIn[inOffset + k] += common;
            }
        }
    }
}
