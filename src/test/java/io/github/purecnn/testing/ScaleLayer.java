package io.github.purecnn.testing;

import io.github.purecnn.layers.CustomLayer;
import io.github.purecnn.layers.Initializer;
import io.github.purecnn.layers.Layers;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.tensor.Shape;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A custom layer as a user would write one, with the public API only (from another package): a
 * trainable scale per channel, {@code y = x * w[c] + offset}, where {@code offset} is a config
 * argument; and a weight {@code calls} that does not train and that the passes leave alone, added
 * before {@code w} to show that the layer's weights still come in Keras's order (trainable first).
 * Registered under its type name by {@link #register()}.
 */
public final class ScaleLayer extends CustomLayer {
    public static final String TYPE = "ContractScale";

    private final String type;
    private final double offset;
    private Parameter w;

    public ScaleLayer(double offset) {
        this(TYPE, offset);
    }

    /** The same layer under another type name, which nobody registers (for the errors of unregistered types). */
    public ScaleLayer(String type, double offset) {
        this.type = type;
        this.offset = offset;
    }

    public static void register() {
        Layers.register(TYPE, c -> new ScaleLayer(c.number("offset")));
    }

    @Override
    public String typeName() {
        return type;
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("offset", offset);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        return input;
    }

    @Override
    protected void buildWeights(Shape input, Weights weights) {
        weights.add("calls", Shape.of(1), false, Initializer.ZEROS);
        w = weights.add("w", Shape.of(input.dim(input.rank() - 1)), true, Initializer.GLOROT_UNIFORM);
    }

    @Override
    protected void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
        int c = w.size();
        float[] v = w.value();
        for (int i = 0; i < n * inputShape().size(); i++) {
            out[i] = in[i] * v[i % c] + (float) offset;
        }
    }

    @Override
    protected void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Gradients grads) {
        int c = w.size();
        float[] v = w.value();
        float[] dw = grads.of(w);
        if (dw != null) {
            Arrays.fill(dw, 0f);
        }
        for (int i = 0; i < n * inputShape().size(); i++) {
            if (dw != null) {
                dw[i % c] += in[i] * dOut[i];
            }
            if (dIn != null) {
                dIn[i] = dOut[i] * v[i % c];
            }
        }
    }
}
