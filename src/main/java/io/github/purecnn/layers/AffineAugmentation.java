package io.github.purecnn.layers;

import io.github.purecnn.image.FillMode;
import io.github.purecnn.image.Interpolation;
import io.github.purecnn.kernels.image.ProjectiveTransform;
import io.github.purecnn.tensor.Shape;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * What RandomTranslation, RandomRotation and RandomZoom share: each image is resampled through an
 * affine transform of its own draw ({@link ProjectiveTransform}, TensorFlow's kernel), with Keras's
 * {@code fill_mode} (default {@code reflect}), {@code interpolation} (default {@code bilinear}) and
 * {@code fill_value} (default 0, for the constant mode). The output is linear in the input, so
 * the backward pass is exact: it adds each output gradient back onto the pixels it was read from.
 *
 * @param <L> the layer's own type, which the setters return
 */
abstract class AffineAugmentation<L extends AffineAugmentation<L>> extends RandomImageLayer {
    private FillMode fillMode = FillMode.REFLECT;
    private Interpolation interpolation = Interpolation.BILINEAR;
    private float fillValue;
    private ProjectiveTransform sampler;

    AffineAugmentation() {
    }

    /**
     * Keras's {@code fill_mode}: how points outside the image are filled.
     *
     * @param mode {@link FillMode#REFLECT} (the default), {@link FillMode#WRAP}, {@link FillMode#CONSTANT}
     *     (the fill value) or {@link FillMode#NEAREST} (the nearest edge pixel)
     * @return this layer
     * @throws NullPointerException if {@code mode} is null
     * @throws IllegalStateException once the layer is built
     */
    public L fillMode(FillMode mode) {
        requireUnbuilt("change the fill mode of");
        fillMode = Objects.requireNonNull(mode, "fill mode");
        return self();
    }

    /**
     * Keras's {@code fill_value}: the value of points outside the image in the constant fill mode.
     *
     * @param value a finite value, 0 by default; used only with {@link FillMode#CONSTANT}
     * @return this layer
     * @throws IllegalArgumentException if {@code value} is NaN or infinite
     * @throws IllegalStateException once the layer is built
     */
    public L fillValue(double value) {
        requireUnbuilt("change the fill value of");
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(typeName() + " fill value must be finite, found " + value);
        }
        fillValue = (float) value;
        return self();
    }

    /**
     * Keras's {@code interpolation}: bilinear or nearest.
     *
     * @param method {@link Interpolation#BILINEAR} (the default) or {@link Interpolation#NEAREST}
     * @return this layer
     * @throws NullPointerException if {@code method} is null
     * @throws IllegalStateException once the layer is built
     */
    public L interpolation(Interpolation method) {
        requireUnbuilt("change the interpolation of");
        interpolation = Objects.requireNonNull(method, "interpolation");
        return self();
    }

    @SuppressWarnings("unchecked")
    private L self() {
        return (L) this;
    }

    /** Adds the sampling arguments after the layer's own, in Keras's order. */
    final void putSampling(Map<String, Object> arguments) {
        arguments.put("fill_mode", fillMode.kerasName());
        arguments.put("interpolation", interpolation.kerasName());
        arguments.put("fill_value", (double) fillValue);
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        return requireImages(typeName(), input);
    }

    /**
     * No parameters: makes the sampler for the input's size, once.
     *
     * @param input the image shape {@code (height, width, channels)}
     * @param into left empty
     * @param rng unused: the transforms are drawn per step from the noise seed
     */
    @Override
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        sampler = new ProjectiveTransform(input.dim(0), input.dim(1), input.dim(2), fillMode, interpolation, fillValue);
    }

    @Override
    final int parametersPerImage() {
        return ProjectiveTransform.COEFFICIENTS;
    }

    @Override
    final void draw(float[] p, int at, long stream, int b, float[] in, int inOffset) {
        drawTransform(p, at, stream, b, inputShape().dim(0), inputShape().dim(1));
    }

    /**
     * Writes image b's transform {@code [a0, a1, a2, b0, b1, b2, c0, c1]} (output pixel to input
     * point) into {@code t} at {@code at}, for images of {@code height x width}.
     */
    abstract void drawTransform(float[] t, int at, long stream, int b, int height, int width);

    @Override
    final void transform(float[] out, int outOffset, float[] in, int inOffset, float[] p, int at) {
        sampler.forward(out, outOffset, in, inOffset, p, at);
    }

    @Override
    final void transformBackward(float[] dIn, int inOffset, float[] dOut, int outOffset, float[] in, float[] p, int at) {
        sampler.backward(dIn, inOffset, dOut, outOffset, p, at);
    }

    /** The sampling settings, for logs. */
    final String describeSampling() {
        return fillMode.kerasName() + " fill" + (fillMode == FillMode.CONSTANT ? " " + fillValue : "") + ", "
                + interpolation.kerasName();
    }
}
