package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Window2D;
import io.github.purecnn.runtime.WeightShape;
import io.github.purecnn.tensor.Shape;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the 2-D convolutions (Conv2D, DepthwiseConv2D, SeparableConv2D) share: a window with
 * Keras's {@code kernel_size}, {@code strides}, {@code padding} and {@code dilation_rate} (strides
 * and a dilation above 1 exclude each other, as in Keras), an activation and {@code use_bias},
 * set fluently before the layer is built.
 *
 * @param <T> the layer type, which the setters return
 */
public abstract class Convolution2D<T extends Convolution2D<T>> extends Layer {
    private final int kernelH;
    private final int kernelW;
    private int strideH = 1;
    private int strideW = 1;
    private int dilationH = 1;
    private int dilationW = 1;
    private Padding padding = Padding.VALID;
    private Activation activation = Activation.LINEAR;
    private boolean useBias = true;
    private Window2D geometry;

    Convolution2D(int kernelH, int kernelW) {
        this.kernelH = positive("kernel height", kernelH);
        this.kernelW = positive("kernel width", kernelW);
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    /** A check of an argument, with the layer type in its message. */
    final int positive(String what, int value) {
        return atLeastOne(typeName() + " " + what, value);
    }

    /**
     * The same stride in both directions.
     *
     * @param stride Keras's {@code strides}, the step in both directions: at least 1 (default 1)
     * @return this layer
     * @throws IllegalArgumentException if {@code stride} is below 1, or above 1 while the dilation rate is
     *     above 1
     * @throws IllegalStateException once the layer is built
     */
    public T strides(int stride) {
        return strides(stride, stride);
    }

    /**
     * Keras's {@code strides}: how far the window moves, down and across.
     *
     * @param h the step down the rows: at least 1 (default 1)
     * @param w the step across the columns: at least 1 (default 1)
     * @return this layer
     * @throws IllegalArgumentException if a stride is below 1, or a stride is above 1 while the dilation rate
     *     is above 1
     * @throws IllegalStateException once the layer is built
     */
    public T strides(int h, int w) {
        requireUnbuilt("change the strides of");
        int sh = positive("stride height", h);
        int sw = positive("stride width", w);
        requireStridesOrDilation(sh, sw, dilationH, dilationW);
        strideH = sh;
        strideW = sw;
        return self();
    }

    /**
     * Keras's {@code dilation_rate}: the distance between the window's cells (1: adjacent).
     *
     * @param rate the dilation in both directions: at least 1 (default 1)
     * @return this layer
     * @throws IllegalArgumentException if {@code rate} is below 1, or above 1 while a stride is above 1
     * @throws IllegalStateException once the layer is built
     */
    public T dilationRate(int rate) {
        return dilationRate(rate, rate);
    }

    /**
     * The dilation rate down and across.
     *
     * @param h the distance between the window's rows: at least 1 (default 1)
     * @param w the distance between the window's columns: at least 1 (default 1)
     * @return this layer
     * @throws IllegalArgumentException if a rate is below 1, or a rate is above 1 while a stride is above 1
     * @throws IllegalStateException once the layer is built
     */
    public T dilationRate(int h, int w) {
        requireUnbuilt("change the dilation rate of");
        int dh = positive("dilation height", h);
        int dw = positive("dilation width", w);
        requireStridesOrDilation(strideH, strideW, dh, dw);
        dilationH = dh;
        dilationW = dw;
        return self();
    }

    private void requireStridesOrDilation(int sh, int sw, int dh, int dw) {
        if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) {
            throw new IllegalArgumentException(typeName() + " takes strides or a dilation rate above 1, not both (as Keras): "
                    + "strides (" + sh + ", " + sw + "), dilation_rate (" + dh + ", " + dw + ")");
        }
    }

    /**
     * Keras's {@code padding}, 'valid' (the default) or 'same'.
     *
     * @param p {@link Padding#VALID}: windows stay inside the input, which shrinks; {@link Padding#SAME}:
     *     zeros around the input, so that the output has {@code ceil(input / stride)} rows and columns
     * @return this layer
     * @throws NullPointerException if {@code p} is null
     * @throws IllegalStateException once the layer is built
     */
    public T padding(Padding p) {
        requireUnbuilt("change the padding of");
        padding = Objects.requireNonNull(p, "padding");
        return self();
    }

    /**
     * The activation applied to the output; linear (none) by default.
     *
     * @param a the activation, Keras's {@code activation} ({@link Activation#LINEAR} for none)
     * @return this layer
     * @throws NullPointerException if {@code a} is null
     * @throws IllegalStateException once the layer is built
     */
    public T activation(Activation a) {
        requireUnbuilt("change the activation of");
        activation = Objects.requireNonNull(a, "activation");
        return self();
    }

    /**
     * Whether the layer adds a bias (Keras's {@code use_bias}, true by default).
     *
     * @param use {@code false} for a layer without a bias weight
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public T useBias(boolean use) {
        requireUnbuilt("change the bias of");
        useBias = use;
        return self();
    }

    @Override
    public T named(String newName) {
        super.named(newName);
        return self();
    }

    boolean usesBias() {
        return useBias;
    }

    int kernelH() {
        return kernelH;
    }

    int kernelW() {
        return kernelW;
    }

    /** Puts {@code kernel_size}, {@code strides}, {@code padding} and {@code dilation_rate} into a config. */
    void putWindow(Map<String, Object> a) {
        a.put("kernel_size", List.of(kernelH, kernelW));
        a.put("strides", List.of(strideH, strideW));
        a.put("padding", padding.kerasName());
        a.put("dilation_rate", List.of(dilationH, dilationW));
    }

    /** Puts {@code activation} and {@code use_bias} into a config. */
    void putActivation(Map<String, Object> a) {
        a.put("activation", activation.kerasName());
        a.put("use_bias", useBias);
    }

    /**
     * The weights {@code kernel} of {@code kernelShape} and, with {@code use_bias}, {@code bias} of
     * {@code biasSize} values, both trainable: what {@link #weightShapes} declares for most convolutions.
     */
    final List<WeightShape> kernelAndBias(String kernel, Shape kernelShape, int biasSize) {
        WeightShape k = new WeightShape(kernel, kernelShape, true);
        return useBias ? List.of(k, new WeightShape("bias", Shape.of(biasSize), true)) : List.of(k);
    }

    /** The window over an input of this shape. */
    final Window2D windowFor(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(typeName() + " expects images (height, width, channels), found rank " + input.rank());
        }
        return Window2D.of(input.dim(0), input.dim(1), input.dim(2), kernelH, kernelW, strideH, strideW,
                dilationH, dilationW, padding == Padding.SAME);
    }

    /**
     * The window geometry over the layer's input; available once built.
     *
     * @return the input and output sizes, window, strides, dilation and padding, as the kernels take them
     * @throws IllegalStateException before the layer is built
     */
    @Internal
    public Window2D geometry() {
        if (geometry == null) {
            geometry = windowFor(inputShape());
        }
        return geometry;
    }

    @Override
    public Activation outputActivation() {
        return activation;
    }
}
