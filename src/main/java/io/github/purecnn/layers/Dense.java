package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
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
    private final int units;
    private Activation activation = Activation.LINEAR;
    private boolean useBias = true;

    private int inSize;
    private Parameter kernel;
    private Parameter bias;

    public Dense(int units) {
        this.units = Conv2D.positive("Dense units", units);
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
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        inSize = input.dim(0);
        kernel = new Parameter("kernel", Shape.of(inSize, units));
        glorotUniform(kernel.value(), inSize, units, rng);
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

    @Override
    public Shard newShard(int capacity, Kernels k) {
        return new Shard(parameters()) {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
                k.denseForward(out, in, kernel.value(), useBias ? bias.value() : null, n, inSize, units);
                activation.forward(k, out, n, units);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, boolean dOutIsPreActivation) {
                if (!dOutIsPreActivation) {
                    activation.backward(k, dOut, out, n, units);
                }
                k.denseBackwardParams(grads()[0], useBias ? grads()[1] : null, dOut, in, n, inSize, units);
                if (dIn != null) {
                    k.denseBackwardInput(dIn, dOut, kernel.value(), n, inSize, units);
                }
            }
        };
    }
}
