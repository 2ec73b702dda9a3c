package io.github.purecnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.github.purecnn.kernels.KernelChecks.SENTINEL;
import static io.github.purecnn.kernels.KernelChecks.abs;
import static io.github.purecnn.kernels.KernelChecks.assertClose;
import static io.github.purecnn.kernels.KernelChecks.random;
import static io.github.purecnn.kernels.KernelChecks.withSlack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every optimised implementation against {@link ReferenceKernels} on random shapes with fixed
 * seeds: the seed model's shapes, odd and even sizes, both paddings, strides 1 and 2 (also
 * non-square), channel counts 1..57 (6, 16, 17, 33, 40 and 57 included: below, at and above one
 * and two vectors, so that both K-chunks of a pass are full, back-aligned or the same),
 * shards of 1..17 images and dense sizes 1, 10, 84, 120, 576 and 577.
 *
 * <p>Also checked: outputs are written over what was in them (parameter gradients too), a null bias, and that nothing past
 * n * size of an output array is touched. Input arrays are exactly sized on odd seeds (the
 * vector code must not read past them) and have slack on even seeds.
 */
class OptimisedKernelsTest {
    private static final int SLACK = KernelChecks.SLACK;

    private static final int[] CHANNELS = {1, 2, 3, 5, 6, 7, 8, 9, 15, 16, 17, 20, 33, 40, 57};
    private static final int[] DENSE_SIZES = {1, 2, 10, 15, 16, 17, 33, 84, 120, 576, 577};

    private static final ReferenceKernels REF = new ReferenceKernels();

    static Stream<Kernels> optimised() {
        return Stream.of(new JavaKernels(), KernelsProvider.vector());
    }

    // ---- Conv2D ----

    private record ConvCase(int n, Window2D g, int filters, boolean withBias, boolean exactInputs) {
    }

    private static List<ConvCase> convCases() {
        Stream.Builder<ConvCase> cases = Stream.builder();
        // The seed model: conv1 and conv2 at shards of 16 and of the 17 that crosses a vector block.
        for (int n : new int[] {16, 17, 1}) {
            cases.add(new ConvCase(n, Window2D.of(28, 28, 1, 3, 3, 1, 1, Padding.VALID), 6, true, true));
            cases.add(new ConvCase(n, Window2D.of(13, 13, 6, 3, 3, 1, 1, Padding.VALID), 16, true, true));
            // Two K-chunks per pass with 8 and 16 lanes, the second full, partial or a repeat; blocks
            // of pixels that run on into the next output row (a row of 5).
            for (int k : new int[] {40, 57}) {
                cases.add(new ConvCase(n, Window2D.of(13, 13, 6, 3, 3, 1, 1, Padding.VALID), k, true, false));
                cases.add(new ConvCase(n, Window2D.of(7, 7, 3, 3, 3, 1, 1, Padding.VALID), k, n != 1, true));
            }
        }
        // One input channel at stride 1 (the vector path's expanded-input kernels): filter counts
        // below, at and above a vector, 3x3 windows (their own kernels, also with fewer than four
        // output rows or a row shorter than a vector) and other windows, both paddings, odd sizes.
        int[][] singleChannel = {{28, 28, 3, 3}, {9, 11, 3, 3}, {5, 13, 3, 3}, {11, 3, 3, 3}, {7, 9, 2, 3}, {6, 5, 1, 1}, {4, 7, 4, 2}};
        int[] shards = {1, 3, 16, 17};
        int variant = 0;
        for (int k : new int[] {1, 5, 6, 7, 16, 17, 20}) {
            for (Padding padding : Padding.values()) {
                for (int[] hwrs : singleChannel) {
                    int n = shards[variant % shards.length];
                    cases.add(new ConvCase(hwrs[0] == 28 && n > 3 ? 3 : n, Window2D.of(hwrs[0], hwrs[1], 1, hwrs[2], hwrs[3], 1, 1, padding),
                            k, variant % 3 != 2, variant % 2 == 1));
                    variant++;
                }
            }
        }
        for (int seed = 0; seed < 150; seed++) {
            SplittableRandom rnd = new SplittableRandom(seed);
            int h = 1 + rnd.nextInt(12), w = 1 + rnd.nextInt(12);
            int kh = 1 + rnd.nextInt(Math.min(4, h)), kw = 1 + rnd.nextInt(Math.min(4, w));
            int sh = 1 + rnd.nextInt(2), sw = 1 + rnd.nextInt(2);
            Padding padding = rnd.nextBoolean() ? Padding.VALID : Padding.SAME;
            int c = CHANNELS[rnd.nextInt(CHANNELS.length)], k = CHANNELS[rnd.nextInt(CHANNELS.length)];
            int n = 1 + rnd.nextInt(17);
            cases.add(new ConvCase(n, Window2D.of(h, w, c, kh, kw, sh, sw, padding), k, rnd.nextInt(4) != 0, seed % 2 == 1));
        }
        return cases.build().toList();
    }

