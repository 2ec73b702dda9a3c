package io.github.purecnn.kernels;

import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.conv.VectorConv;
import io.github.purecnn.kernels.depthwise.DepthwisePlan;
import io.github.purecnn.kernels.depthwise.VectorDepthwise;
import io.github.purecnn.kernels.pool.PoolPlan;
import io.github.purecnn.kernels.pool.ReferencePool;
import jdk.incubator.vector.FloatVector;

/**
 * The Vector API path (loaded only when the JVM has the incubator module): plans on register-
 * blocked micro-kernels, vectors across independent outputs, at the machine's preferred width.
 */
public final class VectorKernels implements Kernels {

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public ConvPlan conv(Window2D g, int filters) {
        return new VectorConv(g, filters);
    }

    @Override
    public DepthwisePlan depthwise(Window2D g, int multiplier) {
        return new VectorDepthwise(g, multiplier);
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
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return name() + " (" + bits + "-bit vectors, " + FloatVector.SPECIES_PREFERRED.length() + " floats)";
    }
}
