package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Window2D;

/**
 * Max pooling, as Keras's {@code MaxPooling2D}; padding cells never win. The gradient flows to the
 * first maximal cell of each window, remembered in the forward pass.
 * <pre>{@code new MaxPooling2D(2)}</pre>
 */
public final class MaxPooling2D extends Pooling2D {

    public MaxPooling2D(int poolSize) {
        super(poolSize, poolSize);
    }

    public MaxPooling2D(int poolH, int poolW) {
        super(poolH, poolW);
    }

    @Override
    public String typeName() {
        return "MaxPooling2D";
    }

    @Override
    public Shard newShard(int capacity, Kernels k) {
        Window2D g = geometry();
        // argmax (capacity, OH, OW, C): flat index into the shard's input of each window's maximum
        int[] argmax = new int[capacity * g.outPixels() * g.channels()];
        return new Shard(parameters()) {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
                k.maxPoolForward(out, argmax, in, n, g);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, boolean dOutIsPreActivation) {
                if (dIn != null) {
                    k.maxPoolBackward(dIn, argmax, dOut, n, g);
                }
            }
        };
    }
}