    @ParameterizedTest
    @MethodSource("optimised")
    void conv2dMatchesReference(Kernels impl) {
        int caseNo = 0;
        for (ConvCase cc : convCases()) {
            String what = impl.name() + " case " + caseNo++ + " " + cc;
            SplittableRandom rnd = new SplittableRandom(caseNo * 31L);
            Window2D g = cc.g();
            int n = cc.n(), K = cc.filters();
            int inLen = n * g.inSize(), outLen = n * g.outPixels() * K, kLen = g.kH() * g.kW() * g.channels() * K;
            int inputSlack = cc.exactInputs() ? 0 : SLACK;
            float[] in = random(rnd, inLen, inputSlack);
            float[] kernel = random(rnd, kLen, inputSlack);
            float[] bias = cc.withBias() ? random(rnd, K, inputSlack) : null;
            float[] dOut = random(rnd, outLen, inputSlack);

            // forward: writes out
            float[] expected = new float[outLen];
            REF.conv2dForward(expected, in, kernel, bias, n, g, K);
            float[] scale = new float[outLen];
            REF.conv2dForward(scale, abs(in), abs(kernel), bias == null ? null : abs(bias), n, g, K);
            float[] out = withSlack(random(rnd, outLen, 0));
            impl.conv2dForward(out, in, kernel, bias, n, g, K);
            assertClose(what + " forward", expected, scale, out, outLen);

            // backward input: writes dIn
            expected = new float[inLen];
            REF.conv2dBackwardInput(expected, dOut, kernel, n, g, K);
            scale = new float[inLen];
            REF.conv2dBackwardInput(scale, abs(dOut), abs(kernel), n, g, K);
            float[] dIn = withSlack(random(rnd, inLen, 0));
            impl.conv2dBackwardInput(dIn, dOut, kernel, n, g, K);
            assertClose(what + " backward input", expected, scale, dIn, inLen);

            // backward input in planes, (n, C, H, W), where offered: the same bits, channel by channel
            if (impl.writesInputGradientPlanes(g)) {
                float[] planes = withSlack(random(rnd, inLen, 0));
                impl.conv2dBackwardInputPlanes(planes, dOut, kernel, n, g, K);
                int pixels = g.inH() * g.inW(), C = g.channels();
                for (int b = 0; b < n; b++) {
                    for (int p = 0; p < pixels; p++) {
                        for (int c = 0; c < C; c++) {
                            assertEquals(dIn[(b * pixels + p) * C + c], planes[(b * C + c) * pixels + p],
                                    what + " backward input planes: image " + b + ", pixel " + p + ", channel " + c);
                        }
                    }
                }
                for (int i = inLen; i < planes.length; i++) {
                    assertEquals(SENTINEL, planes[i], what + " backward input planes: element " + i + " past them was touched");
                }
            }

            // backward params: writes over pre-filled dKernel and dBias
            float[] start = random(rnd, kLen, 0);
            float[] startBias = random(rnd, K, 0);
            float[] expectedK = start.clone(), expectedB = startBias.clone();
            REF.conv2dBackwardParams(expectedK, cc.withBias() ? expectedB : null, dOut, in, n, g, K);
            float[] scaleK = abs(start), scaleB = abs(startBias);
            REF.conv2dBackwardParams(scaleK, cc.withBias() ? scaleB : null, abs(dOut), abs(in), n, g, K);
            float[] dKernel = withSlack(start), dBias = withSlack(startBias);
            impl.conv2dBackwardParams(dKernel, cc.withBias() ? dBias : null, dOut, in, n, g, K);
            assertClose(what + " backward dKernel", expectedK, scaleK, dKernel, kLen);
            assertClose(what + " backward dBias", expectedB, scaleB, dBias, K);
        }
    }

