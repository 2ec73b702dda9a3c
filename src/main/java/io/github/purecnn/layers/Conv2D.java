package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Window2D;
import io.github.purecnn.regularizers.Regularizer;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A 2-D convolution over NHWC images, as Keras's {@code Conv2D}: kernel {@code (kh, kw, cin,
 * filters)} initialised Glorot-uniform, bias zero, then an optional activation.
 * <pre>{@code new Conv2D(6, 3).activation(Activation.RELU)}</pre>
 */
public final class Conv2D extends Layer {
    private static final List<String> REGULARIZABLE = List.of("kernel", "bias");

    private final int filters;
    private final int kernelH;
    private final int kernelW;
    private int strideH = 1;
    private int strideW = 1;
    private int dilationH = 1;
    private int dilationW = 1;
    private Padding padding = Padding.VALID;
    private Activation activation = Activation.LINEAR;
    private boolean useBias = true;

    private Window2D geometry;
    private Parameter kernel;
    private Parameter bias;

    /** {@code filters} output channels, square {@code kernelSize x kernelSize} windows. */
    public Conv2D(int filters, int kernelSize) {
        this(filters, kernelSize, kernelSize);
    }

    public Conv2D(int filters, int kernelH, int kernelW) {
        this.filters = positive("Conv2D filters", filters);
        this.kernelH = positive("Conv2D kernel height", kernelH);
        this.kernelW = positive("Conv2D kernel width", kernelW);
    }

    public Conv2D strides(int stride) {
        return strides(stride, stride);
    }

    public Conv2D strides(int h, int w) {
        requireUnbuilt("change the strides of");
        strideH = positive("Conv2D stride height", h);
        strideW = positive("Conv2D stride width", w);
        if ((strideH > 1 || strideW > 1) && (dilationH > 1 || dilationW > 1)) {
            throw new IllegalArgumentException("Conv2D takes strides or a dilation rate above 1, not both (as Keras)");
        }
        return this;
    }

    /** Keras's {@code dilation_rate}: the distance between the window's cells (1: adjacent). */
    public Conv2D dilationRate(int rate) {
        return dilationRate(rate, rate);
    }

    public Conv2D dilationRate(int h, int w) {
        requireUnbuilt("change the dilation rate of");
        dilationH = positive("Conv2D dilation height", h);
        dilationW = positive("Conv2D dilation width", w);
        if ((dilationH > 1 || dilationW > 1) && (strideH > 1 || strideW > 1)) {
            throw new IllegalArgumentException("Conv2D takes strides or a dilation rate above 1, not both (as Keras)");
        }
        return this;
    }

    public Conv2D padding(Padding p) {
        requireUnbuilt("change the padding of");
        padding = java.util.Objects.requireNonNull(p, "padding");
        return this;
    }

    public Conv2D activation(Activation a) {
        requireUnbuilt("change the activation of");
        activation = java.util.Objects.requireNonNull(a, "activation");
        return this;
    }

    public Conv2D useBias(boolean use) {
        requireUnbuilt("change the bias of");
        useBias = use;
        return this;
    }

    /** Keras's {@code kernel_regularizer}: a penalty on the kernel, added to the loss in training. */
    public Conv2D kernelRegularizer(Regularizer r) {
        regularize("kernel", r);
        return this;
    }

    /** Keras's {@code bias_regularizer}: a penalty on the bias, added to the loss in training. */
    public Conv2D biasRegularizer(Regularizer r) {
        regularize("bias", r);
        return this;
    }

    @Override
    protected List<String> regularizableWeights() {
        return REGULARIZABLE;
    }

    @Override
    public Conv2D named(String newName) {
        super.named(newName);
        return this;
    }

    static int positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, found " + value);
        }
        return value;
    }

    @Override
    public String typeName() {
        return "Conv2D";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("filters", filters);
        a.put("kernel_size", List.of(kernelH, kernelW));
        a.put("strides", List.of(strideH, strideW));
        a.put("padding", padding.kerasName());
        a.put("dilation_rate", List.of(dilationH, dilationW));
        a.put("activation", activation.kerasName());
        a.put("use_bias", useBias);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        Window2D g = geometry(input);
        return Shape.of(g.outH(), g.outW(), filters);
    }

    private Window2D geometry(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException("Conv2D expects images (height, width, channels), found rank " + input.rank());
        }
        return Window2D.of(input.dim(0), input.dim(1), input.dim(2), kernelH, kernelW, strideH, strideW,
                dilationH, dilationW, padding == Padding.SAME);
    }

    @Override
    public List<WeightShape> weightShapes(Shape input) {
        int cin = geometry(input).channels();
        Shape kernelShape = Shape.of(kernelH, kernelW, cin, filters);
        return useBias ? List.of(new WeightShape("kernel", kernelShape, true), new WeightShape("bias", Shape.of(filters), true))
                : List.of(new WeightShape("kernel", kernelShape, true));
    }

    @Override
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        geometry = geometry(input);
        int cin = input.dim(2);
        kernel = new Parameter("kernel", Shape.of(kernelH, kernelW, cin, filters));
        int receptiveField = kernelH * kernelW;
        glorotUniform(kernel.value(), receptiveField * cin, receptiveField * filters, rng);
        into.add(kernel);
        if (useBias) {
            bias = new Parameter("bias", Shape.of(filters));
            into.add(bias);
        }
    }

    /** The window geometry; available once built. */
    public Window2D geometry() {
        outputShape();
        return geometry;
    }

    public int filters() {
        return filters;
    }

    @Override
    public Activation outputActivation() {
        return activation;
    }

    /** The kernel parameter {@code (kh, kw, cin, filters)}; available once built. */
    public Parameter kernel() {
        outputShape();
        return kernel;
    }

    /** The bias parameter {@code (filters)}, or null without bias; available once built. */
    public Parameter bias() {
        outputShape();
        return bias;
    }

    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new LinearStep(this, k.conv(geometry(), filters), kernel, bias, activation, lossGivesPreActivationGradient);
    }
}
