package io.github.purecnn.benchmarks.plans;

import io.github.purecnn.kernels.Activations;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.ScratchNeeds;
import io.github.purecnn.kernels.Window2D;
import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.kernels.conv.ConvPoolPlan;
import io.github.purecnn.kernels.pool.PoolPlan;

import java.util.SplittableRandom;

/**
 * One pass of the plan a kernel path chooses for a suite layer, over a shard of n images, ready
 * to run again and again: its arrays are made once, filled from a fixed seed (42). Before anyone
 * times it, {@link #check} runs it and the reference path's plan on the same inputs and demands
 * the same bits: a wrong plan fails the run instead of being timed.
 *
 * <p>A first convolution with its pooling runs the path's one-pass plan where the path has one,
 * else the convolution (with ReLU) and the pooling plans apart, as the model would.
 */
public final class PlanPass {
    private final SuiteLayer layer;
    private final String pass;
    private final int n;
    private final Operands mine;
    private final Operands reference;

    private PlanPass(SuiteLayer layer, String pass, Kernels kernels, int n) {
        if (!layer.passes().contains(pass)) {
            throw new IllegalArgumentException(layer.name() + " has no pass '" + pass + "'; it has " + layer.passes());
        }
        this.layer = layer;
        this.pass = pass;
        this.n = n;
        this.mine = new Operands(layer, kernels, n);
        this.reference = new Operands(layer, new ReferenceKernels(), n);
    }

