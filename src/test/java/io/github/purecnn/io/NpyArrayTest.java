package io.github.purecnn.io;

import io.github.purecnn.io.NpyArray.DType;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyArrayTest {

    @Test
    void factoriesCopyAndDescribeTheArray() {
        float[] data = {1, 2, 3, 4, 5, 6};
        NpyArray a = NpyArray.of(data, 2, 3);
        data[0] = 99;
        assertEquals(DType.FLOAT32, a.dtype());
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertEquals(2, a.rank());
        assertEquals(6, a.size());
        assertEquals(24, a.dataBytes());
        assertEquals(1f, a.toFloats()[0], "the factory copied the array");
        a.toFloats()[1] = 99;
        assertEquals(2f, a.toFloats()[1], "accessors return copies");
        assertEquals("float32 array (2, 3)", a.toString());
    }

    @Test
    void scalarsAndEmptyArraysAreAllowed() {
        NpyArray scalar = NpyArray.of(new double[] {2.5});
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.size());
        assertEquals("float64 array ()", scalar.toString());
        NpyArray empty = NpyArray.of(new int[0], 0, 3);
        assertEquals(0, empty.size());
        assertEquals("int32 array (0, 3)", empty.toString());
    }

    @Test
    void factoriesRejectMismatchedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.of(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("(2, 3) needs 6 elements, the array holds 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NpyArray.of(new long[3], 3, -1));
        assertTrue(e.getMessage().contains("dimension 1 of shape (3, -1) must be at least 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NpyArray.ofUint8(new byte[3]));
        assertTrue(e.getMessage().contains("shape () needs 1 elements"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NpyArray.of(new float[1], 1 << 16, 1 << 16, 1 << 16, 1 << 16, 0x7fff_ffff));
        assertTrue(e.getMessage().contains("more than 2147483647 elements"), e.getMessage());
    }

    @Test
    void exactConversionsSucceed() {
        NpyArray u8 = NpyArray.ofUint8(new byte[] {0, 1, (byte) 255}, 3);
        assertArrayEquals(new int[] {0, 1, 255}, u8.toInts());
        assertArrayEquals(new float[] {0, 1, 255}, u8.toFloats());
        assertArrayEquals(new long[] {0, 1, 255}, u8.toLongs());
        assertArrayEquals(new double[] {0, 1, 255}, u8.toDoubles());

        NpyArray labels = NpyArray.of(new double[] {3.0, -0.0, 2147483647.0}, 3);
        assertArrayEquals(new int[] {3, 0, Integer.MAX_VALUE}, labels.toInts());
        assertArrayEquals(new long[] {3, 0, Integer.MAX_VALUE}, labels.toLongs());

        NpyArray ints = NpyArray.of(new int[] {1 << 24, -(1 << 24), 1 << 30}, 3);
        assertArrayEquals(new float[] {1 << 24, -(1 << 24), 1 << 30}, ints.toFloats());
        NpyArray longs = NpyArray.of(new long[] {1L << 53, Long.MIN_VALUE, 7}, 3);
        assertArrayEquals(new double[] {0x1p53, -0x1p63, 7}, longs.toDoubles());
        assertArrayEquals(new int[] {7}, NpyArray.of(new long[] {7}, 1).toInts());

        NpyArray wide = NpyArray.of(new double[] {0.1, Double.NaN, Double.NEGATIVE_INFINITY, 1e-300}, 4);
        assertArrayEquals(new float[] {0.1f, Float.NaN, Float.NEGATIVE_INFINITY, 0f}, wide.toFloats());
    }

    @Test
    void lossyConversionsAreRefusedNamingTheElement() {
        assertRefused(() -> NpyArray.of(new int[] {1, (1 << 24) + 1}, 2).toFloats(),
                "element 1 of int32 array (2,) is 16777217, which does not convert to float32 exactly");
        assertRefused(() -> NpyArray.of(new long[] {Long.MAX_VALUE}, 1).toFloats(), "float32 exactly");
        assertRefused(() -> NpyArray.of(new long[] {Long.MAX_VALUE}, 1).toDoubles(), "float64 exactly");
        assertRefused(() -> NpyArray.of(new long[] {(1L << 53) + 1}, 1).toDoubles(), "9007199254740993");
        assertRefused(() -> NpyArray.of(new double[] {1e39}, 1).toFloats(), "it would become infinite");
        assertRefused(() -> NpyArray.of(new float[] {2.5f}, 1).toInts(), "2.5, which does not convert to int32");
        assertRefused(() -> NpyArray.of(new float[] {Float.NaN}, 1).toLongs(), "NaN");
        assertRefused(() -> NpyArray.of(new double[] {2147483648.0}, 1).toInts(), "int32");
        assertRefused(() -> NpyArray.of(new double[] {0x1p63}, 1).toLongs(), "int64");
        assertRefused(() -> NpyArray.of(new long[] {1L << 31}, 1).toInts(), "int32 (out of range)");
    }

    private static void assertRefused(Runnable conversion, String fragment) {
        ArithmeticException e = assertThrows(ArithmeticException.class, conversion::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void asTensorCopiesFloatDataOfTensorShapes() {
        NpyArray a = NpyArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = a.asTensor();
        assertEquals("Tensor(2, 3)", t.toString());
        assertEquals(6f, t.get(1, 2));
        t.data()[0] = 42;
        assertEquals(1f, a.toFloats()[0], "the tensor holds a copy");
        assertEquals(a.asTensor().shape(), NpyArray.of(t).asTensor().shape());

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> NpyArray.ofUint8(new byte[4], 4).asTensor());
        assertTrue(e.getMessage().contains("needs float32 or float64 data, this array is uint8 array (4,)"),
                e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> NpyArray.of(new float[] {1}).asTensor());
        assertTrue(e.getMessage().contains("rank >= 1"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> NpyArray.of(new float[0], 2, 0).asTensor());
        assertTrue(e.getMessage().contains("float32 array (2, 0)"), e.getMessage());
    }

    @Test
    void equalityComparesDtypeShapeAndBits() {
        assertEquals(NpyArray.of(new float[] {Float.NaN, 1}, 2), NpyArray.of(new float[] {Float.NaN, 1}, 2));
        assertEquals(NpyArray.of(new float[] {Float.NaN, 1}, 2).hashCode(),
                NpyArray.of(new float[] {Float.NaN, 1}, 2).hashCode());
        assertNotEquals(NpyArray.of(new float[] {0f}, 1), NpyArray.of(new float[] {-0f}, 1));
        assertNotEquals(NpyArray.of(new float[] {1, 2}, 2), NpyArray.of(new float[] {1, 2}, 1, 2));
        assertNotEquals(NpyArray.of(new int[] {1, 2}, 2), NpyArray.of(new long[] {1, 2}, 2));
    }

    @Test
    void uint8BytesAreCopiedAndOnlyForUint8() {
        byte[] data = {0, (byte) 200, (byte) 255};
        NpyArray a = NpyArray.ofUint8(data, 3);
        byte[] out = a.toUint8Bytes();
        out[0] = 9;
        org.junit.jupiter.api.Assertions.assertArrayEquals(data, a.toUint8Bytes());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> NpyArray.of(new float[] {1f}, 1).toUint8Bytes());
    }
}
