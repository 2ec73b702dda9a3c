package io.github.purecnn.spark;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.runtime.BatchSums;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.Map;

/**
 * A layer that needs sums over the whole batch between shards, as batch normalisation does: in
 * training it subtracts each feature's mean over the batch (the identity at inference). The
 * tests use it to check that training on Spark refuses such models.
 */
final class BatchCentering extends Layer {

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
        BatchSums sums = new BatchSums(size + 1, size + 1);     // each feature's sum, then the image count
        return new Step() {
            @Override
            public String describe() {
                return name() + ": x minus its mean over the batch";
            }

            @Override
            public BatchSums batchSums() {
                return sums;
            }

            @Override
            public Shard newShard(int capacity) {
                return new Shard() {
                    @Override
                    public void forwardSums(double[] partial, float[] in, int n) {
                        addUp(partial, in, n);
                    }

                    @Override
                    public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                        subtractMean(out, in, n, training ? sums.forwardTotals() : null);
                    }

                    @Override
                    public void backwardSums(double[] partial, float[] dOut, float[] in, float[] out, int n) {
                        addUp(partial, dOut, n);
                    }

                    @Override
                    public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                        if (dIn != null) {
                            subtractMean(dIn, dOut, n, sums.backwardTotals());
                        }
                    }

                    @Override
                    public float[][] grads() {
                        return NO_GRADS;
                    }
                };
            }

            private void addUp(double[] partial, float[] x, int n) {
                java.util.Arrays.fill(partial, 0);
                for (int i = 0; i < n; i++) {
                    for (int f = 0; f < size; f++) {
                        partial[f] += x[i * size + f];
                    }
                }
                partial[size] = n;
            }

            private void subtractMean(float[] out, float[] x, int n, double[] totals) {
                for (int i = 0; i < n; i++) {
                    for (int f = 0; f < size; f++) {
                        out[i * size + f] = totals == null ? x[i * size + f] : (float) (x[i * size + f] - totals[f] / totals[size]);
                    }
                }
            }
        };
    }
}