    /** Pass {@code op} = {@code layer/pass}, for example {@code convnet.conv2/input}, on these kernels. */
    public static PlanPass of(String op, Kernels kernels, int n) {
        int slash = op.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected layer/pass, found '" + op + "'");
        }
        return new PlanPass(SuiteLayer.named(op.substring(0, slash)), op.substring(slash + 1), kernels, n);
    }

    /** What runs: the plan's name (or the plans'). */
    public String planName() {
        return mine.planName();
    }

    /** FLOPs of one {@link #run}: two per multiply-add; 0 for pooling. */
    public long flops() {
        return 2L * n * layer.multiplyAddsPerImage();
    }

    /** Runs the pass once. */
    public void run() {
        mine.run(pass);
    }

    /** Runs the pass on this path and on the reference path and fails unless every output has the same bits. */
    public void check() {
        if (pass.equals("params") || pass.equals("backward")) {
            // what the backward pass reads from the forward pass (saved values, argmax)
            mine.run("forward");
            reference.run("forward");
        }
        mine.run(pass);
        reference.run(pass);
        String what = layer.name() + "/" + pass + " (" + planName() + ")";
        for (int i = 0; i < mine.outputs(pass).length; i++) {
            float[] a = mine.outputs(pass)[i];
            float[] b = reference.outputs(pass)[i];
            for (int j = 0; j < b.length; j++) {
                if (Float.floatToRawIntBits(a[j]) != Float.floatToRawIntBits(b[j])) {
                    throw new IllegalStateException(what + ": output " + i + " element " + j + " is " + a[j]
                            + ", the reference " + b[j]);
                }
            }
        }
    }

    /** One path's plans for the layer and every array their passes read and write, filled from seed 42. */
    private static final class Operands {
        final SuiteLayer layer;
        final int n;
        ConvPlan conv;
        PoolPlan pool;
        ConvPoolPlan fused;
        float[] packed;
        Scratch scratch;
        final float[] in;
        float[] kernel;
        float[] bias;
        final float[] out;          // the layer's output; for a conv + pool pair, the pooled output
        final float[] dOut;         // the gradient of out
        float[] dIn;
        float[] dKernel;
        float[] dBias;
        int[] argmax;
        float[] saved;              // the one-pass plan's saved values, or the conv's output when apart
        float[] dConv;              // apart: the gradient of the conv's output
        final boolean relu;

        Operands(SuiteLayer layer, Kernels kernels, int n) {
            this.layer = layer;
            this.n = n;
            SplittableRandom rnd = new SplittableRandom(42);
            Window2D g = layer.g();
            in = random(rnd, n * g.inSize());
            relu = !(g.inH() == 1 && g.inW() == 1 && layer.filters() == 10);   // the suite's last dense layers end in softmax
            ScratchNeeds needs = ScratchNeeds.NONE;
            switch (layer.kind()) {
                case POOL -> {
                    pool = layer.max() ? kernels.maxPool(g) : kernels.averagePool(g);
                    out = new float[n * g.outPixels() * g.channels()];
                    dOut = random(rnd, out.length);
                    dIn = new float[in.length];
                    argmax = new int[out.length];
                }
                case CONV -> {
                    conv = kernels.conv(g, layer.filters());
                    out = new float[n * g.outPixels() * layer.filters()];
                    dOut = random(rnd, out.length);
                    dIn = new float[in.length];
                    needs = conv;
                }
                default -> {
                    Window2D p = layer.pool();
                    fused = kernels.convReluPool(g, layer.filters(), p, layer.max());
                    out = new float[n * p.outPixels() * p.channels()];
                    dOut = random(rnd, out.length);
                    if (fused != null) {
                        saved = new float[n * fused.savedSize()];
                        needs = fused;
                    } else {
                        conv = kernels.conv(g, layer.filters());
                        pool = layer.max() ? kernels.maxPool(p) : kernels.averagePool(p);
                        saved = new float[n * g.outPixels() * layer.filters()];
                        dConv = new float[saved.length];
                        argmax = new int[out.length];
                        needs = conv;
                    }
                }
            }
            if (layer.kind() != SuiteLayer.Kind.POOL) {
                kernel = random(rnd, g.taps() * layer.filters());
                bias = random(rnd, layer.filters());
                dKernel = new float[kernel.length];
                dBias = new float[bias.length];
                packed = new float[fused != null ? fused.packedSize() : conv.packedSize()];
                if (fused != null) {
                    fused.pack(packed, kernel);
                } else {
                    conv.pack(packed, kernel);
                }
            }
            scratch = new Scratch(needs, n);
        }

        String planName() {
            if (fused != null) {
                return fused.name();
            }
            if (conv != null && pool != null) {
                return conv.name() + ", then " + pool.name();
            }
            return conv != null ? conv.name() : pool.name();
        }

        void run(String pass) {
            switch (layer.kind()) {
                case POOL -> {
                    if (pass.equals("forward")) {
                        pool.forward(out, argmax, in, n);
                    } else {
                        pool.backward(dIn, dOut, argmax, n);
                    }
                }
                case CONV -> {
                    switch (pass) {
                        case "forward" -> conv.forward(out, in, kernel, packed, bias, relu, n, scratch);
                        case "input" -> conv.backwardInput(dIn, dOut, kernel, packed, n, scratch);
                        default -> conv.backwardParams(dKernel, dBias, dOut, in, n, scratch);
                    }
                }
                default -> {
                    if (fused != null) {
                        if (pass.equals("forward")) {
                            fused.forward(out, saved, in, kernel, packed, bias, n, scratch);
                        } else {
                            fused.backwardParams(dKernel, dBias, dOut, saved, in, n, scratch);
                        }
                    } else if (pass.equals("forward")) {
                        conv.forward(saved, in, kernel, packed, bias, true, n, scratch);
                        pool.forward(out, argmax, saved, n);
                    } else {
                        pool.backward(dConv, dOut, argmax, n);
                        Activations.reluBackward(dConv, saved, 0, dConv.length);
                        conv.backwardParams(dKernel, dBias, dConv, in, n, scratch);
                    }
                }
            }
        }

        /** What a pass writes, to compare. */
        float[][] outputs(String pass) {
            return switch (pass) {
                case "forward" -> new float[][] {out};
                case "input", "backward" -> new float[][] {dIn};
                default -> new float[][] {dKernel, dBias};
            };
        }

        private static float[] random(SplittableRandom rnd, int len) {
            float[] a = new float[len];
            for (int i = 0; i < len; i++) {
                a[i] = (float) (rnd.nextDouble() * 2 - 1);
            }
            return a;
        }
    }
}