    /**
     * An image's outputs are the same bits whatever else its shard holds: alone, first, or last of
     * a shard. Predictions then do not depend on how images are cut into batches (scoring a data
     * set in partitions gives what one {@code predict} call gives).
     */
    @ParameterizedTest
    @MethodSource("optimised")
    void conv2dForwardGivesAnImageTheSameBitsInAnyShard(Kernels impl) {
        int caseNo = 0;
        for (ConvCase cc : convCases()) {
            String what = impl.name() + " case " + caseNo++ + " " + cc;
            if (cc.n() < 2) {
                continue;
            }
            SplittableRandom rnd = new SplittableRandom(caseNo * 37L);
            Window2D g = cc.g();
            int n = cc.n(), K = cc.filters(), inSize = g.inSize(), outSize = g.outPixels() * K;
            float[] in = random(rnd, n * inSize, 0);
            float[] kernel = random(rnd, g.kH() * g.kW() * g.channels() * K, 0);
            float[] bias = cc.withBias() ? random(rnd, K, 0) : null;
            float[] shard = new float[n * outSize];
            impl.conv2dForward(shard, in, kernel, bias, n, g, K);
            for (int b : new int[] {0, n - 1}) {
                float[] alone = new float[outSize];
                impl.conv2dForward(alone, Arrays.copyOfRange(in, b * inSize, (b + 1) * inSize), kernel, bias, 1, g, K);
                assertArrayEquals(Arrays.copyOfRange(shard, b * outSize, (b + 1) * outSize), alone,
                        what + ": image " + b + " of the shard, alone");
            }
            float[] rest = new float[(n - 1) * outSize];
            impl.conv2dForward(rest, Arrays.copyOfRange(in, inSize, n * inSize), kernel, bias, n - 1, g, K);
            assertArrayEquals(Arrays.copyOfRange(shard, outSize, n * outSize), rest, what + ": images 1.. of the shard");
        }
    }

    // ---- Dense ----

