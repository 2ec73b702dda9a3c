package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keras's {@code Rescaling(scale, offset=0.0)}: every value becomes {@code x * scale + offset},
 * in training and at inference; {@code Rescaling(1 / 255.0)} turns image-folder pixels (0..255)
 * into 0..1. In float, as Keras: the product rounded, then the sum (no fused multiply-add). Any
 * input shape. The input gradient is {@code g * scale}.
 */
public final class Rescaling extends Layer {
    private final float scale;
    private final float offset;

    /**
     * {@code x * scale}, offset 0.
     *
     * @param scale Keras's {@code scale}, the factor every value is multiplied by: finite
     * @throws IllegalArgumentException if {@code scale} is NaN or infinite
     */
    public Rescaling(double scale) {
        this(scale, 0);
    }

    /**
     * {@code x * scale + offset}; both rounded to float, as Keras keeps them.
     *
     * @param scale Keras's {@code scale}, the factor every value is multiplied by: finite
     * @param offset Keras's {@code offset}, added after the product: finite (0 by default)
     * @throws IllegalArgumentException if {@code scale} or {@code offset} is NaN or infinite
     */
    public Rescaling(double scale, double offset) {
        if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("Rescaling scale and offset must be finite, found scale " + scale
                    + ", offset " + offset);
        }
        this.scale = (float) scale;
        this.offset = (float) offset;
    }

    @Override
    public String typeName() {
        return "Rescaling";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("scale", (double) scale);
        a.put("offset", (double) offset);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        return input;
    }

    @Internal
    @Override
    public Step newStep(Kernels kernels, boolean lossGivesPreActivationGradient) {
        int size = inputShape().size();
        return new StatelessStep(this, "x * " + scale + " + " + offset) {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                for (int i = 0; i < n * size; i++) {
                    out[i] = in[i] * scale + offset;
                }
            }

            @Override
            void inputGradient(float[] dIn, float[] dOut, float[] out, int n) {
                for (int i = 0; i < n * size; i++) {
                    dIn[i] = dOut[i] * scale;
                }
            }
        };
    }
}
