package io.github.purecnn.layers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code RandomRotation(factor)}: in training, rotates each image about its centre by a
 * random angle, a fraction of a full turn, filling the corners by the fill mode; the identity at
 * inference.
 *
 * <p>A factor f is the range [-f, f] of turns (a pair gives the range itself, each end in
 * [-1, 1]); positive angles turn counter-clockwise. Image b draws (draw b), in float,
 * {@code angle = uniform(lower, upper)} with {@code lower = (float) (first * 2) * (float) pi} and
 * likewise upper, as Keras computes them; {@code cos} and {@code sin} of it come from
 * {@link StrictMath}, rounded to float; with {@code w = W - 1} and {@code h = H - 1}, Keras's
 * offsets {@code ox = (w - (cos * w - sin * h)) / 2} and {@code oy = (h - (sin * w + cos * h)) / 2}
 * make the transform {@code [cos, -sin, ox, sin, cos, oy, 0, 0]}, which keeps the image's centre
 * ((W - 1) / 2, (H - 1) / 2) in place.
 */
public final class RandomRotation extends AffineAugmentation<RandomRotation> {
    private Factor factor;

    /**
     * Angles within [-factor, factor] of a full turn.
     *
     * @param factor Keras's {@code factor} as one number: the largest turn either way, as a fraction of a
     *     full turn, in [-1, 1] (its sign is ignored)
     * @throws IllegalArgumentException if {@code factor} is outside [-1, 1] or NaN
     */
    public RandomRotation(double factor) {
        this.factor = Factor.of(factor).checkSymmetric("RandomRotation factor");
    }

    /**
     * Angles within [lower, upper] of a full turn (Keras's pair form), each in [-1, 1].
     *
     * @param lower the smallest angle, as a fraction of a full turn, in [-1, 1] (negative: clockwise)
     * @param upper the largest angle, as a fraction of a full turn, in [-1, 1]
     * @return this layer
     * @throws IllegalArgumentException if a bound is outside [-1, 1] or NaN
     * @throws IllegalStateException once the layer is built
     */
    public RandomRotation factor(double lower, double upper) {
        requireUnbuilt("change the factor of");
        factor = Factor.of(lower, upper).checkSymmetric("RandomRotation factor");
        return this;
    }

    RandomRotation factor(Factor f) {
        factor = f.checkSymmetric("RandomRotation factor");
        return this;
    }

    @Override
    public String typeName() {
        return "RandomRotation";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("factor", factor.kerasValue());
        putSampling(a);
        return a;
    }

    @Override
    String describeTransform() {
        return "random rotation " + factor + " turn, " + describeSampling();
    }

    @Override
    int drawsPerImage() {
        return 1;
    }

    @Override
    void drawTransform(float[] t, int at, long stream, int b, int height, int width) {
        float pi = (float) Math.PI;
        float lower = (float) (factor.lower() * 2) * pi;
        float upper = (float) (factor.upper() * 2) * pi;
        float angle = uniform(stream, b, 0, lower, upper);
        float cos = (float) StrictMath.cos(angle);
        float sin = (float) StrictMath.sin(angle);
        float w = width - 1f;
        float h = height - 1f;
        t[at] = cos;
        t[at + 1] = -sin;
        t[at + 2] = (w - (cos * w - sin * h)) / 2f;
        t[at + 3] = sin;
        t[at + 4] = cos;
        t[at + 5] = (h - (sin * w + cos * h)) / 2f;
        t[at + 6] = 0f;
        t[at + 7] = 0f;
    }
}
