package io.github.purecnn.kernels;

import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.conv.ConvPoolPlan;
import io.github.purecnn.kernels.conv.VectorConv;
import io.github.purecnn.kernels.conv.VectorConvPool;
import io.github.purecnn.kernels.depthwise.DepthwisePlan;
import io.github.purecnn.kernels.depthwise.VectorDepthwise;
import io.github.purecnn.kernels.pool.PoolPlan;
import io.github.purecnn.kernels.pool.ReferencePool;
import io.github.purecnn.kernels.pool.VectorPool;
import jdk.incubator.vector.FloatVector;

import java.util.List;

/**
 * The Vector API path (loaded only when the JVM has the incubator module): plans on register-
 * blocked micro-kernels, vectors across independent outputs, at the machine's preferred width.
 * This class is the one place that chooses between the path's variants, with their thresholds;
 * {@link #VARIANTS} names them all.
 */
public final class VectorKernels implements Kernels {
    /** The name of every plan this path hands out, for tests that check each is chosen somewhere. */
    public static final List<String> VARIANTS = List.of(
            VectorConv.NAME, VectorConvPool.NAME, VectorConvPool.NAME_PAIRED,
            "vector average", "vector max", "reference average", "reference max");

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

    /** Windows that do not overlap over at least a vector of channels run on vectors; others on the reference loops. */
    @Override
    public PoolPlan averagePool(Window2D g) {
        return VectorPool.fits(g) ? VectorPool.average(g) : ReferencePool.average(g);
    }

    @Override
    public PoolPlan maxPool(Window2D g) {
        return VectorPool.fits(g) ? VectorPool.max(g) : ReferencePool.max(g);
    }

    /**
     * A first convolution with its ReLU and a pooling whose windows do not overlap: one pass. Its
     * kernel gradient holds two taps' sums to a vector where they fit (2K &lt;= the vector's lanes) and
     * the input has one channel, read at unit column strides.
     */
    @Override
    public ConvPoolPlan convReluPool(Window2D conv, int filters, Window2D pool, boolean max) {
        return VectorConvPool.fits(pool) ? new VectorConvPool(conv, filters, pool, max, VectorConvPool.pairsTaps(conv, filters)) : null;
    }

    @Override
    public String toString() {
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return name() + " (" + bits + "-bit vectors, " + FloatVector.SPECIES_PREFERRED.length() + " floats)";
    }
}
