package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.tensor.Shape;

import java.util.Map;

/**
 * Flattens each sample to a vector in height-width-channel order, as Keras does for NHWC data,
 * so Dense kernels keep Keras's layout. Changes only the shape: the model lets input and output
 * share one buffer.
 */
public final class Flatten extends Layer {

    @Override
    public String typeName() {
        return "Flatten";
    }

    @Override
    protected Map<String, Object> arguments() {
        return Map.of();
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        return Shape.of(input.size());
    }

    @Override
    public boolean reshapesOnly() {
        return true;
    }

    @Override
    public Shard newShard(int capacity, Kernels k) {
        return new Shard(parameters()) {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
                if (out != in) {
                    System.arraycopy(in, 0, out, 0, n * inputShape().size());
                }
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, boolean dOutIsPreActivation) {
                if (dIn != null && dIn != dOut) {
                    System.arraycopy(dOut, 0, dIn, 0, n * inputShape().size());
                }
            }
        };
    }
}
