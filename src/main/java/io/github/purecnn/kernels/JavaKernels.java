package io.github.purecnn.kernels;

import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.conv.JavaConv;
import io.github.purecnn.kernels.depthwise.DepthwisePlan;
import io.github.purecnn.kernels.depthwise.JavaDepthwise;
import io.github.purecnn.kernels.pool.PoolPlan;
import io.github.purecnn.kernels.pool.ReferencePool;

/** The portable default: plain Java loops shaped for HotSpot's auto-vectoriser. */
public final class JavaKernels implements Kernels {

    @Override
    public String name() {
        return "java";
    }

    @Override
    public ConvPlan conv(Window2D g, int filters) {
        return new JavaConv(g, filters);
    }

    @Override
    public DepthwisePlan depthwise(Window2D g, int multiplier) {
        return new JavaDepthwise(g, multiplier);
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
    public String toString() {
        return name();
    }
}
