package io.github.purecnn.layers;

import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.conv.ConvPlan;
import io.github.purecnn.runtime.PackedKernel;
import io.github.purecnn.runtime.Step;

/**
 * The step of a Conv2D or a Dense layer (a 1x1 window over a 1x1 image): a convolution plan, the
 * packed kernel it reads (remade when the kernel changes), then the activation. ReLU runs inside
 * the plan's forward pass, on values still in registers; other activations run after it.
 */
final class LinearStep implements Step {
    private final Layer layer;
    private final ConvPlan plan;
    private final Parameter kernel;
    private final Parameter bias;
    private final Activation activation;
    private final boolean preActivationGradient;
    private final PackedKernel packed;

    LinearStep(Layer layer, ConvPlan plan, Parameter kernel, Parameter bias, Activation activation,
               boolean preActivationGradient) {
        this.layer = layer;
        this.plan = plan;
        this.kernel = kernel;
        this.bias = bias;
        this.activation = activation;
        this.preActivationGradient = preActivationGradient;
        this.packed = new PackedKernel(plan.packedSize());
    }

    @Override
    public String describe() {
        return layer.name() + ": " + plan.name() + " " + plan.geometry().describe() + " x" + plan.filters();
    }

    @Override
    public int scratchFloats(int n) {
        return plan.scratchFloats(n);
    }

    @Override
    public int scratchInts(int n) {
        return plan.scratchInts(n);
    }

    @Override
    public int scratchRows(int n) {
        return plan.scratchRows(n);
    }

    @Override
    public int scratchRowLength(int n) {
        return plan.scratchRowLength(n);
    }

    @Override
    public void prepare() {
        if (packed.stale(kernel.version())) {
            plan.pack(packed.values(), kernel.value());
        }
    }

    @Override
    public Step.Shard newShard(int capacity) {
        int outPerImage = plan.geometry().outPixels() * plan.filters();
        float[][] grads = bias == null ? new float[][] {new float[kernel.size()]}
                : new float[][] {new float[kernel.size()], new float[bias.size()]};
        float[] biasValue = bias == null ? null : bias.value();
        boolean relu = activation == Activation.RELU;
        return new Step.Shard() {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                plan.forward(out, in, kernel.value(), packed.values(), biasValue, relu, n, scratch);
                if (!relu) {
                    activation.forward(out, n * outPerImage / plan.filters(), plan.filters());
                }
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                if (!preActivationGradient) {
                    activation.backward(dOut, out, n * outPerImage / plan.filters(), plan.filters());
                }
                plan.backwardParams(grads[0], bias == null ? null : grads[1], dOut, in, n, scratch);
                if (dIn != null) {
                    plan.backwardInput(dIn, dOut, kernel.value(), packed.values(), n, scratch);
                }
            }

            @Override
            public float[][] grads() {
                return grads;
            }
        };
    }
}
