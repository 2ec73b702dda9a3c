package io.github.purecnn.layers;

import io.github.purecnn.kernels.Window2D;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What average and max pooling share: a window that slides over each channel alone, with
 * Keras's arguments ({@code pool_size}, {@code strides} defaulting to the pool size,
 * {@code padding}) and output shape rules.
 */
public abstract class Pooling2D extends Layer {
    private final int poolH;
    private final int poolW;
    private int strideH;
    private int strideW;
    private Padding padding = Padding.VALID;
    private Window2D geometry;

    Pooling2D(int poolH, int poolW) {
        this.poolH = atLeastOne(typeName() + " pool height", poolH);
        this.poolW = atLeastOne(typeName() + " pool width", poolW);
        this.strideH = poolH;
        this.strideW = poolW;
    }

    public Pooling2D strides(int stride) {
        return strides(stride, stride);
    }

    public Pooling2D strides(int h, int w) {
        requireUnbuilt("change the strides of");
        strideH = atLeastOne(typeName() + " stride height", h);
        strideW = atLeastOne(typeName() + " stride width", w);
        return this;
    }

    public Pooling2D padding(Padding p) {
        requireUnbuilt("change the padding of");
        padding = java.util.Objects.requireNonNull(p, "padding");
        return this;
    }

    @Override
    public Pooling2D named(String newName) {
        super.named(newName);
        return this;
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("pool_size", List.of(poolH, poolW));
        a.put("strides", List.of(strideH, strideW));
        a.put("padding", padding.kerasName());
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        Window2D g = geometryFor(input);
        return Shape.of(g.outH(), g.outW(), g.channels());
    }

    private Window2D geometryFor(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(typeName() + " expects images (height, width, channels), found rank " + input.rank());
        }
        return Window2D.of(input.dim(0), input.dim(1), input.dim(2), poolH, poolW, strideH, strideW,
                padding == Padding.SAME);
    }

    /** The window geometry; available once built. */
    public Window2D geometry() {
        if (geometry == null) {
            geometry = geometryFor(inputShape());
        }
        return geometry;
    }
}
