package io.github.purecnn.layers;

import io.github.purecnn.kernels.LinearPlan;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.ScratchNeeds;
import io.github.purecnn.runtime.PackedKernel;
import io.github.purecnn.runtime.Step;

/**
 * The step of a Conv2D, a Dense layer (a 1x1 window over a 1x1 image) or a DepthwiseConv2D, and
 * each half of a SeparableConv2D: a plan, the packed kernel it reads (remade when the kernel
 * changes), then the activation (see {@link ActivationStage}). A frozen layer computes no
 * parameter gradients.
 */
final class LinearStep implements Step {
    private final Layer layer;
    private final LinearPlan plan;
    private final Parameter kernel;
    private final Parameter bias;
    private final ActivationStage activation;
    private final PackedKernel packed;

    LinearStep(Layer layer, LinearPlan plan, Parameter kernel, Parameter bias, Activation activation,
               boolean preActivationGradient) {
        this.layer = layer;
        this.plan = plan;
        this.kernel = kernel;
        this.bias = bias;
        this.activation = new ActivationStage(activation, preActivationGradient, plan.outputChannels());
        this.packed = new PackedKernel(plan.packedSize());
    }

    @Override
    public String describe() {
        return layer.name() + ": " + plan.name() + " " + plan.geometry().describe() + " x" + plan.outputChannels();
    }

    @Override
    public ScratchNeeds scratchNeeds() {
        return plan;
    }

    @Override
    public int prepareParts() {
        return packed.stale(kernel.version()) && plan.packedSize() > 0 ? plan.packParts() : 0;
    }

    @Override
    public void prepare(int part) {
        plan.pack(packed.values(), kernel.value(), part);
    }

    @Override
    public Step.Shard newShard(int capacity) {
        int outPerImage = plan.geometry().outPixels() * plan.outputChannels();
        boolean trains = layer.isTrainable();
        float[][] grads = !trains ? NO_GRADS : bias == null ? new float[][] {new float[kernel.size()]}
                : new float[][] {new float[kernel.size()], new float[bias.size()]};
        float[] biasValue = bias == null ? null : bias.value();
        boolean relu = activation.inPlan();
        // pre (capacity, out shape): the output before the activation, where its backward needs it
        float[] pre = activation.newPreActivation((long) capacity * outPerImage);
        return new Step.Shard() {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                plan.forward(ActivationStage.planTarget(out, pre), in, kernel.value(), packed.values(), biasValue, relu, n, scratch);
                activation.forward(out, pre, n * outPerImage);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                activation.backward(dOut, out, pre, n * outPerImage, plan);
                if (trains) {
                    plan.backwardParams(grads[0], bias == null ? null : grads[1], dOut, in, n, scratch);
                }
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
