package io.github.purecnn.layers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code RandomTranslation(height_factor, width_factor)}: in training, shifts each image
 * by a random fraction of its height and of its width, filling the uncovered part by the fill
 * mode; the identity at inference.
 *
 * <p>A factor f is the range [-f, f] of fractions (a pair gives the range itself, each end in
 * [-1, 1]); positive shifts move the image down and right. Image b draws, as Keras,
 * {@code dy = uniform(hLower, hUpper) * H} (draw 2b) and {@code dx = uniform(wLower, wUpper) * W}
 * (draw 2b + 1), in float, and reads output pixel (x, y) from input point (x - dx, y - dy): the
 * transform {@code [1, 0, -dx, 0, 1, -dy, 0, 0]}.
 */
public final class RandomTranslation extends AffineAugmentation<RandomTranslation> {
    private Factor heightFactor;
    private Factor widthFactor;

    /**
     * Shifts within [-heightFactor, heightFactor] of the height and [-widthFactor, widthFactor] of the width.
     *
     * @param heightFactor Keras's {@code height_factor} as one number: the largest vertical shift either way,
     *     as a fraction of the height, in [-1, 1] (its sign is ignored)
     * @param widthFactor Keras's {@code width_factor} as one number: the largest horizontal shift either way,
     *     as a fraction of the width, in [-1, 1] (its sign is ignored)
     * @throws IllegalArgumentException if a factor is outside [-1, 1] or NaN
     */
    public RandomTranslation(double heightFactor, double widthFactor) {
        this.heightFactor = Factor.of(heightFactor).checkSymmetric("RandomTranslation height_factor");
        this.widthFactor = Factor.of(widthFactor).checkSymmetric("RandomTranslation width_factor");
    }

    /**
     * Vertical shifts within [lower, upper] of the height (Keras's pair form), each in [-1, 1].
     *
     * @param lower the smallest shift, as a fraction of the height, in [-1, 1] (negative: up)
     * @param upper the largest shift, as a fraction of the height, in [-1, 1]
     * @return this layer
     * @throws IllegalArgumentException if a bound is outside [-1, 1] or NaN
     * @throws IllegalStateException once the layer is built
     */
    public RandomTranslation heightFactor(double lower, double upper) {
        requireUnbuilt("change the height factor of");
        heightFactor = Factor.of(lower, upper).checkSymmetric("RandomTranslation height_factor");
        return this;
    }

    /**
     * Horizontal shifts within [lower, upper] of the width (Keras's pair form), each in [-1, 1].
     *
     * @param lower the smallest shift, as a fraction of the width, in [-1, 1] (negative: left)
     * @param upper the largest shift, as a fraction of the width, in [-1, 1]
     * @return this layer
     * @throws IllegalArgumentException if a bound is outside [-1, 1] or NaN
     * @throws IllegalStateException once the layer is built
     */
    public RandomTranslation widthFactor(double lower, double upper) {
        requireUnbuilt("change the width factor of");
        widthFactor = Factor.of(lower, upper).checkSymmetric("RandomTranslation width_factor");
        return this;
    }

    RandomTranslation factors(Factor height, Factor width) {
        heightFactor = height.checkSymmetric("RandomTranslation height_factor");
        widthFactor = width.checkSymmetric("RandomTranslation width_factor");
        return this;
    }

    @Override
    public String typeName() {
        return "RandomTranslation";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("height_factor", heightFactor.kerasValue());
        a.put("width_factor", widthFactor.kerasValue());
        putSampling(a);
        return a;
    }

    @Override
    String describeTransform() {
        return "random translation, height " + heightFactor + ", width " + widthFactor + ", " + describeSampling();
    }

    @Override
    int drawsPerImage() {
        return 2;
    }

    @Override
    void drawTransform(float[] t, int at, long stream, int b, int height, int width) {
        float dy = uniform(stream, b, 0, (float) heightFactor.lower(), (float) heightFactor.upper()) * height;
        float dx = uniform(stream, b, 1, (float) widthFactor.lower(), (float) widthFactor.upper()) * width;
        t[at] = 1f;
        t[at + 1] = 0f;
        t[at + 2] = -dx;
        t[at + 3] = 0f;
        t[at + 4] = 1f;
        t[at + 5] = -dy;
        t[at + 6] = 0f;
        t[at + 7] = 0f;
    }
}