    @ParameterizedTest
    @MethodSource("optimised")
    void denseMatchesReference(Kernels impl) {
        // The seed model's layers (576 -> 120 -> 84 -> 10) at shards of 16, 17, 1, 4, 5, 8, 9 and 33,
        // which take each path of the vector kernels (row blocks of 6 and 4, batch blocks of VL and
        // the dot-product rest), then random sizes.
        int[][] seedLayers = {{576, 120}, {120, 84}, {84, 10}};
        int[] seedShards = {16, 17, 1, 4, 5, 8, 9, 33};
        int fixed = seedLayers.length * seedShards.length;
        for (int seed = 0; seed < fixed + 120; seed++) {
            SplittableRandom rnd = new SplittableRandom(1000 + seed);
            boolean seedModel = seed < fixed;
            int inSize = seedModel ? seedLayers[seed % 3][0] : DENSE_SIZES[rnd.nextInt(DENSE_SIZES.length)];
            int outSize = seedModel ? seedLayers[seed % 3][1] : DENSE_SIZES[rnd.nextInt(DENSE_SIZES.length)];
            int n = seedModel ? seedShards[seed / 3] : 1 + rnd.nextInt(17);
            boolean withBias = seed % 4 != 3;
            String what = impl.name() + " dense seed " + seed + " n=" + n + " " + inSize + "->" + outSize;
            int inputSlack = seed % 2 == 1 ? 0 : SLACK;
            float[] in = random(rnd, n * inSize, inputSlack);
            float[] kernel = random(rnd, inSize * outSize, inputSlack);
            float[] bias = withBias ? random(rnd, outSize, inputSlack) : null;
            float[] dOut = random(rnd, n * outSize, inputSlack);

            float[] expected = new float[n * outSize], scale = new float[n * outSize];
            REF.denseForward(expected, in, kernel, bias, n, inSize, outSize);
            REF.denseForward(scale, abs(in), abs(kernel), bias == null ? null : abs(bias), n, inSize, outSize);
            float[] out = withSlack(random(rnd, n * outSize, 0));
            impl.denseForward(out, in, kernel, bias, n, inSize, outSize);
            assertClose(what + " forward", expected, scale, out, n * outSize);

            expected = new float[n * inSize];
            scale = new float[n * inSize];
            REF.denseBackwardInput(expected, dOut, kernel, n, inSize, outSize);
            REF.denseBackwardInput(scale, abs(dOut), abs(kernel), n, inSize, outSize);
            float[] dIn = withSlack(random(rnd, n * inSize, 0));
            impl.denseBackwardInput(dIn, dOut, kernel, n, inSize, outSize);
            assertClose(what + " backward input", expected, scale, dIn, n * inSize);

            float[] start = random(rnd, inSize * outSize, 0), startBias = random(rnd, outSize, 0);
            float[] expectedK = start.clone(), expectedB = startBias.clone();
            REF.denseBackwardParams(expectedK, withBias ? expectedB : null, dOut, in, n, inSize, outSize);
            float[] scaleK = abs(start), scaleB = abs(startBias);
            REF.denseBackwardParams(scaleK, withBias ? scaleB : null, abs(dOut), abs(in), n, inSize, outSize);
            float[] dKernel = withSlack(start), dBias = withSlack(startBias);
            impl.denseBackwardParams(dKernel, withBias ? dBias : null, dOut, in, n, inSize, outSize);
            assertClose(what + " backward dKernel", expectedK, scaleK, dKernel, inSize * outSize);
            assertClose(what + " backward dBias", expectedB, scaleB, dBias, outSize);
        }
    }

    // ---- Pooling: sums of at most R * S terms; the vector path adds rows first ----

    @ParameterizedTest
    @MethodSource("optimised")
    void avgPoolMatchesReference(Kernels impl) {
        List<ConvCase> cases = new ArrayList<>(convCases());
        // The seed model's pools (2x2, stride 2, same), whose cells the vector path stores with spill,
        // also with odd sizes (with 'same' a last cell one column or row wide, with 'valid' a last
        // column or row no window covers), channels above one vector, and rows of few channels
        // long enough for whole-vector chunks.
        for (int n : new int[] {16, 17, 1}) {
            for (int[] hwc : new int[][] {{28, 28, 6}, {13, 13, 16}, {9, 7, 6}, {5, 9, 21}, {6, 6, 33}, {7, 5, 1},
                    {9, 40, 1}, {8, 30, 2}, {7, 33, 3}, {6, 21, 5}, {5, 19, 8}, {3, 47, 7}}) {
                for (Padding padding : Padding.values()) {
                    cases.add(new ConvCase(n, Window2D.of(hwc[0], hwc[1], hwc[2], 2, 2, 2, 2, padding), hwc[2], false, n != 16));
                }
            }
        }
        for (ConvCase cc : cases) {
            // The conv cases' geometries as pooling windows: channels, sizes, strides and both paddings vary.
            Window2D g = cc.g();
            int n = cc.n(), outLen = n * g.outPixels() * g.channels(), inLen = n * g.inSize();
            SplittableRandom rnd = new SplittableRandom(outLen * 31L + inLen);
            float[] in = random(rnd, inLen, cc.exactInputs() ? 0 : 7), dOut = random(rnd, outLen, cc.exactInputs() ? 0 : 7);
            String what = impl.name() + " avg pool " + g + " n=" + n;

            float[] expected = new float[outLen];
            REF.avgPoolForward(expected, in, n, g);
            float[] scale = new float[outLen];
            REF.avgPoolForward(scale, abs(in), n, g);
            float[] got = withSlack(random(rnd, outLen, 0));
            impl.avgPoolForward(got, in, n, g);
            assertClose(what + " forward", expected, scale, got, outLen);

            float[] expectedIn = new float[inLen];
            REF.avgPoolBackward(expectedIn, dOut, n, g);
            float[] scaleIn = new float[inLen];
            REF.avgPoolBackward(scaleIn, abs(dOut), n, g);
            float[] gotIn = withSlack(random(rnd, inLen, 0));
            impl.avgPoolBackward(gotIn, dOut, n, g);
            assertClose(what + " backward", expectedIn, scaleIn, gotIn, inLen);
        }
    }

