package io.github.purecnn.kernels;

import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.conv.JavaDense;
import io.github.purecnn.kernels.conv.JavaPlanarConv;
import io.github.purecnn.kernels.pool.PoolPlan;
import io.github.purecnn.kernels.pool.JavaPool;

/** The portable default: plain Java loops shaped for HotSpot's auto-vectoriser. */
public final class JavaKernels implements Kernels {

    @Override
    public String name() {
        return "java";
    }

    @Override
    public ConvPlan conv(Window2D g, int filters) {
        if (g.inH() == 1 && g.inW() == 1 && g.kH() == 1 && g.kW() == 1) {
            return new JavaDense(g, filters, filters >= 64);
        }
        return new JavaPlanarConv(g, filters, g.taps() >= 32);
    }

    @Override
    public PoolPlan averagePool(Window2D g) {
        return JavaPool.average(g);
    }

    @Override
    public PoolPlan maxPool(Window2D g) {
        return JavaPool.max(g);
    }

    @Override
    public String toString() {
        return name();
    }
}
