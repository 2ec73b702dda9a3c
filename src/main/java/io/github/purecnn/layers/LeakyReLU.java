package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Activations;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The leaky rectifier as a layer, Keras's {@code LeakyReLU}: {@code x} for positive x, else
 * {@code negative_slope * x}, with Keras's default slope 0.3 (the {@code leaky_relu} activation's
 * is 0.2).
 * <pre>{@code new LeakyReLU(0.1)}</pre>
 */
public final class LeakyReLU extends Layer {
    /** Keras's default {@code negative_slope}. */
    public static final double DEFAULT_NEGATIVE_SLOPE = 0.3;

    private final float negativeSlope;

    /** Keras's default slope, 0.3. */
    public LeakyReLU() {
        this(DEFAULT_NEGATIVE_SLOPE);
    }

    /**
     * A leaky rectifier with the given slope below zero.
     *
     * @param negativeSlope Keras's {@code negative_slope}, the slope for negative x: finite and at least 0
     * @throws IllegalArgumentException when the slope is negative or not finite, as Keras refuses it
     */
    public LeakyReLU(double negativeSlope) {
        if (!(negativeSlope >= 0) || Double.isInfinite(negativeSlope)) {
            throw new IllegalArgumentException("LeakyReLU negative_slope must be a finite number >= 0, found " + negativeSlope);
        }
        this.negativeSlope = (float) negativeSlope;
    }

    /**
     * The slope below zero.
     *
     * @return Keras's {@code negative_slope}, as a float
     */
    public float negativeSlope() {
        return negativeSlope;
    }

    @Override
    public String typeName() {
        return "LeakyReLU";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("negative_slope", (double) negativeSlope);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        return input;
    }

    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        int size = inputShape().size();
        return new StatelessStep(this, "leaky relu " + negativeSlope) {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                System.arraycopy(in, 0, out, 0, n * size);
                Activations.leakyReluForward(out, 0, n * size, negativeSlope);
            }

            @Override
            void inputGradient(float[] dIn, float[] dOut, float[] out, int n) {
                System.arraycopy(dOut, 0, dIn, 0, n * size);
                Activations.leakyReluBackward(dIn, out, 0, n * size, negativeSlope);
            }
        };
    }
}
