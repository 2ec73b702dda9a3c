package io.github.purecnn.kernels;

import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.conv.JavaDense;
import io.github.purecnn.kernels.conv.JavaPlanarConv;
import io.github.purecnn.kernels.depthwise.DepthwisePlan;
import io.github.purecnn.kernels.depthwise.JavaDepthwise;
import io.github.purecnn.kernels.pool.JavaPool;
import io.github.purecnn.kernels.pool.PoolPlan;

import java.util.List;

/**
 * The portable default: plain Java loops shaped for HotSpot's auto-vectoriser (see
 * {@code FmaRows} in the convolution package for what it needs). This class is the one place
 * that chooses between the path's variants; its thresholds were measured on the suite's layers
 * (shards of 16, AVX-512, JDK 17: CPU-time minima per pass, both variants on each geometry).
 *
 * <ul>
 *   <li>Dense layers (1x1 windows over 1x1 images): {@link JavaDense}, units on the vectorised
 *       axis from {@link #WIDE_DENSE_UNITS} units on, inputs below.</li>
 *   <li>Every other convolution: {@link JavaPlanarConv}, with the kernel gradient by tap rows from
 *       {@link #TAP_ROWS_TAPS} taps on, in registers below.</li>
 *   <li>Pooling: {@link JavaPool}.</li>
 * </ul>
 */
public final class JavaKernels implements Kernels {
    /**
     * Units from which a dense layer runs with units on the vectorised axis. Forward pass over 576
     * inputs, units vs inputs on the rows, us per shard: 32 units 66 vs 46, 48 units 48 vs 71, 120
     * units 64 vs 178; 10 units 33 vs 19.
     */
    static final int WIDE_DENSE_UNITS = 40;
    /**
     * Taps (window cells times input channels) from which the kernel gradient runs by tap rows.
     * Kernel gradient, registers vs tap rows, us per shard: 3x3 windows over 4 channels (36 taps)
     * 555 vs 667, over 6 (54 taps) 323 vs 194, over 32 (288 taps) 7,737 vs 1,410.
     */
    static final int TAP_ROWS_TAPS = 48;

    /** The names of the path's plans, every one chosen for some geometry. */
    public static final List<String> VARIANTS = List.of(
            JavaPlanarConv.name(true), JavaPlanarConv.name(false), JavaDense.name(true), JavaDense.name(false),
            JavaPool.name(false), JavaPool.name(true));

    @Override
    public String name() {
        return "java";
    }

    @Override
    public ConvPlan conv(Window2D g, int filters) {
        if (g.inH() == 1 && g.inW() == 1 && g.kH() == 1 && g.kW() == 1) {
            return new JavaDense(g, filters, filters >= WIDE_DENSE_UNITS);
        }
        return new JavaPlanarConv(g, filters, g.taps() >= TAP_ROWS_TAPS);
    }

    @Override
    public DepthwisePlan depthwise(Window2D g, int multiplier) {
        return new JavaDepthwise(g, multiplier);
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
