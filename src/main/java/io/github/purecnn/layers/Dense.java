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
 * A fully connected layer, as Keras's {@code Dense}: {@code out = activation(in · kernel + bias)}
 * with kernel {@code (in, units)} initialised Glorot-uniform and bias zero. Takes flat input:
 * put a {@link Flatten} before it after convolutions.
 */
public final class Dense extends Layer {
    private static final List<String> REGULARIZABLE = List.of("kernel", "bias");

    private final int units;
    private Activation activation = Activation.LINEAR;
    private boolean useBias = true;

    private int inSize;
    private Parameter kernel;
    private Parameter bias;

    public Dense(int units) {
        this.units = atLeastOne("Dense units", units);
    }

    public Dense activation(Activation a) {
        requireUnbuilt("change the activation of");
        activation = java.util.Objects.requireNonNull(a, "activation");
        return this;
    }

    public Dense useBias(boolean use) {
        requireUnbuilt("change the bias of");
        useBias = use;
        return this;
    }

    /** Keras's {@code kernel_regularizer}: a penalty on the kernel, added to the loss in training. */
    public Dense kernelRegularizer(Regularizer r) {
        regularize("kernel", r);
        return this;
    }

    /** Keras's {@code bias_regularizer}: a penalty on the bias, added to the loss in training. */
    public Dense biasRegularizer(Regularizer r) {
        regularize("bias", r);
        return this;
    }

    @Override
    protected List<String> regularizableWeights() {
        return REGULARIZABLE;
    }

    @Override
    public Dense named(String newName) {
        super.named(newName);
        return this;
    }

    @Override
    public String typeName() {
        return "Dense";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("units", units);
        a.put("activation", activation.kerasName());
        a.put("use_bias", useBias);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        if (input.rank() != 1) {
            throw new IllegalArgumentException("Dense expects flat input (features,), found rank " + input.rank()
                    + ": add a Flatten layer before it");
        }
        return Shape.of(units);
    }

    @Override
    public List<WeightShape> weightShapes(Shape input) {
        computeOutputShape(input);
        Shape kernelShape = Shape.of(input.dim(0), units);
        return useBias ? List.of(new WeightShape("kernel", kernelShape, true), new WeightShape("bias", Shape.of(units), true))
                : List.of(new WeightShape("kernel", kernelShape, true));
    }

    @Override
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        inSize = input.dim(0);
        kernel = new Parameter("kernel", Shape.of(inSize, units));
        Initializer.GLOROT_UNIFORM.fill(kernel.value(), kernel.shape(), rng);
        into.add(kernel);
        if (useBias) {
            bias = new Parameter("bias", Shape.of(units));
            into.add(bias);
        }
    }

    public int units() {
        return units;
    }

    @Override
    public Activation outputActivation() {
        return activation;
    }

    /** The kernel parameter {@code (in, units)}; available once built. */
    public Parameter kernel() {
        outputShape();
        return kernel;
    }

    /** The bias parameter {@code (units)}, or null without bias; available once built. */
    public Parameter bias() {
        outputShape();
        return bias;
    }

    /** Runs as a convolution: a 1x1 window over one pixel of {@code in} channels (see {@link Window2D#dense}). */
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new LinearStep(this, k.conv(Window2D.dense(inSize), units), kernel, bias, activation,
                lossGivesPreActivationGradient);
    }
}
