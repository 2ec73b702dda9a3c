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

    /**
     * A fully connected layer of {@code units} outputs, linear, with a bias.
     *
     * @param units Keras's {@code units}, the number of outputs: at least 1
     * @throws IllegalArgumentException if {@code units} is below 1
     */
    public Dense(int units) {
        this.units = atLeastOne("Dense units", units);
    }

    /**
     * The activation applied to the output (linear by default); returns this layer.
     *
     * @param a the activation, Keras's {@code activation} ({@link Activation#LINEAR} for none)
     * @return this layer
     * @throws NullPointerException if {@code a} is null
     * @throws IllegalStateException once the layer is built
     */
    public Dense activation(Activation a) {
        requireUnbuilt("change the activation of");
        activation = java.util.Objects.requireNonNull(a, "activation");
        return this;
    }

    /**
     * Whether the layer adds a bias (true by default); returns this layer.
     *
     * @param use Keras's {@code use_bias}: {@code false} for a layer without a bias weight
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public Dense useBias(boolean use) {
        requireUnbuilt("change the bias of");
        useBias = use;
        return this;
    }

    /**
     * Keras's {@code kernel_regularizer}: a penalty on the kernel, added to the loss in training.
     *
     * @param r the regularizer, or null for none (the default)
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public Dense kernelRegularizer(Regularizer r) {
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

    @Internal
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

    /**
     * The number of outputs.
     *
     * @return Keras's {@code units}
     */
    public int units() {
        return units;
    }

    @Override
    public Activation outputActivation() {
        return activation;
    }

    /**
     * The kernel parameter {@code (in, units)}; available once built.
     *
     * @return the kernel, shape {@code (in, units)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter kernel() {
        outputShape();
        return kernel;
    }

    /**
     * The bias parameter {@code (units)}, or null without bias; available once built.
     *
     * @return the bias, shape {@code (units)}, or null when {@code useBias(false)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter bias() {
        outputShape();
        return bias;
    }

    /**
     * Runs as a convolution: a 1x1 window over one pixel of {@code in} channels (see {@link Window2D#dense}).
     *
     * @param k the kernels the model runs on (plain Java or the Vector API)
     * @param lossGivesPreActivationGradient the loss hands the gradient with respect to the activation's
     *     input (a softmax fused with cross-entropy)
     * @return a new step, the kernels' convolution over a 1x1 window
     */
    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new LinearStep(this, k.conv(Window2D.dense(inSize), units), kernel, bias, activation,
                lossGivesPreActivationGradient);
    }
}
