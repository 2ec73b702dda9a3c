package io.github.purecnn.kernels;

import static io.github.purecnn.kernels.KernelChecks.abs;
import static io.github.purecnn.kernels.KernelChecks.assertClose;
import static io.github.purecnn.kernels.KernelChecks.random;
import static io.github.purecnn.kernels.KernelChecks.withSlack;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one-pass Conv2D + ReLU + 2x2 average pooling of {@link VectorKernels} against
 * {@link ReferenceKernels} running the three apart (conv2dForward, reluForward, avgPoolForward;
 * avgPoolBackward, reluBackward, conv2dBackwardParams), over both paddings, windows from 1x1 to
 * 5x5 (also non-square), filter counts below, at and above a vector, images whose planes span
 * one to many vectors, shards of 1 to 17 images, with and without bias.
 *
 * <p>Inputs are multiples of 1/8, kernels multiples of 1/8 and biases odd multiples of 1/128:
 * every product and sum of the forward pass is exact in float, whatever the order, so both sides
 * agree exactly on which outputs the ReLU zeroes (and with a bias no pre-activation is 0). The
 * backward pass takes random gradients and is compared within {@link KernelChecks#TOLERANCE} of
 * the sum of |terms|.
 */
class ConvReluPoolTest {
    private static final ReferenceKernels REF = new ReferenceKernels();

    private record Case(int n, Window2D g, int filters, boolean withBias) {
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // The seed model's conv1 and pool1, at shards of 16, 17 and 1.
        for (int n : new int[] {16, 17, 1}) {
            cases.add(new Case(n, Window2D.of(28, 28, 1, 3, 3, 1, 1, Padding.VALID), 6, true));
        }
        // {H, W, R, S} with an even output under the padding used.
        // Even widths of two vectors or more (16 and 32 reach them with 8 and 16 lanes, 18 and 34 with
        // a back-aligned last pair of vectors, odd heights too) take the input rows apart by vectors.
        int[][] valid = {{6, 6, 3, 3}, {9, 13, 2, 2}, {4, 4, 1, 1}, {7, 5, 2, 2}, {12, 9, 5, 2}, {10, 16, 3, 1}, {32, 32, 5, 5},
                {9, 18, 2, 3}, {11, 34, 4, 3}};
        int[][] same = {{6, 6, 3, 3}, {8, 14, 3, 3}, {4, 2, 2, 2}, {10, 12, 5, 5}, {12, 6, 3, 4}, {28, 28, 3, 3}};
        int[] filters = {1, 2, 5, 6, 7, 16, 17};
        int[] shards = {1, 2, 3, 16, 17};
        int variant = 0;
        for (int[] hwrs : valid) {
            for (int k : filters) {
                cases.add(new Case(shards[variant % shards.length], Window2D.of(hwrs[0], hwrs[1], 1, hwrs[2], hwrs[3], 1, 1, Padding.VALID), k, variant % 3 != 2));
                variant++;
            }
        }
        for (int[] hwrs : same) {
            for (int k : filters) {
                cases.add(new Case(shards[variant % shards.length], Window2D.of(hwrs[0], hwrs[1], 1, hwrs[2], hwrs[3], 1, 1, Padding.SAME), k, variant % 3 != 2));
                variant++;
            }
        }
        return cases;
    }

    @Test
    void matchesTheReferenceKernelsApart() {
        Kernels vector = KernelsProvider.vector();
        int caseNo = 0;
        for (Case c : cases()) {
            String what = "case " + caseNo++ + " " + c;
            SplittableRandom rnd = new SplittableRandom(caseNo * 17L);
            Window2D g = c.g();
            int n = c.n(), K = c.filters();
            Window2D pool = Window2D.of(g.outH(), g.outW(), K, 2, 2, 2, 2, Padding.VALID);
            int inLen = n * g.inSize(), convLen = n * g.outPixels() * K, pooledLen = n * pool.outPixels() * K;
            int kLen = g.kH() * g.kW() * K;
            float[] in = lattice(rnd, inLen, 1f / 8, 8);          // exactly sized: a read past it throws
            float[] kernel = lattice(rnd, kLen, 1f / 8, 4);
            float[] bias = c.withBias() ? oddLattice(rnd, K, 1f / 128) : null;
            ConvReluPool pass = vector.convReluPool(g, K);
            assertNotNull(pass, what);

            // forward: writes pooled, exactly the reference's
            float[] conv = new float[convLen];
            REF.conv2dForward(conv, in, kernel, bias, n, g, K);
            REF.reluForward(conv, convLen);
            float[] expected = new float[pooledLen];
            REF.avgPoolForward(expected, conv, n, pool);
            float[] pooled = withSlack(random(rnd, pooledLen, 0));
            float[] saved = new float[n * pass.savedSize()];
            Arrays.fill(saved, Float.NaN);   // whatever the backward pass reads, the forward pass must have written
            pass.forward(pooled, saved, in, kernel, bias, n);
            assertArrayEquals(expected, Arrays.copyOf(pooled, pooledLen), what + " pooled");
            assertClose(what + " pooled", expected, expected, pooled, pooledLen);   // also: nothing written past it

            // backward: writes over pre-filled dKernel and dBias (the reference ignores what they held)
            float[] dPooled = random(rnd, pooledLen, 0);
            float[] start = random(rnd, kLen, 0), startBias = random(rnd, K, 0);
            float[] dConv = new float[convLen];
            REF.avgPoolBackward(dConv, dPooled, n, pool);
            REF.reluBackward(dConv, conv, convLen);
            float[] expectedK = start.clone(), expectedB = startBias.clone();
            REF.conv2dBackwardParams(expectedK, c.withBias() ? expectedB : null, dConv, in, n, g, K);
            float[] scaleConv = new float[convLen];
            REF.avgPoolBackward(scaleConv, abs(dPooled), n, pool);
            REF.reluBackward(scaleConv, conv, convLen);
            float[] scaleK = abs(start), scaleB = abs(startBias);
            REF.conv2dBackwardParams(scaleK, c.withBias() ? scaleB : null, scaleConv, abs(in), n, g, K);
            float[] dKernel = withSlack(start), dBias = withSlack(startBias);
            pass.backwardParams(dKernel, c.withBias() ? dBias : null, dPooled, saved, in, n);
            assertClose(what + " dKernel", expectedK, scaleK, dKernel, kLen);
            assertClose(what + " dBias", c.withBias() ? expectedB : startBias, scaleB, dBias, K);

            // the same gradient given channel by channel, (n, K, PH, PW): the same bits
            float[] planes = new float[pooledLen];
            int cells = pool.outPixels();
            for (int b = 0; b < n; b++) {
                for (int cell = 0; cell < cells; cell++) {
                    for (int k = 0; k < K; k++) {
                        planes[(b * K + k) * cells + cell] = dPooled[(b * cells + cell) * K + k];
                    }
                }
            }
            float[] dKernelP = withSlack(random(rnd, kLen, 0)), dBiasP = withSlack(random(rnd, K, 0));
            float[] untouchedBias = dBiasP.clone();
            pass.backwardParamsFromPlanes(dKernelP, c.withBias() ? dBiasP : null, planes, saved, in, n);
            assertArrayEquals(dKernel, dKernelP, what + " dKernel from planes");
            assertArrayEquals(c.withBias() ? dBias : untouchedBias, dBiasP, what + " dBias from planes");
        }
    }

    @Test
    void offeredOnlyForOneInputChannelUnitStridesAndAnEvenOutput() {
        Kernels vector = KernelsProvider.vector();
        assertNotNull(vector.convReluPool(Window2D.of(28, 28, 1, 3, 3, 1, 1, Padding.VALID), 6));
        assertNull(vector.convReluPool(Window2D.of(27, 27, 1, 3, 3, 1, 1, Padding.VALID), 6), "odd output 25x25");
        assertNull(vector.convReluPool(Window2D.of(28, 27, 1, 3, 3, 1, 1, Padding.SAME), 6), "odd output width 27");
        assertNull(vector.convReluPool(Window2D.of(28, 28, 2, 3, 3, 1, 1, Padding.VALID), 6), "two input channels");
        assertNull(vector.convReluPool(Window2D.of(28, 28, 1, 3, 3, 2, 2, Padding.SAME), 6), "stride 2");
        for (Kernels k : new Kernels[] {REF, new JavaKernels()}) {
            assertNull(k.convReluPool(Window2D.of(28, 28, 1, 3, 3, 1, 1, Padding.VALID), 6), k.name());
        }
    }

    /** Multiples of step in [-limit * step, limit * step]. */
    private static float[] lattice(SplittableRandom rnd, int len, float step, int limit) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = step * rnd.nextInt(-limit, limit + 1);
        }
        return a;
    }

    /** Odd multiples of step, |a| &lt;= 7 step: never zero. */
    private static float[] oddLattice(SplittableRandom rnd, int len, float step) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = step * (2 * rnd.nextInt(-4, 4) + 1);
        }
        return a;
    }
}
