package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Dropout of whole channels, as Keras's {@code SpatialDropout2D(rate)}: in training each channel
 * of each image is zeroed with probability {@code rate} at every pixel, the others scaled by
 * {@code 1 / (1 - rate)} (Keras's noise shape {@code (batch, 1, 1, channels)}); inference is the
 * identity. The draws come from the model's seed, the training step and the shard, as
 * {@link Dropout}'s.
 */
public final class SpatialDropout2D extends Layer {
    private final float rate;

    /**
     * @param rate the probability of dropping a channel, in [0, 1)
     * @throws IllegalArgumentException for a rate outside [0, 1)
     */
    public SpatialDropout2D(double rate) {
        this.rate = Dropout.checkRate("SpatialDropout2D", rate);
    }

    @Override
    public String typeName() {
        return "SpatialDropout2D";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("rate", (double) rate);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException("SpatialDropout2D expects images (height, width, channels), found rank " + input.rank());
        }
        return input;
    }

    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        int channels = inputShape().dim(2);
        int pixels = inputShape().dim(0) * inputShape().dim(1);
        return new Step() {
            @Override
            public String describe() {
                return name() + ": spatial dropout " + rate;
            }

            @Override
            public Step.Shard newShard(int capacity) {
                // scale (capacity, channels): 0 for dropped channels, 1 / (1 - rate) for kept ones; all 1 outside training
                float[] scale = new float[Math.multiplyExact(capacity, channels)];
                return new Step.Shard() {
                    @Override
                    public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                        Dropout.drawScales(scale, n * channels, rate, training, noiseSeed);
                        apply(out, in, n);
                    }

                    @Override
                    public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                        if (dIn != null) {
                            apply(dIn, dOut, n);
                        }
                    }

                    /** to (n, H, W, C) writes: from times its image's channel scale. */
                    private void apply(float[] to, float[] from, int n) {
                        for (int b = 0; b < n; b++) {
                            for (int p = 0; p < pixels; p++) {
                                int at = (b * pixels + p) * channels;
                                for (int c = 0; c < channels; c++) {
                                    to[at + c] = from[at + c] * scale[b * channels + c];
                                }
                            }
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
}
