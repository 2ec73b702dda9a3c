package io.github.purecnn.layers;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.pool.PoolPlan;
import io.github.purecnn.runtime.Step;

/** The step of a pooling layer: its plan, and per shard the argmax that max pooling's backward needs. */
final class PoolStep implements Step {
    private final Layer layer;
    private final PoolPlan plan;

    PoolStep(Layer layer, PoolPlan plan) {
        this.layer = layer;
        this.plan = plan;
    }

    @Override
    public String describe() {
        return layer.name() + ": " + plan.name() + " " + plan.geometry().describe();
    }

    @Override
    public Step.Shard newShard(int capacity) {
        // argmax (capacity, OH, OW, C): flat index into the shard's input of each window's maximum
        int[] argmax = plan.recordsArgmax()
                ? new int[Math.multiplyExact(capacity, plan.geometry().outPixels() * plan.geometry().channels())] : null;
        return new Step.Shard() {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                plan.forward(out, argmax, in, n);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                if (dIn != null) {
                    plan.backward(dIn, dOut, argmax, n);
                }
            }

            @Override
            public float[][] grads() {
                return NO_GRADS;
            }
        };
    }
}
