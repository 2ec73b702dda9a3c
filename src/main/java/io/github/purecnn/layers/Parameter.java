package io.github.purecnn.layers;

import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

/**
 * A weight array of a layer (a kernel, a bias, a moving mean) in Keras layout, with the gradient
 * buffer the optimizer reads. The value array is updated in place by the optimizer and shared by
 * every shard of a batch; each shard writes its own gradient buffers, which the model reduces
 * into {@link #grad()}.
 *
 * <p>A weight is trainable (the optimizer updates it from its gradient) or not, as Keras's
 * {@code add_weight(trainable=...)}: batch normalisation's moving statistics are not, the layer
 * updates them itself. A trainable weight of a frozen layer ({@link Layer#trainable(boolean)})
 * does not train either; see {@link Layer#trainableParameters()}.
 */
public final class Parameter {
    private final String name;
    private final Shape shape;
    private final boolean trainable;
    private final float[] value;
    private final float[] grad;
    private String layerName;
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
        // Weights that never train have no gradient.
        this.grad = trainable ? new float[shape.size()] : new float[0];
    }

    /** Whether the optimizer updates this weight while its layer is trainable (Keras's {@code add_weight(trainable=...)}). */
    public boolean isTrainable() {
        return trainable;
    }

    /** The parameter's own name, {@code "kernel"} or {@code "bias"}. */
    public String name() {
        return name;
    }

    /** The Keras-style path, {@code "conv2d/kernel"}. */
    public String path() {
        return layerName + "/" + name;
    }

    void attachTo(String layer) {
        this.layerName = layer;
    }

    /** The shape without batch dimension: {@code (3, 3, 1, 6)} for a Conv2D kernel. */
    public Shape shape() {
        return shape;
    }

    /**
     * The values, shared: writes change the model. After writing into this array directly, call
     * {@link #markChanged()} so that the model's derived copies (packed kernels) are remade;
     * {@link #set} does so itself.
     */
    public float[] value() {
        return value;
    }

    /** Records that the values changed (the optimizer and {@link #set} call it). */
    public void markChanged() {
        version++;
    }

    /** A number that changes whenever the values do (see {@link #markChanged()}). */
    public long version() {
        return version;
    }

    /** The reduced gradient of the last training step, shared; empty for a weight that is not trainable. */
    public float[] grad() {
        return grad;
    }

    public int size() {
        return value.length;
    }

    /** A copy of the values as a tensor of this parameter's shape (without batch dimension). */
    public Tensor toTensor() {
        return new Tensor(shape, value.clone());
    }

    /**
     * Overwrites the values.
     *
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
