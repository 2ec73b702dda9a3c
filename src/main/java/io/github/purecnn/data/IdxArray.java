package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;

import java.nio.ByteBuffer;

/**
 * The contents of one IDX file: an element type, a shape, and the elements in row-major order.
 *
 * <p>The elements are kept exactly as the file stores them, big-endian bytes, so that a file of
 * unsigned bytes (all of MNIST) costs one byte per element in memory; the typed accessors decode
 * on demand into a new array. Which accessors a type allows:
 * <table>
 *   <caption>accessors per element type</caption>
 *   <tr><th>type</th><th>{@link #bytes}</th><th>{@link #toInts}</th><th>{@link #toFloats}, {@link #toDoubles}</th></tr>
 *   <tr><td>unsigned byte, signed byte</td><td>yes</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>short, int</td><td>no</td><td>yes</td><td>yes</td></tr>
 *   <tr><td>float, double</td><td>no</td><td>no</td><td>yes</td></tr>
 * </table>
 * Asking for a representation the type does not allow throws {@link IllegalStateException}.
 */
public final class IdxArray {
    private final IdxType type;
    private final Shape shape;
    private final byte[] raw;

    /** {@code raw} holds exactly {@code shape.size() * type.elementBytes()} bytes, big-endian. */
    IdxArray(IdxType type, Shape shape, byte[] raw) {
        this.type = type;
        this.shape = shape;
        this.raw = raw;
    }

    /**
     * The element type from the file's header.
     *
     * @return the type
     */
    public IdxType type() {
        return type;
    }

    /**
     * The dimension sizes from the file's header, outermost first.
     *
     * @return the shape
     */
    public Shape shape() {
        return shape;
    }

    /**
     * The number of elements.
     *
     * @return the element count
     */
    public int size() {
        return shape.size();
    }

    /**
     * The elements of a byte file, shared with this array, not copied (a 47 MB image file is not
     * duplicated). For {@link IdxType#UNSIGNED_BYTE} read each element as {@code b & 0xFF}.
     *
     * @return the elements as the file stores them
     * @throws IllegalStateException if the elements are wider than one byte
     */
    public byte[] bytes() {
        if (type != IdxType.UNSIGNED_BYTE && type != IdxType.SIGNED_BYTE) {
            throw wrongType("bytes()", "unsigned or signed byte");
        }
        return raw;
    }

    /**
     * The elements as a new {@code int[]}: unsigned bytes as 0 to 255, the other integer types
     * with their sign. Exact.
     *
     * @return a new array of the elements
     * @throws IllegalStateException if the elements are float or double
     */
    public int[] toInts() {
        int n = size();
        int[] out = new int[n];
        switch (type) {
            case UNSIGNED_BYTE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = raw[i] & 0xFF;
                }
            }
            case SIGNED_BYTE -> {
                for (int i = 0; i < n; i++) {
                    out[i] = raw[i];
                }
            }
            case SHORT -> {
                ByteBuffer b = ByteBuffer.wrap(raw);
                for (int i = 0; i < n; i++) {
                    out[i] = b.getShort(2 * i);
                }
            }
            case INT -> ByteBuffer.wrap(raw).asIntBuffer().get(out);
            default -> throw wrongType("toInts()", "an integer type");
        }
        return out;
    }

    /**
     * The elements as a new {@code float[]}, by value (unsigned bytes become 0 to 255, not
     * scaled). Exact except for ints beyond 2^24 and doubles, which round to the nearest float.
     *
     * @return a new array of the elements
     */
    public float[] toFloats() {
        int n = size();
        float[] out = new float[n];
        switch (type) {
            case FLOAT -> ByteBuffer.wrap(raw).asFloatBuffer().get(out);
            case DOUBLE -> {
                ByteBuffer b = ByteBuffer.wrap(raw);
                for (int i = 0; i < n; i++) {
                    out[i] = (float) b.getDouble(8 * i);
                }
            }
            default -> {
                int[] ints = toInts();
                for (int i = 0; i < n; i++) {
                    out[i] = ints[i];
                }
            }
        }
        return out;
    }

    /**
     * The elements as a new {@code double[]}, by value; exact for every type.
     *
     * @return a new array of the elements
     */
    public double[] toDoubles() {
        int n = size();
        double[] out = new double[n];
        switch (type) {
            case DOUBLE -> ByteBuffer.wrap(raw).asDoubleBuffer().get(out);
            case FLOAT -> {
                ByteBuffer b = ByteBuffer.wrap(raw);
                for (int i = 0; i < n; i++) {
                    out[i] = b.getFloat(4 * i);
                }
            }
            default -> {
                int[] ints = toInts();
                for (int i = 0; i < n; i++) {
                    out[i] = ints[i];
                }
            }
        }
        return out;
    }

    private IllegalStateException wrongType(String accessor, String allowed) {
        return new IllegalStateException(accessor + " needs " + allowed + " elements, this IDX array holds "
                + type + " elements of shape " + shape);
    }

    @Override
    public String toString() {
        return "IdxArray(" + type + ", " + shape + ")";
    }
}
