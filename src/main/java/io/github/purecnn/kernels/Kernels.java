package io.github.purecnn.kernels;

import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.conv.ConvPoolPlan;
import io.github.purecnn.kernels.depthwise.DepthwisePlan;
import io.github.purecnn.kernels.pool.PoolPlan;

/**
 * A kernel path: the reference loops, plain Java, or the Vector API. Each hands out a plan per
 * operation and exact geometry, chosen once when a model is built; the choice between a path's
 * variants, with its thresholds, lives in one place per operation family. Every path computes
 * the same values bit for bit (see the package documentation), so the path changes speed only.
 * {@link KernelsProvider} picks one at start-up.
 */
public interface Kernels {

    /** A short name for logs and benchmarks: {@code "reference"}, {@code "java"}, {@code "vector"}. */
    String name();

    /** The plan for a convolution (or, with {@link Window2D#dense}, a dense layer) of this geometry. */
    ConvPlan conv(Window2D g, int filters);

    /** The plan for a depthwise convolution of this geometry with {@code multiplier} filters per input channel. */
    DepthwisePlan depthwise(Window2D g, int multiplier);

    /** The plan for average pooling of this geometry. */
    PoolPlan averagePool(Window2D g);

    /** The plan for max pooling of this geometry. */
    PoolPlan maxPool(Window2D g);

    /**
     * A one-pass plan for a convolution with ReLU followed by average ({@code max == false}) or
     * max pooling, or null where this path has none faster than the plans apart.
     */
    default ConvPoolPlan convReluPool(Window2D conv, int filters, Window2D pool, boolean max) {
        return null;
    }
}
