package io.github.purecnn.layers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code RandomZoom(height_factor, width_factor=None)}: in training, zooms each image in
 * or out about its centre by random factors, filling what comes into view by the fill mode; the
 * identity at inference.
 *
 * <p>A factor f is the range [-f, f] (a pair gives the range itself, each end in [-1, 1]);
 * positive values zoom out, negative ones in. Image b draws, in float,
 * {@code zy = uniform(1 + hLower, 1 + hUpper)} (draw 2b; the bounds computed in double, then
 * rounded) and {@code zx} likewise from the width factor (draw 2b + 1), or {@code zx = zy} without
 * a width factor, which keeps the aspect ratio, as Keras. With Keras's offsets
 * {@code ox = ((W - 1) / 2) * (1 - zx)} and {@code oy = ((H - 1) / 2) * (1 - zy)}, the transform
 * is {@code [zx, 0, ox, 0, zy, oy, 0, 0]}.
 */
public final class RandomZoom extends AffineAugmentation<RandomZoom> {
    private Factor heightFactor;
    private Factor widthFactor;

    /**
     * Zooms within [-heightFactor, heightFactor] on both axes alike (Keras's {@code width_factor=None}).
     *
     * @param heightFactor Keras's {@code height_factor} as one number: the largest zoom either way, as a
     *     fraction of the size, in [-1, 1] (its sign is ignored)
     * @throws IllegalArgumentException if {@code heightFactor} is outside [-1, 1] or NaN
     */
    public RandomZoom(double heightFactor) {
        this.heightFactor = Factor.of(heightFactor).checkSymmetric("RandomZoom height_factor");
    }

    /**
     * Zooms within [-heightFactor, heightFactor] vertically and [-widthFactor, widthFactor] horizontally.
     *
     * @param heightFactor Keras's {@code height_factor} as one number: the largest vertical zoom either way,
     *     as a fraction of the height, in [-1, 1] (its sign is ignored)
     * @param widthFactor Keras's {@code width_factor} as one number: the largest horizontal zoom either way,
     *     as a fraction of the width, in [-1, 1] (its sign is ignored)
     * @throws IllegalArgumentException if a factor is outside [-1, 1] or NaN
     */
    public RandomZoom(double heightFactor, double widthFactor) {
        this(heightFactor);
        this.widthFactor = Factor.of(widthFactor).checkSymmetric("RandomZoom width_factor");
    }

    /**
     * Vertical zooms within [lower, upper] (Keras's pair form), each in [-1, 1].
     *
     * @param lower the smallest vertical zoom, in [-1, 1] (negative: in, positive: out)
     * @param upper the largest vertical zoom, in [-1, 1]
     * @return this layer
     * @throws IllegalArgumentException if a bound is outside [-1, 1] or NaN
     * @throws IllegalStateException once the layer is built
     */
    public RandomZoom heightFactor(double lower, double upper) {
        requireUnbuilt("change the height factor of");
        heightFactor = Factor.of(lower, upper).checkSymmetric("RandomZoom height_factor");
        return this;
    }

    /**
     * Horizontal zooms within [lower, upper] (Keras's pair form), each in [-1, 1].
     *
     * @param lower the smallest horizontal zoom, in [-1, 1] (negative: in, positive: out)
     * @param upper the largest horizontal zoom, in [-1, 1]
     * @return this layer
     * @throws IllegalArgumentException if a bound is outside [-1, 1] or NaN
     * @throws IllegalStateException once the layer is built
     */
    public RandomZoom widthFactor(double lower, double upper) {
        requireUnbuilt("change the width factor of");
        widthFactor = Factor.of(lower, upper).checkSymmetric("RandomZoom width_factor");
        return this;
    }

    /** Sets both factors; a null width factor zooms both axes alike. */
    RandomZoom factors(Factor height, Factor width) {
        heightFactor = height.checkSymmetric("RandomZoom height_factor");
        widthFactor = width == null ? null : width.checkSymmetric("RandomZoom width_factor");
        return this;
    }

    @Override
    public String typeName() {
        return "RandomZoom";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("height_factor", heightFactor.kerasValue());
        a.put("width_factor", widthFactor == null ? null : widthFactor.kerasValue());
        putSampling(a);
        return a;
    }

    @Override
    String describeTransform() {
        return "random zoom, height " + heightFactor + ", width " + (widthFactor == null ? "as height" : widthFactor)
                + ", " + describeSampling();
    }

    @Override
    int drawsPerImage() {
        return widthFactor == null ? 1 : 2;
    }

    @Override
    void drawTransform(float[] t, int at, long stream, int b, int height, int width) {
        float zy = uniform(stream, b, 0, (float) (1.0 + heightFactor.lower()), (float) (1.0 + heightFactor.upper()));
        float zx = widthFactor == null ? zy
                : uniform(stream, b, 1, (float) (1.0 + widthFactor.lower()), (float) (1.0 + widthFactor.upper()));
        t[at] = zx;
        t[at + 1] = 0f;
        t[at + 2] = ((width - 1f) / 2f) * (1f - zx);
        t[at + 3] = 0f;
        t[at + 4] = zy;
        t[at + 5] = ((height - 1f) / 2f) * (1f - zy);
        t[at + 6] = 0f;
        t[at + 7] = 0f;
    }
}
