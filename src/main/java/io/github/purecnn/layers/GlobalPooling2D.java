package io.github.purecnn.layers;

import io.github.purecnn.kernels.Window2D;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What global average and max pooling share: one window over the whole image per channel, so
 * that each image becomes a vector of its channels, {@code (channels,)}, or with Keras's
 * {@code keepdims} {@code (1, 1, channels)}. They run on the pooling plans with that window.
 */
public abstract class GlobalPooling2D extends Layer {
    private boolean keepDims;

    GlobalPooling2D() {
    }

    /**
     * Keras's {@code keepdims}: whether the output keeps its height and width of 1 (false by default).
     *
     * @param keep {@code true} for output {@code (1, 1, channels)}, {@code false} for {@code (channels)}
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public GlobalPooling2D keepDims(boolean keep) {
        requireUnbuilt("change keepdims of");
        keepDims = keep;
        return this;
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("keepdims", keepDims);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(typeName() + " expects images (height, width, channels), found rank " + input.rank());
        }
        return keepDims ? Shape.of(1, 1, input.dim(2)) : Shape.of(input.dim(2));
    }

    /** The window over the whole input image; available once built. */
    Window2D window() {
        Shape in = inputShape();
        return Window2D.of(in.dim(0), in.dim(1), in.dim(2), in.dim(0), in.dim(1), 1, 1, false);
    }
}
