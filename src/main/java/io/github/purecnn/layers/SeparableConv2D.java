package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Window2D;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.runtime.WeightShape;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A depthwise separable 2-D convolution, as Keras's {@code SeparableConv2D}: a depthwise
 * convolution (see {@link DepthwiseConv2D}, without bias), whose output is rounded to float, then
 * a 1x1 convolution to {@code filters} channels with the bias, then the activation. Weights in
 * Keras's order: {@code depthwise_kernel (kh, kw, cin, depth_multiplier)}, {@code pointwise_kernel
 * (1, 1, cin * depth_multiplier, filters)}, both Glorot-uniform, and {@code bias (filters)}, zero.
 * Strides, padding and dilation apply to the depthwise half.
 * <pre>{@code new SeparableConv2D(32, 3).padding(Padding.SAME).activation(Activation.RELU)}</pre>
 */
public final class SeparableConv2D extends Convolution2D<SeparableConv2D> {
    private final int filters;
    private int depthMultiplier = 1;

    private Parameter depthwiseKernel;
    private Parameter pointwiseKernel;
    private Parameter bias;

    /**
     * {@code filters} output channels, square {@code kernelSize x kernelSize} windows.
     *
     * @param filters Keras's {@code filters}, the output channels of the pointwise half: at least 1
     * @param kernelSize Keras's {@code kernel_size} as one number: the depthwise window's height and width,
     *     at least 1
     * @throws IllegalArgumentException if an argument is below 1
     */
    public SeparableConv2D(int filters, int kernelSize) {
        this(filters, kernelSize, kernelSize);
    }

    /**
     * {@code filters} output channels, {@code kernelH x kernelW} depthwise windows.
     *
     * @param filters Keras's {@code filters}, the output channels of the pointwise half: at least 1
     * @param kernelH the depthwise window's height (Keras's {@code kernel_size[0]}): at least 1
     * @param kernelW the depthwise window's width (Keras's {@code kernel_size[1]}): at least 1
     * @throws IllegalArgumentException if an argument is below 1
     */
    public SeparableConv2D(int filters, int kernelH, int kernelW) {
        super(kernelH, kernelW);
        this.filters = positive("filters", filters);
    }

    /**
     * Keras's {@code depth_multiplier}: the depthwise filters per input channel (1 by default).
     *
     * @param multiplier the depthwise filters per input channel: at least 1; the pointwise half takes
     *     {@code cin * multiplier} channels
     * @return this layer
     * @throws IllegalArgumentException if {@code multiplier} is below 1
     * @throws IllegalStateException once the layer is built
     */
    public SeparableConv2D depthMultiplier(int multiplier) {
        requireUnbuilt("change the depth multiplier of");
        depthMultiplier = positive("depth_multiplier", multiplier);
        return this;
    }

    /**
     * The output channels of the pointwise half.
     *
     * @return Keras's {@code filters}
     */
    public int filters() {
        return filters;
    }

    @Override
    public String typeName() {
        return "SeparableConv2D";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("filters", filters);
        putWindow(a);
        a.put("depth_multiplier", depthMultiplier);
        putActivation(a);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        Window2D g = windowFor(input);
        if ((long) g.outPixels() * g.channels() * depthMultiplier > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the depthwise output of " + g.outH() + "x" + g.outW() + "x"
                    + (long) g.channels() * depthMultiplier + " is too large for one array");
        }
        return Shape.of(g.outH(), g.outW(), filters);
    }

    @Internal
    @Override
    public List<WeightShape> weightShapes(Shape input) {
        computeOutputShape(input);
        int cin = input.dim(2);
        List<WeightShape> w = new java.util.ArrayList<>();
        w.add(new WeightShape("depthwise_kernel", Shape.of(kernelH(), kernelW(), cin, depthMultiplier), true));
        w.addAll(kernelAndBias("pointwise_kernel", Shape.of(1, 1, cin * depthMultiplier, filters), filters));
        return w;
    }

    @Override
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        int mid = input.dim(2) * depthMultiplier;
        depthwiseKernel = new Parameter("depthwise_kernel", Shape.of(kernelH(), kernelW(), input.dim(2), depthMultiplier));
        Initializer.GLOROT_UNIFORM.fill(depthwiseKernel.value(), depthwiseKernel.shape(), rng);
        into.add(depthwiseKernel);
        pointwiseKernel = new Parameter("pointwise_kernel", Shape.of(1, 1, mid, filters));
        Initializer.GLOROT_UNIFORM.fill(pointwiseKernel.value(), pointwiseKernel.shape(), rng);
        into.add(pointwiseKernel);
        if (usesBias()) {
            bias = new Parameter("bias", Shape.of(filters));
            into.add(bias);
        }
    }

    /**
     * The depthwise half's kernel {@code (kh, kw, cin, depth_multiplier)}; available once built.
     *
     * @return Keras's {@code depthwise_kernel}, shape {@code (kh, kw, cin, depth_multiplier)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter depthwiseKernel() {
        outputShape();
        return depthwiseKernel;
    }

    /**
     * The pointwise half's kernel {@code (1, 1, cin * depth_multiplier, filters)}; available once built.
     *
     * @return Keras's {@code pointwise_kernel}, shape {@code (1, 1, cin * depth_multiplier, filters)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter pointwiseKernel() {
        outputShape();
        return pointwiseKernel;
    }

    /**
     * The bias {@code (filters)}, or null without bias; available once built.
     *
     * @return the bias, shape {@code (filters)}, or null when {@code useBias(false)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter bias() {
        outputShape();
        return bias;
    }

    /**
     * The depthwise plan, then a 1x1 convolution plan over its output, through a per-shard buffer.
     *
     * @param k the kernels the model runs on (plain Java or the Vector API)
     * @param lossGivesPreActivationGradient the loss hands the gradient with respect to the activation's
     *     input (a softmax fused with cross-entropy)
     * @return a new step running both halves
     */
    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        Window2D g = geometry();
        int mid = g.channels() * depthMultiplier;
        Step depthwise = new LinearStep(this, k.depthwise(g, depthMultiplier), depthwiseKernel, null, Activation.LINEAR, false);
        Step pointwise = new LinearStep(this, k.conv(Window2D.of(g.outH(), g.outW(), mid, 1, 1, 1, 1, false), filters),
                pointwiseKernel, bias, outputActivation(), lossGivesPreActivationGradient);
        return new ChainStep(depthwise, pointwise, g.outPixels() * mid);
    }
}
