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
     * Whether the planar input gradient pays at this vector width: at 16 floats. Its input gradient
     * against VectorConv's, shards of 16, microseconds (VectorConv / planar; one core of the AMD
     * EPYC (Zen 5) the suite runs on, minimum over 4 x 100 rounds of 1 ms, the machine shared;
     * {@code benchmarks/.../plans/InputGradientChoice}):
     * <pre>
     *   geometry, K                       16 floats       8 floats
     *   13x13x6 3x3 valid, 16 (seed.conv2) 107.5 / 62.3    104.8 / 109.8
     *   32x32x3 3x3 same, 32             1500.8 / 649.5   1427.4 / 1197.9
     *   26x26x6 3x3 same, 16              516.4 / 239.7    516.9 / 434.1
     *   7x7x6 3x3 dilated 2 same, 16       30.3 / 27.9      28.1 / 44.0
     *   13x13x8 3x3 valid, 16             108.6 / 95.8      93.2 / 188.9
     *   13x13x12 3x3 valid, 32            191.6 / 185.1    297.3 / 371.5
     *   13x13x16 3x3 valid, 32            181.8 / 252.4    286.6 / 527.1
     *   5x5x4 5x5 valid (1x1 out), 8        6.5 / 11.5       5.6 / 14.7
     *   2x2x6 1x1, 16                       1.6 / 2.6        0.9 / 2.4
     * </pre>
     * At 8 floats VectorConv fills 6 of 8 lanes, and the planar one, which also computes the
     * margins' zero terms and the flat rows' extra columns (1.85 times the useful products for the
     * seed's conv2) on twelve registers (AVX2 has 16), gains only on large images: not chosen.
     */
    private static boolean planarInputGradient() {
        return FloatVector.SPECIES_PREFERRED.length() >= 16;
    }

    /**
     * Where the planar input gradient is chosen: unit strides (it serves no others), 16-float
     * vectors, at most 6 channels (one block of channels: from 8 on it takes a second, mostly
     * idle, block and gains 1.1 at best, then loses), an output at least as large as the window's
     * span (else the margins' zero terms dominate: 5x5x4 under a 5x5 window loses) and at least two
     * vectors of input pixels (2x2x6 loses): see {@link #planarInputGradient()} for the figures.
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
