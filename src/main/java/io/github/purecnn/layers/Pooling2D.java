package io.github.purecnn.layers;

import io.github.purecnn.Internal;
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

    /**
     * The same stride along height and width (the pool size by default); returns this layer.
     *
     * @param stride Keras's {@code strides} as one number: how far the window moves down and across, at least
     *     1
     * @return this layer
     * @throws IllegalArgumentException if {@code stride} is below 1
     * @throws IllegalStateException once the layer is built
     */
    public Pooling2D strides(int stride) {
        return strides(stride, stride);
    }

    /**
     * The strides along height and width, each at least 1; returns this layer.
     *
     * @param h how far the window moves down, at least 1
     * @param w how far the window moves across, at least 1
     * @return this layer
     * @throws IllegalArgumentException if a stride is below 1
     * @throws IllegalStateException once the layer is built
     */
    public Pooling2D strides(int h, int w) {
        requireUnbuilt("change the strides of");
        strideH = atLeastOne(typeName() + " stride height", h);
        strideW = atLeastOne(typeName() + " stride width", w);
        return this;
    }

    /**
     * VALID (the default) or SAME; returns this layer.
     *
     * @param p Keras's {@code padding}: {@link Padding#VALID}, windows inside the input;
     *     {@link Padding#SAME}, {@code ceil(input / stride)} windows, the padding cells left out of each window
     * @return this layer
     * @throws NullPointerException if {@code p} is null
     * @throws IllegalStateException once the layer is built
     */
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

    /**
     * The window geometry; available once built.
     *
     * @return the input and output sizes, window, strides and padding, as the kernels take them
     * @throws IllegalStateException before the layer is built
     */
    @Internal
    public Window2D geometry() {
        if (geometry == null) {
            geometry = geometryFor(inputShape());
        }
        return geometry;
    }
}
