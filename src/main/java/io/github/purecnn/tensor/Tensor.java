package io.github.purecnn.tensor;

/**
 * A flat, contiguous {@code float[]} with an immutable row-major {@link Shape}. The first
 * dimension is always the batch: images are NHWC {@code (batch, height, width, channels)} and
 * vectors {@code (batch, features)}, as in Keras.
 *
 * <p>The array is shared, not copied: a tensor is a view that gives meaning to an array.
 * {@link #reshape} therefore changes only the metadata.
 */
public final class Tensor {
    private final float[] data;
    private final Shape shape;

    /**
     * A view of {@code data} as {@code shape}; the array must hold exactly {@code shape.size()} floats.
     *
     * @param shape the shape, batch dimension first
     * @param data the values, row-major, not copied
     * @throws IllegalArgumentException when the sizes differ, naming both
     */
    public Tensor(Shape shape, float[] data) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size()
                    + " floats, the array holds " + data.length);
        }
        this.shape = shape;
        this.data = data;
    }

    /**
     * A zero-filled tensor.
     *
     * @param dims the dimension sizes, outermost first, each at least 1
     * @return a new tensor of zeros
     */
    public static Tensor zeros(int... dims) {
        Shape s = Shape.of(dims);
        return new Tensor(s, new float[s.size()]);
    }

    /**
     * A tensor over {@code data} (not copied) with the given dimensions, whose product must be its length.
     *
     * @param data the values, row-major, not copied
     * @param dims the dimension sizes, outermost first
     * @return the tensor
     * @throws IllegalArgumentException when the product of the dimensions is not the array's length
     */
    public static Tensor of(float[] data, int... dims) {
        return new Tensor(Shape.of(dims), data);
    }

    /**
     * The shape, batch dimension first.
     *
     * @return the shape
     */
    public Shape shape() {
        return shape;
    }

    /**
     * The backing array, shared with this tensor (writes show through).
     *
     * @return the array itself, not a copy
     */
    public float[] data() {
        return data;
    }

    /**
     * The first dimension: the number of samples.
     *
     * @return the size of the first dimension
     */
    public int batchSize() {
        return shape.dim(0);
    }

    /**
     * Floats per batch entry: the product of all dimensions but the first.
     *
     * @return the number of floats per sample
     */
    public int sampleSize() {
        return shape.size() / shape.dim(0);
    }

    /**
     * The same data seen as another shape with the same number of elements.
     *
     * @param dims the new dimension sizes, outermost first
     * @return a tensor over the same array
     * @throws IllegalArgumentException when the number of elements differs, naming both shapes
     */
    public Tensor reshape(int... dims) {
        Shape s = Shape.of(dims);
        if (s.size() != shape.size()) {
            throw new IllegalArgumentException("cannot reshape " + shape + " (" + shape.size()
                    + " elements) to " + s + " (" + s.size() + " elements)");
        }
        return new Tensor(s, data);
    }

    /**
     * A copy of batch entries {@code [from, from + count)}.
     *
     * @param from the first batch entry, from 0
     * @param count how many entries, at least 1
     * @return a new tensor holding a copy of them
     * @throws IndexOutOfBoundsException when the range is not inside the batch
     */
    public Tensor slice(int from, int count) {
        int n = batchSize();
        if (from < 0 || count < 1 || from + count > n) {
            throw new IndexOutOfBoundsException("batch entries [" + from + ", " + (from + count)
                    + ") of a tensor of shape " + shape);
        }
        int[] dims = shape.dims();
        dims[0] = count;
        int per = sampleSize();
        float[] out = new float[count * per];
        System.arraycopy(data, from * per, out, 0, out.length);
        return new Tensor(Shape.of(dims), out);
    }

    /**
     * The element at a full multi-dimensional index; for tests and inspection, not for loops.
     *
     * @param index one index per dimension, outermost first
     * @return the value
     * @throws IllegalArgumentException when the index's rank is not the shape's
     * @throws IndexOutOfBoundsException naming the axis of an index out of range
     */
    public float get(int... index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index of rank " + index.length + " for shape " + shape);
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException("index " + index[i] + " on axis " + i + " of shape " + shape);
            }
            flat = flat * d + index[i];
        }
        return data[flat];
    }

    @Override
    public String toString() {
        return "Tensor" + shape;
    }
}
