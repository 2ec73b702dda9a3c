package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.regularizers.Regularizer;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

/**
 * A weight array of a layer in Keras layout. A trainable one (a kernel or a bias) has the
 * gradient buffer the optimizer reads: its value array is updated in place by the optimizer and
 * shared by every shard of a batch; each shard accumulates into its own gradient buffers, which
 * the model reduces into {@link #grad()}. A non-trainable one (Keras's non-trainable weights:
 * statistics such as a Normalization layer's mean and variance, batch normalisation's moving
 * averages) is state that no optimizer touches; it saves and loads with the model like the
 * others. A trainable weight of a frozen layer ({@link Layer#trainable(boolean)}) does not train
 * either; see {@link Layer#trainableWeights()}.
 */
public final class Parameter {
    private final String name;
    private final Shape shape;
    private final float[] value;
    private final float[] grad;
    private final boolean trainable;
    private String layerName;
    private Regularizer regularizer;
    /** Counts changes of the values, so that steps know when their packed copies are stale. */
    private volatile long version;

    Parameter(String name, Shape shape) {
        this(name, shape, true);
    }

    Parameter(String name, Shape shape, boolean trainable) {
        this.name = name;
        this.shape = shape;
        this.trainable = trainable;
        this.value = new float[shape.size()];
        this.grad = new float[trainable ? shape.size() : 0];
    }

    /**
     * Whether the optimizer trains it; false for state such as a Normalization layer's statistics.
     *
     * @return true for a weight the optimizer trains (a kernel, a bias), false for state such as statistics
     */
    public boolean trainable() {
        return trainable;
    }

    /**
     * The parameter's own name, {@code "kernel"} or {@code "bias"}.
     *
     * @return the name within its layer, such as {@code "kernel"}, {@code "bias"} or {@code "moving_mean"}
     */
    public String name() {
        return name;
    }

    /**
     * The Keras-style path, {@code "conv2d/kernel"}.
     *
     * @return the layer's name, {@code '/'} and this weight's name; the path a model file stores it under
     */
    public String path() {
        return layerName + "/" + name;
    }

    void attachTo(String layer) {
        this.layerName = layer;
    }

    /**
     * The penalty on this parameter's values that training adds to the loss, or null for none.
     *
     * @return the regularizer the layer gave this weight, or null
     */
    public Regularizer regularizer() {
        return regularizer;
    }

    void regularizer(Regularizer r) {
        this.regularizer = r;
    }

    /**
     * The shape without batch dimension: {@code (3, 3, 1, 6)} for a Conv2D kernel.
     *
     * @return the shape, in Keras's layout
     */
    public Shape shape() {
        return shape;
    }

    /**
     * The values, shared: writes change the model. After writing into this array directly, call
     * {@link #markChanged()} so that the model's derived copies (packed kernels) are remade;
     * {@link #set} does so itself.
     *
     * @return the values, row-major in Keras's layout; the array itself, not a copy
     */
    public float[] value() {
        return value;
    }

    /** Records that the values changed (the optimizer and {@link #set} call it). */
    public void markChanged() {
        version++;
    }

    /**
     * A number that changes whenever the values do (see {@link #markChanged()}).
     *
     * @return the count of changes so far
     */
    @Internal
    public long version() {
        return version;
    }

    /**
     * The reduced gradient of the last training step, shared; empty for a non-trainable weight.
     *
     * @return the gradient, one value per weight value in the same layout (none when not trainable); the
     *     array itself
     */
    @Internal
    public float[] grad() {
        return grad;
    }

    /**
     * The number of values: the product of the shape's dimensions.
     *
     * @return the number of values
     */
    public int size() {
        return value.length;
    }

    /**
     * A copy of the values as a tensor of this parameter's shape (without batch dimension).
     *
     * @return a new tensor holding a copy of the values
     */
    public Tensor toTensor() {
        return new Tensor(shape, value.clone());
    }

    /**
     * Overwrites the values.
     *
     * @param values the new values, row-major in Keras's layout; copied, and as many as {@link #size()}
     * @throws IllegalArgumentException naming this parameter and both shapes if the sizes differ
     */
    public void set(float[] values) {
        if (values.length != value.length) {
            throw new IllegalArgumentException(path() + " has shape " + shape + " (" + value.length
                    + " values), given " + values.length + " values");
        }
        System.arraycopy(values, 0, value, 0, value.length);
        markChanged();
    }
}
