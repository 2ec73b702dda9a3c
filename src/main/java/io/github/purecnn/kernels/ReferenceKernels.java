package io.github.purecnn.kernels;

import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.conv.ConvPoolPlan;
import io.github.purecnn.kernels.conv.ReferenceConv;
import io.github.purecnn.kernels.depthwise.DepthwisePlan;
import io.github.purecnn.kernels.depthwise.ReferenceDepthwise;
import io.github.purecnn.kernels.pool.PoolPlan;
import io.github.purecnn.kernels.pool.ReferencePool;

/** The reference path: the simplest correct loops, the yardstick of every other plan. */
public final class ReferenceKernels implements Kernels {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public ConvPlan conv(Window2D g, int filters) {
        return new ReferenceConv(g, filters);
    }

    @Override
    public DepthwisePlan depthwise(Window2D g, int multiplier) {
        return new ReferenceDepthwise(g, multiplier);
    }

    @Override
    public PoolPlan averagePool(Window2D g) {
        return ReferencePool.average(g);
    }

    @Override
    public PoolPlan maxPool(Window2D g) {
        return ReferencePool.max(g);
    }

    @Override
    public ConvPoolPlan convReluPool(Window2D conv, int filters, Window2D pool, boolean max) {
        return new ReferenceConvPool(conv, filters, pool, max);
    }

    @Override
    public String toString() {
        return name();
    }
}
