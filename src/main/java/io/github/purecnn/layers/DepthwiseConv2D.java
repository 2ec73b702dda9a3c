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
 * A depthwise 2-D convolution, as Keras's {@code DepthwiseConv2D}: each input channel c is
 * convolved with its own {@code depth_multiplier} filters, and output channel {@code c * M + m}
 * is channel c under filter m; channels never mix. Kernel {@code (kh, kw, cin, depth_multiplier)}
 * (Keras 3 names it {@code kernel}) initialised Glorot-uniform (fan-in {@code kh * kw * cin},
 * fan-out {@code kh * kw * depth_multiplier}), bias {@code (cin * depth_multiplier)} zero; strides,
 * padding, dilation and activation as in {@link Convolution2D}.
 * <pre>{@code new DepthwiseConv2D(3).padding(Padding.SAME).activation(Activation.RELU)}</pre>
 */
public final class DepthwiseConv2D extends Convolution2D<DepthwiseConv2D> {
    private int depthMultiplier = 1;

    private Parameter kernel;
    private Parameter bias;

    /**
     * Square {@code kernelSize x kernelSize} windows.
     *
     * @param kernelSize Keras's {@code kernel_size} as one number: the window's height and width, at least 1
     * @throws IllegalArgumentException if {@code kernelSize} is below 1
     */
    public DepthwiseConv2D(int kernelSize) {
        this(kernelSize, kernelSize);
    }

    /**
     * {@code kernelH x kernelW} windows.
     *
     * @param kernelH the window's height (Keras's {@code kernel_size[0]}): at least 1
     * @param kernelW the window's width (Keras's {@code kernel_size[1]}): at least 1
     * @throws IllegalArgumentException if an argument is below 1
     */
    public DepthwiseConv2D(int kernelH, int kernelW) {
        super(kernelH, kernelW);
    }

    /**
     * Keras's {@code depth_multiplier}: the filters per input channel (1 by default).
     *
     * @param multiplier the filters per input channel: at least 1; the output has {@code cin * multiplier}
     *     channels
     * @return this layer
     * @throws IllegalArgumentException if {@code multiplier} is below 1
     * @throws IllegalStateException once the layer is built
     */
    public DepthwiseConv2D depthMultiplier(int multiplier) {
        requireUnbuilt("change the depth multiplier of");
        depthMultiplier = positive("depth_multiplier", multiplier);
        return this;
    }

    /**
     * The filters per input channel.
     *
     * @return Keras's {@code depth_multiplier}
     */
    public int depthMultiplier() {
        return depthMultiplier;
    }

    @Override
    public String typeName() {
        return "DepthwiseConv2D";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("depth_multiplier", depthMultiplier);
        putWindow(a);
        putActivation(a);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        Window2D g = windowFor(input);
        long channels = (long) g.channels() * depthMultiplier;
        if ((long) g.outPixels() * channels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("an output of " + g.outH() + "x" + g.outW() + "x" + channels
                    + " is too large for one array");
        }
        return Shape.of(g.outH(), g.outW(), (int) channels);
    }

    @Internal
    @Override
    public List<WeightShape> weightShapes(Shape input) {
        computeOutputShape(input);
        int cin = input.dim(2);
        return kernelAndBias("kernel", Shape.of(kernelH(), kernelW(), cin, depthMultiplier), cin * depthMultiplier);
    }

    @Override
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        kernel = new Parameter("kernel", Shape.of(kernelH(), kernelW(), input.dim(2), depthMultiplier));
        Initializer.GLOROT_UNIFORM.fill(kernel.value(), kernel.shape(), rng);
        into.add(kernel);
        if (usesBias()) {
            bias = new Parameter("bias", Shape.of(input.dim(2) * depthMultiplier));
            into.add(bias);
        }
    }

    /**
     * The kernel {@code (kh, kw, cin, depth_multiplier)}; available once built.
     *
     * @return the kernel, shape {@code (kh, kw, cin, depth_multiplier)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter kernel() {
        outputShape();
        return kernel;
    }

    /**
     * The bias {@code (cin * depth_multiplier)}, or null without bias; available once built.
     *
     * @return the bias, shape {@code (cin * depth_multiplier)}, or null when {@code useBias(false)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter bias() {
        outputShape();
        return bias;
    }

    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new LinearStep(this, k.depthwise(geometry(), depthMultiplier), kernel, bias, outputActivation(),
                lossGivesPreActivationGradient);
    }
}
