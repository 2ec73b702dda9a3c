package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Inverted dropout, as Keras's {@code Dropout(rate)}: in training each value is zeroed with
 * probability {@code rate} and the survivors are scaled by {@code 1 / (1 - rate)}, so that
 * inference is the identity. The random draws come from the model's seed, the training step
 * and the shard, never from the thread that runs it.
 */
public final class Dropout extends Layer {
    private final float rate;

    /**
     * Keras's {@code Dropout}: in training, zeroes each value with probability {@code rate} (in [0, 1)) and scales the others by {@code 1 / (1 - rate)}.
     *
     * @param rate Keras's {@code rate}, the probability that training drops each value: in [0, 1)
     * @throws IllegalArgumentException if {@code rate} is outside [0, 1) or NaN
     */
    public Dropout(double rate) {
        this.rate = checkRate("dropout", rate);
    }

    @Override
    public String typeName() {
        return "Dropout";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("rate", (double) rate);
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
        return new Step() {
            @Override
            public String describe() {
                return name() + ": dropout " + rate;
            }

            @Override
            public Step.Shard newShard(int capacity) {
                // scale (capacity, size): 0 for dropped values, 1 / (1 - rate) for kept ones; all 1 outside training
                float[] scale = new float[Math.multiplyExact(capacity, size)];
                return new Step.Shard() {
                    @Override
                    public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                        int len = n * size;
                        drawScales(scale, len, rate, training, noiseSeed);
                        for (int i = 0; i < len; i++) {
                            out[i] = in[i] * scale[i];
                        }
                    }

                    @Override
                    public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                        if (dIn == null) {
                            return;
                        }
                        int len = n * size;
                        for (int i = 0; i < len; i++) {
                            dIn[i] = dOut[i] * scale[i];
                        }
                    }

                    @Override
                    public float[][] grads() {
                        return NO_GRADS;
                    }
                };
            }
        };
    }

    /**
     * scale [0, count) writes: in training, each value independently 0 with probability
     * {@code rate}, else {@code 1 / (1 - rate)}, drawn from the noise seed alone ({@link Noise});
     * otherwise all 1.
     */
    static void drawScales(float[] scale, int count, float rate, boolean training, long noiseSeed) {
        if (!training || rate == 0f) {
            java.util.Arrays.fill(scale, 0, count, 1f);
            return;
        }
        int keepBits = Float.floatToRawIntBits(1f / (1f - rate));
        // Draw i drops its value when uniform = bits * 2^-24 < rate, that is when bits < ceil(rate * 2^24)
        // (both scalings by 2^24 are exact): an integer compare, turned into a mask without a branch,
        // which the processor would mispredict on about every other value of random draws.
        int dropBelow = (int) Math.ceil(rate * 0x1.0p24f);
        long stream = Noise.stream(noiseSeed);
        for (int i = 0; i < count; i++) {
            int keepMask = (dropBelow - 1 - Noise.bits(stream, i)) >> 31;   // all ones when bits >= dropBelow, else 0
            scale[i] = Float.intBitsToFloat(keepBits & keepMask);
        }
    }

    /** The rate as given, checked: in [0, 1). */
    static float checkRate(String type, double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException(type + " rate must be in [0, 1), found " + rate);
        }
        return (float) rate;
    }
}
