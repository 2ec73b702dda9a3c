package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.BatchSums;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.Map;

/**
 * A test layer on the engine's batch sums ({@code BatchSumsTest}): y = x - mean over the batch of
 * x, per feature, in training; the identity in inference. dx = dy - mean(dy). In this package,
 * since only the package's classes extend Layer directly.
 */
public final class BatchCentering extends Layer {
    @Override
    public String typeName() {
        return "BatchCentering";
    }

    @Override
    protected Map<String, Object> arguments() {
        return Map.of();
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        return input;
    }

    @Override
    public Step newStep(Kernels kernels, boolean lossGivesPreActivationGradient) {
        int size = inputShape().size();
        BatchSums sums = new BatchSums(size + 1, size + 1);      // per feature, then the image count
        return new Step() {
            @Override
            public String describe() {
                return name() + ": batch centering";
            }

            @Override
            public BatchSums batchSums() {
                return sums;
            }

            @Override
            public Step.Shard newShard(int capacity) {
                return new Step.Shard() {
                    @Override
                    public void forwardSums(double[] partial, float[] in, int n) {
                        java.util.Arrays.fill(partial, 0);
                        for (int b = 0; b < n; b++) {
                            for (int f = 0; f < size; f++) {
                                partial[f] += in[b * size + f];
                            }
                        }
                        partial[size] = n;
                    }

                    @Override
                    public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                        double[] t = sums.forwardTotals();
                        for (int b = 0; b < n; b++) {
                            for (int f = 0; f < size; f++) {
                                out[b * size + f] = training ? (float) (in[b * size + f] - t[f] / t[size]) : in[b * size + f];
                            }
                        }
                    }

                    @Override
                    public void backwardSums(double[] partial, float[] dOut, float[] in, float[] out, int n) {
                        java.util.Arrays.fill(partial, 0);
                        for (int b = 0; b < n; b++) {
                            for (int f = 0; f < size; f++) {
                                partial[f] += dOut[b * size + f];
                            }
                        }
                        partial[size] = n;
                    }

                    @Override
                    public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                        double[] t = sums.backwardTotals();
                        if (dIn != null) {
                            for (int b = 0; b < n; b++) {
                                for (int f = 0; f < size; f++) {
                                    dIn[b * size + f] = (float) (dOut[b * size + f] - t[f] / t[size]);
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