    // ---- Activations: selections, so equal (the plain-Java relu backward clears to -0 or 0) ----

    /** Values of y at the edges of y > 0: subnormal and normal extremes, signed zeros, infinities. */
    private static final float[] RELU_EDGES = {Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, 0f, -0f, 1e-40f,
        Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @ParameterizedTest
    @MethodSource("optimised")
    void reluMatchesReference(Kernels impl) {
        for (int len : new int[] {0, 1, 15, 16, 17, 100, 4056}) {
            SplittableRandom rnd = new SplittableRandom(len);
            float[] y = random(rnd, len, 0), dy = random(rnd, len, 0);
            for (int i = 0; i < len; i++) {
                if (i % 7 == 3) {
                    y[i] = RELU_EDGES[i / 7 % RELU_EDGES.length];
                }
            }
            float[] expected = dy.clone();
            REF.reluBackward(expected, y, len);
            float[] got = withSlack(dy);
            impl.reluBackward(got, y, len);
            assertClose(impl.name() + " relu backward len " + len, expected, new float[len], got, len);

            float[] x = random(rnd, len, 0);
            float[] expectedX = x.clone();
            REF.reluForward(expectedX, len);
            float[] gotX = withSlack(x);
            impl.reluForward(gotX, len);
            assertClose(impl.name() + " relu forward len " + len, expectedX, new float[len], gotX, len);
        }
    }

    // ---- Adam ----

    @ParameterizedTest
    @MethodSource("optimised")
    void adamIsBitIdenticalToReference(Kernels impl) {
        SplittableRandom rnd = new SplittableRandom(77);
        for (int len : new int[] {1, 7, 15, 16, 17, 33, 100, 8192}) {
            // A range that does not start at 0, as the engine's update chunks do.
            int from = len > 3 ? 3 : 0;
            float[] param = random(rnd, len, 0), m = random(rnd, len, 0), v = abs(random(rnd, len, 0));
            float[] grad = random(rnd, len, 0);
            float[] expectedP = param.clone(), expectedM = m.clone(), expectedV = v.clone();
            REF.adamUpdate(expectedP, expectedM, expectedV, grad, from, len, 1.3e-3f, 0.9f, 0.999f, 1e-7f);
            float[] p = withSlack(param), mm = withSlack(m), vv = withSlack(v);
            impl.adamUpdate(p, mm, vv, grad, from, len, 1.3e-3f, 0.9f, 0.999f, 1e-7f);
            String what = impl.name() + " adam len " + len;
            assertArrayEquals(expectedP, Arrays.copyOf(p, len), what + " param");
            assertArrayEquals(expectedM, Arrays.copyOf(mm, len), what + " m");
            assertArrayEquals(expectedV, Arrays.copyOf(vv, len), what + " v");
            for (float[] a : new float[][] {p, mm, vv}) {
                for (int i = len; i < a.length; i++) {
                    assertEquals(SENTINEL, a[i], what + ": element " + i + " past the range was touched");
                }
            }
        }
    }
}
