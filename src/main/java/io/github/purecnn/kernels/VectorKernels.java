package io.github.purecnn.kernels;

import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.conv.ConvPoolPlan;
import io.github.purecnn.kernels.conv.VectorConv;
import io.github.purecnn.kernels.conv.VectorConvPool;
import io.github.purecnn.kernels.conv.VectorPlanarInputGradient;
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
    public static final List<String> VARIANTS = planarInputGradient()
            ? List.of(VectorConv.NAME, VectorPlanarInputGradient.NAME, VectorConvPool.NAME,
                    "vector average", "vector max", "reference average", "reference max")
            : List.of(VectorConv.NAME, VectorConvPool.NAME,
                    "vector average", "vector max", "reference average", "reference max");

    /**
     * Whether the planar input gradient pays at this vector width: at 16 floats. Input gradient,
     * shards of 16, microseconds, VectorConv / planar (one core of an AMD EPYC, minimum over rounds,
     * the machine loaded): at 16 floats 13x13x6 3x3 K=16 (the seed's conv2) 107 / 58;
     * 32x32x3 3x3 same K=32 1668 / 825; 26x26x6 3x3 same K=16 774 / 247; 7x7x6 3x3 dilated 2
     * same K=16 50 / 40; 13x13x8 K=16 110 / 111; 13x13x12 K=32 261 / 211; 13x13x16 K=32 265 / 306;
     * 5x5x4 5x5 valid (one output pixel) K=8 6.8 / 19; 2x2x6 1x1 K=16 1.1 / 4.6. At 8 floats
     * VectorConv fills 6 of 8 lanes and the planar one, which computes the margins' zero terms
     * and the flat rows' extra columns, loses: 13x13x6 108 / 150, 13x13x8 167 / 337.
     */
    private static boolean planarInputGradient() {
        return FloatVector.SPECIES_PREFERRED.length() >= 16;
    }

    /**
     * Where the planar input gradient is chosen: unit strides (it serves no others), 16-float
     * vectors, at most 6 channels (one block of channels; from 8 VectorConv's channel vectors are
     * as fast), an output at least as large as the window's span (else the margins' zero terms
     * dominate) and at least two vectors of input pixels: see {@link #planarInputGradient} for the
     * measurements.
     */
    static boolean planarInputGradient(Window2D g) {
        int spanH = (g.kH() - 1) * g.dilationH() + 1, spanW = (g.kW() - 1) * g.dilationW() + 1;
        return planarInputGradient() && VectorPlanarInputGradient.fits(g) && g.channels() <= 6
                && g.outH() >= spanH && g.outW() >= spanW && g.inH() * g.inW() >= 2 * FloatVector.SPECIES_PREFERRED.length();
    }

    @Override
    public String name() {
        return "vector";
    }

    /** VectorConv, or where few input channels would idle its channel vectors, with the planar input gradient. */
    @Override
    public ConvPlan conv(Window2D g, int filters) {
        if (planarInputGradient(g)) {
            return new VectorPlanarInputGradient(g, filters);
        }
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

    /** A first convolution with its ReLU and a pooling whose windows do not overlap: one pass. */
    @Override
    public ConvPoolPlan convReluPool(Window2D conv, int filters, Window2D pool, boolean max) {
        return VectorConvPool.fits(pool) ? new VectorConvPool(conv, filters, pool, max) : null;
    }

    @Override
    public String toString() {
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return name() + " (" + bits + "-bit vectors, " + FloatVector.SPECIES_PREFERRED.length() + " floats)";
    }
}
