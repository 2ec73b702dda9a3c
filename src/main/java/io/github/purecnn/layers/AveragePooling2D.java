package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Window2D;

/**
 * Average pooling, as Keras's {@code AveragePooling2D}. With {@code 'same'} padding a window that
 * hangs over the border averages only the cells inside the input (26x26 pools to 13x13, 11x11
 * to 6x6 with a last row and column of half-windows).
 * <pre>{@code new AveragePooling2D(2).padding(Padding.SAME)}</pre>
 */
public final class AveragePooling2D extends Pooling2D {

    public AveragePooling2D(int poolSize) {
        super(poolSize, poolSize);
    }

    public AveragePooling2D(int poolH, int poolW) {
        super(poolH, poolW);
    }

    @Override
    public String typeName() {
        return "AveragePooling2D";
    }

    @Override
    public Shard newShard(int capacity, Kernels k) {
        Window2D g = geometry();
        return new Shard(parameters()) {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
                k.avgPoolForward(out, in, n, g);
            }

            @Override
            public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, boolean dOutIsPreActivation) {
                if (dIn != null) {
                    k.avgPoolBackward(dIn, dOut, n, g);
                }
            }
        };
    }
}
