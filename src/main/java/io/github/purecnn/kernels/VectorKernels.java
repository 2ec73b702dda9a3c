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
    public static final List<String> VARIANTS = planarMinimumPixels() > 0
            ? List.of(VectorConv.NAME, VectorPlanarInputGradient.NAME, VectorConvPool.NAME,
                    "vector average", "vector max", "reference average", "reference max")
            : List.of(VectorConv.NAME, VectorConvPool.NAME,
                    "vector average", "vector max", "reference average", "reference max");

    /**
     * The fewest input pixels for which the planar input gradient pays at this vector width (0:
     * never). Its input gradient against VectorConv's, shards of 16, microseconds (VectorConv /
     * planar; one core of the AMD EPYC (Zen 5) the suite runs on, minimum over 4 x 100 rounds of
     * 1 ms, the machine shared; {@code benchmarks/.../plans/InputGradientChoice}):
     * <pre>
     *   geometry, K                       16 floats        8 floats
     *   13x13x6 3x3 valid, 16 (seed.conv2) 109.6 / 58.7    101.5 / 92.6
     *   32x32x3 3x3 same, 32             1425.9 / 598.9   1384.0 / 1122.6
     *   26x26x6 3x3 same, 16              508.7 / 227.7    503.1 / 405.2
     *   7x7x6 3x3 dilated 2 same, 16       28.4 / 23.5      27.6 / 34.7
     *   13x13x8 3x3 valid, 16             103.8 / 85.4      94.2 / 161.3
     *   13x13x12 3x3 valid, 32            179.1 / 164.3    288.0 / 306.5
     *   13x13x16 3x3 valid, 32            177.8 / 221.7    273.9 / 437.3
     *   5x5x4 5x5 valid (1x1 out), 8        6.2 / 10.0       5.9 / 12.7
     *   2x2x6 1x1, 16                       0.9 / 2.4        0.9 / 2.2
     * </pre>
     * At 16 floats from two vectors of pixels (2x2 loses, 7x7 gains). At 8 floats VectorConv
     * already fills 6 of 8 lanes, while the planar one also computes the margins' zero terms (for
     * the seed's conv2 1.4 times the useful products) on twelve registers (AVX2 has 16): it gains
     * from the seed's 13x13 pixels on (7x7 loses). Narrower vectors: not measured, not chosen.
     */
    private static int planarMinimumPixels() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        return lanes >= 16 ? 2 * lanes : lanes == 8 ? 13 * 13 : 0;
    }

    /**
     * Where the planar input gradient is chosen: unit strides (it serves no others), at most 6
     * channels (one block of channels: from 8 on it takes a second, mostly idle, block, and
     * gains little at 16 floats and loses at 8), an output at least as large as the window's span
     * (else the margins' zero terms dominate: 5x5x4 under a 5x5 window loses) and enough input
     * pixels: see {@link #planarMinimumPixels()} for the figures.
     */
    static boolean planarInputGradient(Window2D g) {
        int spanH = (g.kH() - 1) * g.dilationH() + 1, spanW = (g.kW() - 1) * g.dilationW() + 1;
        int minimumPixels = planarMinimumPixels();
        return minimumPixels > 0 && VectorPlanarInputGradient.fits(g) && g.channels() <= 6
                && g.outH() >= spanH && g.outW() >= spanW && g.inH() * g.inW() >= minimumPixels;
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
