package io.github.purecnn.io;

import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable n-dimensional array as NumPy stores it in a {@code .npy} file: a {@link DType}, a
 * row-major (C order) shape and the elements in one flat Java array.
 *
 * <p>Unlike {@link Shape}, the shape here may have rank 0 (a scalar, one element) and
 * dimensions of size 0 (an empty array), because NumPy files can hold both. The element count
 * always fits in an {@code int}: each array is one flat Java array.
 *
 * <p>Factories copy the array they are given and accessors return copies, so an instance never
 * changes. The {@code toX()} accessors convert between element types by these rules, and throw
 * {@link ArithmeticException} naming the first element that breaks them rather than return a
 * silently wrong value:
 * <ul>
 *   <li>integers to floating point: only when the value is exactly representable (float32 holds
 *       every integer up to 2<sup>24</sup>, float64 up to 2<sup>53</sup>);</li>
 *   <li>float64 to float32: rounded to nearest, as a cast does, since that is what asking for
 *       float32 means; NaN and infinities are kept, but a finite value beyond the float32 range
 *       (which would become infinite) is refused;</li>
 *   <li>floating point to integers: only values that are whole numbers inside the target range
 *       (class labels saved as {@code 3.0} read fine, {@code 2.5} or NaN do not);</li>
 *   <li>int64 to int32: only values inside the int range; uint8 widens to 0..255 everywhere.</li>
 * </ul>
 */
public final class NpyArray {

    /** The element types purecnn reads and writes, each with NumPy's type code and item size. */
    public enum DType {
        /** 32-bit IEEE float, Java {@code float}. */
        FLOAT32("f4", 4, "float32"),
        /** 64-bit IEEE float, Java {@code double}. */
        FLOAT64("f8", 8, "float64"),
        /** 32-bit signed integer, Java {@code int}. */
        INT32("i4", 4, "int32"),
        /** 64-bit signed integer, Java {@code long}. */
        INT64("i8", 8, "int64"),
        /** 8-bit unsigned integer, held in a Java {@code byte} read as unsigned. */
        UINT8("u1", 1, "uint8");

        private final String code;
        private final int itemSize;
        private final String numpyName;

        DType(String code, int itemSize, String numpyName) {
            this.code = code;
            this.itemSize = itemSize;
            this.numpyName = numpyName;
        }

        /**
         * NumPy's type code without byte order, as in a {@code descr}: {@code f4}, {@code u1}.
         *
         * @return the code
         */
        public String code() {
            return code;
        }

        /**
         * Bytes per element.
         *
         * @return the size of one element in bytes
         */
        public int itemSize() {
            return itemSize;
        }

        /**
         * NumPy's name of the type: {@code float32}, {@code uint8}.
         *
         * @return the name
         */
        public String numpyName() {
            return numpyName;
        }
    }

    private final DType dtype;
    private final int[] shape;
    private final int size;
    // float[], double[], int[], long[] or, for UINT8, byte[] whose bits are read as unsigned;
    // its length is always the product of the shape.
    private final Object data;

    /** Trusted constructor: the caller has checked that {@code data} matches the dtype and shape. */
    NpyArray(DType dtype, int[] shape, int size, Object data) {
        this.dtype = dtype;
        this.shape = shape;
        this.size = size;
        this.data = data;
    }

    /**
     * A float32 array holding a copy of {@code data}; no {@code shape} means a scalar.
     *
     * @param data the elements, row-major
     * @param shape the dimension sizes, outermost first
     * @return the array
     */
    public static NpyArray of(float[] data, int... shape) {
        return new NpyArray(DType.FLOAT32, shape.clone(), checkLength(data.length, shape), data.clone());
    }

    /**
     * A float64 array holding a copy of {@code data}; no {@code shape} means a scalar.
     *
     * @param data the elements, row-major
     * @param shape the dimension sizes, outermost first
     * @return the array
     */
    public static NpyArray of(double[] data, int... shape) {
        return new NpyArray(DType.FLOAT64, shape.clone(), checkLength(data.length, shape), data.clone());
    }

    /**
     * An int32 array holding a copy of {@code data}; no {@code shape} means a scalar.
     *
     * @param data the elements, row-major
     * @param shape the dimension sizes, outermost first
     * @return the array
     */
    public static NpyArray of(int[] data, int... shape) {
        return new NpyArray(DType.INT32, shape.clone(), checkLength(data.length, shape), data.clone());
    }

    /**
     * An int64 array holding a copy of {@code data}; no {@code shape} means a scalar.
     *
     * @param data the elements, row-major
     * @param shape the dimension sizes, outermost first
     * @return the array
     */
    public static NpyArray of(long[] data, int... shape) {
        return new NpyArray(DType.INT64, shape.clone(), checkLength(data.length, shape), data.clone());
    }

