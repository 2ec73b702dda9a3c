package io.github.purecnn.benchmarks;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Window2D;

/** Runs every benchmarked kernel of one implementation once and compares it with the reference. */
final class Check {
    private Check() {
    }

    static void against(Kernels ref, Kernels k, int n, KernelBenchmarks.Conv c1, KernelBenchmarks.Conv c2,
                        KernelBenchmarks.Dense d1, KernelBenchmarks.Dense d2, KernelBenchmarks.Dense d3, double tolerance) {
        for (KernelBenchmarks.Conv c : new KernelBenchmarks.Conv[] {c1, c2}) {
            int outLen = c.out.length, kLen = c.kernel.length, inLen = c.in.length;
            float[][] e = {new float[outLen], new float[outLen]};
            ref.conv2dForward(e[0], c.in, c.kernel, c.bias, n, c.g, c.filters);
            ref.conv2dForward(e[1], abs(c.in), abs(c.kernel), abs(c.bias), n, c.g, c.filters);
            k.conv2dForward(c.out, c.in, c.kernel, c.bias, n, c.g, c.filters);
            compare(k.name() + " conv forward " + c.g, e, c.out, tolerance);

            e = new float[][] {new float[inLen], new float[inLen]};
            ref.conv2dBackwardInput(e[0], c.dOut, c.kernel, n, c.g, c.filters);
            ref.conv2dBackwardInput(e[1], abs(c.dOut), abs(c.kernel), n, c.g, c.filters);
            k.conv2dBackwardInput(c.dIn, c.dOut, c.kernel, n, c.g, c.filters);
            compare(k.name() + " conv backward input " + c.g, e, c.dIn, tolerance);

            e = new float[][] {new float[kLen], new float[kLen]};
            float[][] eb = {new float[c.filters], new float[c.filters]};
            ref.conv2dBackwardParams(e[0], eb[0], c.dOut, c.in, n, c.g, c.filters);
            ref.conv2dBackwardParams(e[1], eb[1], abs(c.dOut), abs(c.in), n, c.g, c.filters);
            java.util.Arrays.fill(c.dKernel, Float.NaN);   // written over
            java.util.Arrays.fill(c.dBias, Float.NaN);   // written over
            k.conv2dBackwardParams(c.dKernel, c.dBias, c.dOut, c.in, n, c.g, c.filters);
            compare(k.name() + " conv backward kernel " + c.g, e, c.dKernel, tolerance);
            compare(k.name() + " conv backward bias " + c.g, eb, c.dBias, tolerance);
        }
        for (KernelBenchmarks.Dense d : new KernelBenchmarks.Dense[] {d1, d2, d3}) {
            String shape = d.inSize + "->" + d.outSize;
            float[][] e = {new float[d.out.length], new float[d.out.length]};
            ref.denseForward(e[0], d.in, d.kernel, d.bias, n, d.inSize, d.outSize);
            ref.denseForward(e[1], abs(d.in), abs(d.kernel), abs(d.bias), n, d.inSize, d.outSize);
            k.denseForward(d.out, d.in, d.kernel, d.bias, n, d.inSize, d.outSize);
            compare(k.name() + " dense forward " + shape, e, d.out, tolerance);

            e = new float[][] {new float[d.dIn.length], new float[d.dIn.length]};
            ref.denseBackwardInput(e[0], d.dOut, d.kernel, n, d.inSize, d.outSize);
            ref.denseBackwardInput(e[1], abs(d.dOut), abs(d.kernel), n, d.inSize, d.outSize);
            k.denseBackwardInput(d.dIn, d.dOut, d.kernel, n, d.inSize, d.outSize);
            compare(k.name() + " dense backward input " + shape, e, d.dIn, tolerance);

            e = new float[][] {new float[d.kernel.length], new float[d.kernel.length]};
            float[][] eb = {new float[d.outSize], new float[d.outSize]};
            ref.denseBackwardParams(e[0], eb[0], d.dOut, d.in, n, d.inSize, d.outSize);
            ref.denseBackwardParams(e[1], eb[1], abs(d.dOut), abs(d.in), n, d.inSize, d.outSize);
            java.util.Arrays.fill(d.dKernel, Float.NaN);   // written over
            java.util.Arrays.fill(d.dBias, Float.NaN);   // written over
            k.denseBackwardParams(d.dKernel, d.dBias, d.dOut, d.in, n, d.inSize, d.outSize);
            compare(k.name() + " dense backward kernel " + shape, e, d.dKernel, tolerance);
            compare(k.name() + " dense backward bias " + shape, eb, d.dBias, tolerance);
        }
    }

    /**
     * The conv1 block (conv, ReLU, 2x2 average pooling) against the reference kernels run apart;
     * leaves the block's forward state in place, as a training step would.
     */
    static void block(Kernels ref, Kernels k, int n, KernelBenchmarks.Block b, double tolerance) {
        KernelBenchmarks.Conv c = b.conv;
        Window2D pool = KernelBenchmarks.Block.POOL1;
        float[] z = new float[c.out.length], zAbs = new float[c.out.length];
        ref.conv2dForward(z, c.in, c.kernel, c.bias, n, c.g, c.filters);
        ref.conv2dForward(zAbs, abs(c.in), abs(c.kernel), abs(c.bias), n, c.g, c.filters);
        ref.reluForward(z, z.length);
        float[][] e = {new float[b.pooled.length], new float[b.pooled.length]};
        ref.avgPoolForward(e[0], z, n, pool);
        ref.avgPoolForward(e[1], zAbs, n, pool);
        b.forward(k, n);
        compare(k.name() + " conv1 block forward", e, b.pooled, tolerance);

        float[] dz = new float[z.length];
        ref.avgPoolBackward(dz, b.dPooled, n, pool);
        ref.reluBackward(dz, z, dz.length);
        e = new float[][] {new float[c.kernel.length], new float[c.kernel.length]};
        float[][] eb = {new float[c.filters], new float[c.filters]};
        ref.conv2dBackwardParams(e[0], eb[0], dz, c.in, n, c.g, c.filters);
        ref.conv2dBackwardParams(e[1], eb[1], abs(dz), abs(c.in), n, c.g, c.filters);
        java.util.Arrays.fill(c.dKernel, Float.NaN);   // written over
        java.util.Arrays.fill(c.dBias, Float.NaN);   // written over
        b.backwardParams(k, n);
        compare(k.name() + " conv1 block backward kernel", e, c.dKernel, tolerance);
        compare(k.name() + " conv1 block backward bias", eb, c.dBias, tolerance);
    }

    /** expected[0] the reference result, expected[1] the sum of |terms| of each element. */
    private static void compare(String what, float[][] expected, float[] actual, double tolerance) {
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs((double) actual[i] - expected[0][i]);
            if (!(err <= tolerance * expected[1][i] + 1e-30)) {
                throw new IllegalStateException(what + ": element " + i + " is " + actual[i] + ", the reference gives "
                        + expected[0][i] + "; refusing to time a wrong kernel");
            }
        }
    }

    private static float[] abs(float[] a) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = Math.abs(a[i]);
        }
        return r;
    }
}
