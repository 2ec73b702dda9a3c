package io.github.purecnn.benchmarks.plans;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.ScratchNeeds;
import io.github.purecnn.kernels.Window2D;
import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.conv.ReferenceConv;
import io.github.purecnn.kernels.conv.VectorConv;
import io.github.purecnn.kernels.conv.VectorPlanarInputGradient;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The measurements behind {@code VectorKernels}'s choice of the planar input gradient: for
 * convolutions with few input channels (the suite's and others), the input gradient of a shard of
 * 16 on {@link VectorConv} and on {@link VectorPlanarInputGradient}, each first checked against
 * the reference bit for bit, timed as the minimum over rounds of about 1 ms, the two alternating.
 *
 * <pre>{@code java [-XX:MaxVectorSize=32] --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.github.purecnn.benchmarks.plans.InputGradientChoice}</pre>
 */
public final class InputGradientChoice {
    private static final int N = 16;

    private InputGradientChoice() {
    }

    private record Case(String name, Window2D g, int filters) {
    }

    public static void main(String[] args) {
        Case[] cases = {
            new Case("13x13x6 3x3 valid, 16 (seed.conv2)", Window2D.of(13, 13, 6, 3, 3, 1, 1, false), 16),
            new Case("32x32x3 3x3 same, 32", Window2D.of(32, 32, 3, 3, 3, 1, 1, true), 32),
            new Case("26x26x6 3x3 same, 16", Window2D.of(26, 26, 6, 3, 3, 1, 1, true), 16),
            new Case("7x7x6 3x3 dilated 2 same, 16", Window2D.of(7, 7, 6, 3, 3, 1, 1, 2, 2, true), 16),
            new Case("13x13x8 3x3 valid, 16", Window2D.of(13, 13, 8, 3, 3, 1, 1, false), 16),
            new Case("13x13x12 3x3 valid, 32", Window2D.of(13, 13, 12, 3, 3, 1, 1, false), 32),
            new Case("13x13x16 3x3 valid, 32", Window2D.of(13, 13, 16, 3, 3, 1, 1, false), 32),
            new Case("5x5x4 5x5 valid (1x1 out), 8", Window2D.of(5, 5, 4, 5, 5, 1, 1, false), 8),
            new Case("2x2x6 1x1, 16", Window2D.of(2, 2, 6, 1, 1, 1, 1, false), 16),
        };
        System.out.println("| geometry, K | vector gemm us | planar us | ratio |");
        System.out.println("| --- | --- | --- | --- |");
        for (Case c : cases) {
            Window2D g = c.g();
            int K = c.filters();
            ConvPlan gemm = new VectorConv(g, K);
            ConvPlan planar = new VectorPlanarInputGradient(g, K);
            SplittableRandom rnd = new SplittableRandom(1);
            float[] kernel = random(rnd, g.taps() * K);
            float[] dOut = random(rnd, N * g.outPixels() * K);
            float[] packed = new float[planar.packedSize()];
            planar.pack(packed, kernel);
            Scratch scratch = new Scratch(ScratchNeeds.larger(gemm, planar), N);
            float[] expected = new float[N * g.inSize()];
            new ReferenceConv(g, K).backwardInput(expected, dOut, kernel, null, N, null);
            float[] dIn = new float[expected.length];
            for (ConvPlan plan : new ConvPlan[] {gemm, planar}) {
                plan.backwardInput(dIn, dOut, kernel, packed, N, scratch);
                for (int i = 0; i < dIn.length; i++) {
                    if (Float.floatToRawIntBits(dIn[i]) != Float.floatToRawIntBits(expected[i])) {
                        throw new AssertionError(plan.name() + " differs from the reference for " + c.name() + " at " + i);
                    }
                }
            }
            double a = Double.MAX_VALUE, b = Double.MAX_VALUE;
            for (int rep = 0; rep < 4; rep++) {
                a = Math.min(a, minimum(() -> gemm.backwardInput(dIn, dOut, kernel, packed, N, scratch), 100));
                b = Math.min(b, minimum(() -> planar.backwardInput(dIn, dOut, kernel, packed, N, scratch), 100));
            }
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f |%n", c.name(), a, b, a / b);
        }
    }

    /** The minimum over rounds of about 1 ms each of the microseconds per call. */
    private static double minimum(Runnable pass, int rounds) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            int calls = 0;
            do {
                pass.run();
                calls++;
            } while (System.nanoTime() - t0 < 1_000_000);
            best = Math.min(best, (System.nanoTime() - t0) / 1e3 / calls);
        }
        return best;
    }

    private static float[] random(SplittableRandom rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return a;
    }
}
