package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Window2D;
import io.github.purecnn.regularizers.Regularizer;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.runtime.WeightShape;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A 2-D convolution over NHWC images, as Keras's {@code Conv2D}: kernel {@code (kh, kw, cin,
 * filters)} initialised Glorot-uniform, bias zero, then an optional activation; strides, padding
 * and dilation as in {@link Convolution2D}.
 * <pre>{@code new Conv2D(6, 3).activation(Activation.RELU)}</pre>
 */
public final class Conv2D extends Convolution2D<Conv2D> {
    private static final List<String> REGULARIZABLE = List.of("kernel", "bias");

    private final int filters;

    private Parameter kernel;
    private Parameter bias;

    /**
     * {@code filters} output channels, square {@code kernelSize x kernelSize} windows.
     *
     * @param filters Keras's {@code filters}, the number of output channels: at least 1
     * @param kernelSize Keras's {@code kernel_size} as one number: the window's height and width, at least 1
     * @throws IllegalArgumentException if an argument is below 1
     */
    public Conv2D(int filters, int kernelSize) {
        this(filters, kernelSize, kernelSize);
    }

    /**
     * {@code filters} output channels, {@code kernelH x kernelW} windows.
     *
     * @param filters Keras's {@code filters}, the number of output channels: at least 1
     * @param kernelH the window's height (Keras's {@code kernel_size[0]}): at least 1
     * @param kernelW the window's width (Keras's {@code kernel_size[1]}): at least 1
     * @throws IllegalArgumentException if an argument is below 1
     */
    public Conv2D(int filters, int kernelH, int kernelW) {
        super(kernelH, kernelW);
        this.filters = positive("filters", filters);
    }

    /**
     * Keras's {@code kernel_regularizer}: a penalty on the kernel, added to the loss in training.
     *
     * @param r the regularizer, or null for none (the default)
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public Conv2D kernelRegularizer(Regularizer r) {
        regularize("kernel", r);
        return this;
    }

    /**
     * Keras's {@code bias_regularizer}: a penalty on the bias, added to the loss in training.
     *
     * @param r the regularizer, or null for none (the default); ignored without a bias
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public Conv2D biasRegularizer(Regularizer r) {
        regularize("bias", r);
        return this;
    }

    @Override
    protected List<String> regularizableWeights() {
        return REGULARIZABLE;
    }

    @Override
    public String typeName() {
        return "Conv2D";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("filters", filters);
        putWindow(a);
        putActivation(a);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        Window2D g = windowFor(input);
        return Shape.of(g.outH(), g.outW(), filters);
    }

    @Internal
    @Override
    public List<WeightShape> weightShapes(Shape input) {
        Shape kernelShape = Shape.of(kernelH(), kernelW(), windowFor(input).channels(), filters);
        return kernelAndBias("kernel", kernelShape, filters);
    }

    @Override
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        kernel = new Parameter("kernel", Shape.of(kernelH(), kernelW(), input.dim(2), filters));
        Initializer.GLOROT_UNIFORM.fill(kernel.value(), kernel.shape(), rng);
        into.add(kernel);
        if (usesBias()) {
            bias = new Parameter("bias", Shape.of(filters));
            into.add(bias);
        }
    }

    /**
     * The output channels.
     *
     * @return Keras's {@code filters}
     */
    public int filters() {
        return filters;
    }

    /**
     * The kernel parameter {@code (kh, kw, cin, filters)}; available once built.
     *
     * @return the kernel, shape {@code (kh, kw, cin, filters)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter kernel() {
        outputShape();
        return kernel;
    }

    /**
     * The bias parameter {@code (filters)}, or null without bias; available once built.
     *
     * @return the bias, shape {@code (filters)}, or null when {@code useBias(false)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter bias() {
        outputShape();
        return bias;
    }

    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new LinearStep(this, k.conv(geometry(), filters), kernel, bias, outputActivation(), lossGivesPreActivationGradient);
    }
}
