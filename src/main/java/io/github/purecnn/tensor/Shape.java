package io.github.purecnn.tensor;

import java.util.Arrays;

/**
 * An immutable list of dimension sizes, row-major. Every size is at least 1 and the product of
 * all sizes fits in an {@code int}, so that any tensor of this shape can live in one
 * {@code float[]} and every index into it is an {@code int}: the check is done once, here, with a
 * {@code long} product.
 */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        this.dims = dims;
        this.size = checkedSize(dims);
    }

    /**
     * A shape with the given dimension sizes, outermost first.
     *
     * @param dims the sizes, each at least 1 (copied)
     * @return the shape
     * @throws IllegalArgumentException for no dimension, a size below 1, or more elements than one array holds
     */
    public static Shape of(int... dims) {
        if (dims.length == 0) {
            throw new IllegalArgumentException("a shape needs at least one dimension, found ()");
        }
        return new Shape(dims.clone());
    }

    private static int checkedSize(int[] dims) {
        long product = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 1) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + Arrays.toString(dims)
                        + " must be at least 1, found " + dims[i]);
            }
            product *= dims[i];
            if (product > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than "
                        + Integer.MAX_VALUE + " elements, which does not fit in one float[]");
            }
        }
        return (int) product;
    }

    /**
     * The number of dimensions.
     *
     * @return the rank, at least 1
     */
    public int rank() {
        return dims.length;
    }

    /**
     * The size along {@code axis}, from 0; IndexOutOfBoundsException outside the rank.
     *
     * @param axis the dimension, from 0 (outermost)
     * @return its size
     */
    public int dim(int axis) {
        if (axis < 0 || axis >= dims.length) {
            throw new IndexOutOfBoundsException("axis " + axis + " of shape " + this + " (rank " + dims.length + ")");
        }
        return dims[axis];
    }

    /**
     * The number of elements: the product of all dimension sizes.
     *
     * @return the element count, which fits in an int
     */
    public int size() {
        return size;
    }

    /**
     * The dimension sizes, a copy.
     *
     * @return a new array of the sizes, outermost first
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * This shape with a batch dimension of size {@code batch} put in front.
     *
     * @param batch the size of the new first dimension
     * @return the longer shape
     */
    public Shape withBatch(int batch) {
        int[] d = new int[dims.length + 1];
        d[0] = batch;
        System.arraycopy(dims, 0, d, 1, dims.length);
        return new Shape(d);
    }

    /**
     * This shape without its first (batch) dimension; fails on a rank-1 shape.
     *
     * @return the shorter shape
     * @throws IllegalArgumentException for a shape of rank 1
     */
    public Shape withoutBatch() {
        if (dims.length < 2) {
            throw new IllegalArgumentException("shape " + this + " has no dimension besides the batch");
        }
        return new Shape(Arrays.copyOfRange(dims, 1, dims.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Python tuple notation, as Keras prints shapes: {@code (28, 28, 1)}, {@code (576,)}. */
    @Override
    public String toString() {
        return toTuple(null);
    }

    /**
     * Python tuple notation with {@code batchLabel} as a leading batch dimension, as Keras's
     * {@code summary()} writes output shapes: {@code (None, 26, 26, 6)}.
     *
     * @param batchLabel the leading entry, such as {@code "None"}; none when null
     * @return the tuple text
     */
    public String toTuple(String batchLabel) {
        StringBuilder sb = new StringBuilder("(");
        if (batchLabel != null) {
            sb.append(batchLabel).append(", ");
        }
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims[i]);
        }
        if (dims.length == 1 && batchLabel == null) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }
}