    /**
     * A uint8 array holding a copy of {@code data}, whose bytes are read as unsigned: Java's
     * {@code (byte) -1} is the element 255.
     *
     * @param data the elements, row-major
     * @param shape the dimension sizes, outermost first
     * @return the array
     */
    public static NpyArray ofUint8(byte[] data, int... shape) {
        return new NpyArray(DType.UINT8, shape.clone(), checkLength(data.length, shape), data.clone());
    }

    /**
     * A float32 array with the tensor's shape and a copy of its data.
     *
     * @param tensor the tensor to copy
     * @return the array
     */
    public static NpyArray of(Tensor tensor) {
        return of(tensor.data(), tensor.shape().dims());
    }

    /** The number of elements of {@code shape}: 1 for rank 0, 0 if any dimension is 0. */
    private static int checkLength(int length, int[] shape) {
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " of shape " + tuple(shape)
                        + " must be at least 0, found " + shape[i]);
            }
            // Once past the int range no array can match; stop multiplying before a long overflows.
            count = Math.min(count * shape[i], Integer.MAX_VALUE + 1L);
        }
        if (count != length) {
            throw new IllegalArgumentException("shape " + tuple(shape) + " needs "
                    + (count > Integer.MAX_VALUE ? "more than " + Integer.MAX_VALUE : count)
                    + " elements, the array holds " + length);
        }
        return length;
    }

    /**
     * The element type.
     *
     * @return the element type
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * The dimension sizes, outermost first; empty for a scalar. A copy.
     *
     * @return the shape
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The number of dimensions; 0 for a scalar.
     *
     * @return the rank
     */
    public int rank() {
        return shape.length;
    }

    /**
     * The number of elements: the product of the shape (1 for a scalar).
     *
     * @return the element count
     */
    public int size() {
        return size;
    }

    /**
     * Bytes the elements take in a {@code .npy} file.
     *
     * @return the size of the data in bytes
     */
    public long dataBytes() {
        return (long) size * dtype.itemSize();
    }

    /** The backing array, not copied: for the writer, which only reads it. */
    Object rawData() {
        return data;
    }

    /**
     * The elements of a uint8 array as a new {@code byte[]}, one byte per element: read each as
     * {@code b & 0xFF}. A quarter of what {@link #toInts()} takes, for image data.
     *
     * @return a new array of the elements
     * @throws IllegalStateException if the dtype is not uint8
     */
    public byte[] toUint8Bytes() {
        if (dtype != DType.UINT8) {
            throw new IllegalStateException("toUint8Bytes() needs a uint8 array, this array is " + this);
        }
        return ((byte[]) data).clone();
    }

    /**
     * The elements as float32, converted by the rules in the class comment.
     *
     * @return a new array of the elements
     */
    public float[] toFloats() {
        float[] out = new float[size];
        switch (dtype) {
            case FLOAT32 -> System.arraycopy(data, 0, out, 0, size);
            case FLOAT64 -> {
                double[] d = (double[]) data;
                for (int i = 0; i < size; i++) {
                    float f = (float) d[i];
                    if (Float.isInfinite(f) && !Double.isInfinite(d[i])) {
                        throw notRepresentable(i, Double.toString(d[i]), "float32 (it would become infinite)");
                    }
                    out[i] = f;
                }
            }
            case INT32 -> {
                int[] d = (int[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = d[i];
                    // Both sides are exact in double, so this compares the true values.
                    if ((double) out[i] != (double) d[i]) {
                        throw notRepresentable(i, Integer.toString(d[i]), "float32 exactly");
                    }
                }
            }
            case INT64 -> {
                long[] d = (long[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = d[i];
                    // 2^63 itself is out of the long range; the cast back would saturate and lie.
                    if (out[i] == 0x1p63f || (long) out[i] != d[i]) {
                        throw notRepresentable(i, Long.toString(d[i]), "float32 exactly");
                    }
                }
            }
            case UINT8 -> {
                byte[] d = (byte[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = d[i] & 0xFF;
                }
            }
        }
        return out;
    }

    /**
     * The elements as float64, converted by the rules in the class comment.
     *
     * @return a new array of the elements
     */
    public double[] toDoubles() {
        double[] out = new double[size];
        switch (dtype) {
            case FLOAT32 -> {
                float[] d = (float[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = d[i];
                }
            }
            case FLOAT64 -> System.arraycopy(data, 0, out, 0, size);
            case INT32 -> {
                int[] d = (int[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = d[i];
                }
            }
            case INT64 -> {
                long[] d = (long[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = d[i];
                    if (out[i] == 0x1p63 || (long) out[i] != d[i]) {
                        throw notRepresentable(i, Long.toString(d[i]), "float64 exactly");
                    }
                }
            }
            case UINT8 -> {
                byte[] d = (byte[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = d[i] & 0xFF;
                }
            }
        }
        return out;
    }

    /**
     * The elements as int32, converted by the rules in the class comment.
     *
     * @return a new array of the elements
     */
    public int[] toInts() {
        int[] out = new int[size];
        switch (dtype) {
            case FLOAT32, FLOAT64 -> {
                for (int i = 0; i < size; i++) {
                    double v = floatingAt(i);
                    if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                        throw notRepresentable(i, Double.toString(v), "int32 (not a whole number in range)");
                    }
                    out[i] = (int) v;
                }
            }
            case INT32 -> System.arraycopy(data, 0, out, 0, size);
            case INT64 -> {
                long[] d = (long[]) data;
                for (int i = 0; i < size; i++) {
                    if (d[i] < Integer.MIN_VALUE || d[i] > Integer.MAX_VALUE) {
                        throw notRepresentable(i, Long.toString(d[i]), "int32 (out of range)");
                    }
                    out[i] = (int) d[i];
                }
            }
            case UINT8 -> {
                byte[] d = (byte[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = d[i] & 0xFF;
                }
            }
        }
        return out;
    }

    /**
     * The elements as int64, converted by the rules in the class comment.
     *
     * @return a new array of the elements
     */
    public long[] toLongs() {
        long[] out = new long[size];
        switch (dtype) {
            case FLOAT32, FLOAT64 -> {
                for (int i = 0; i < size; i++) {
                    double v = floatingAt(i);
                    // -2^63 is a long, 2^63 is not: the upper bound is exclusive.
                    if (v != Math.rint(v) || v < -0x1p63 || v >= 0x1p63) {
                        throw notRepresentable(i, Double.toString(v), "int64 (not a whole number in range)");
                    }
                    out[i] = (long) v;
                }
            }
            case INT32 -> {
                int[] d = (int[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = d[i];
                }
            }
            case INT64 -> System.arraycopy(data, 0, out, 0, size);
            case UINT8 -> {
                byte[] d = (byte[]) data;
                for (int i = 0; i < size; i++) {
                    out[i] = d[i] & 0xFF;
                }
            }
        }
        return out;
    }

    /**
     * A new {@link Tensor} of this shape holding the elements as float32 ({@link #toFloats()}
     * rules): a copy, so the tensor may be written without changing this array.
     *
     * @return the tensor
     * @throws IllegalStateException if the dtype is not float32 or float64, or the shape is not
     *     one a tensor can have (rank 0, or a dimension of size 0)
     */
    public Tensor asTensor() {
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalStateException("a tensor needs float32 or float64 data, this array is " + this
                    + "; convert it explicitly with toFloats()");
        }
        if (shape.length == 0 || size == 0) {
            throw new IllegalStateException("a tensor needs rank >= 1 and no dimension of size 0, this array is "
                    + this);
        }
        return new Tensor(Shape.of(shape), toFloats());
    }

    private double floatingAt(int i) {
        return dtype == DType.FLOAT32 ? ((float[]) data)[i] : ((double[]) data)[i];
    }

    private ArithmeticException notRepresentable(int index, String value, String target) {
        return new ArithmeticException("element " + index + " of " + this + " is " + value
                + ", which does not convert to " + target);
    }

    /** Python tuple notation, as NumPy writes shapes: {@code ()}, {@code (3,)}, {@code (3, 4)}. */
    static String tuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i]);
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    /** Equal when dtype, shape and every element's bits are equal (so NaN equals NaN, 0.0 not -0.0). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NpyArray a) || dtype != a.dtype || !Arrays.equals(shape, a.shape)) {
            return false;
        }
        return switch (dtype) {
            case FLOAT32 -> Arrays.equals((float[]) data, (float[]) a.data);
            case FLOAT64 -> Arrays.equals((double[]) data, (double[]) a.data);
            case INT32 -> Arrays.equals((int[]) data, (int[]) a.data);
            case INT64 -> Arrays.equals((long[]) data, (long[]) a.data);
            case UINT8 -> Arrays.equals((byte[]) data, (byte[]) a.data);
        };
    }

    @Override
    public int hashCode() {
        int h = switch (dtype) {
            case FLOAT32 -> Arrays.hashCode((float[]) data);
            case FLOAT64 -> Arrays.hashCode((double[]) data);
            case INT32 -> Arrays.hashCode((int[]) data);
            case INT64 -> Arrays.hashCode((long[]) data);
            case UINT8 -> Arrays.hashCode((byte[]) data);
        };
        return Objects.hash(dtype, Arrays.hashCode(shape), h);
    }

    /** The dtype and shape, for messages: {@code float32 array (3, 4)}. */
    @Override
    public String toString() {
        return dtype.numpyName() + " array " + tuple(shape);
    }
}
