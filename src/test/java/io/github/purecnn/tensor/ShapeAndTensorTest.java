package io.github.purecnn.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapeAndTensorTest {

    private static void assertFailsMentioning(Class<? extends Throwable> type, Executable e, String... parts) {
        String message = assertThrows(type, e).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "message \"" + message + "\" should mention \"" + part + "\"");
        }
    }

    /**
     * 65536 * 65536 = 2^32 wraps to 0 in int arithmetic; the size is a long product, checked
     * against Integer.MAX_VALUE after every factor.
     */
    @Test
    void sizeOverflowIsCaughtWithALongProduct() {
        assertFailsMentioning(IllegalArgumentException.class, () -> Shape.of(65536, 65536),
                "[65536, 65536]", "more than 2147483647 elements");
        assertFailsMentioning(IllegalArgumentException.class, () -> Shape.of(3, 1 << 30),
                "more than 2147483647 elements");
        assertEquals(Integer.MAX_VALUE, Shape.of(Integer.MAX_VALUE, 1).size());
    }

    @Test
    void everyDimensionIsAtLeastOne() {
        assertFailsMentioning(IllegalArgumentException.class, () -> Shape.of(4, 0, 2), "dimension 1", "[4, 0, 2]", "found 0");
        assertFailsMentioning(IllegalArgumentException.class, () -> Shape.of(-3), "found -3");
        assertFailsMentioning(IllegalArgumentException.class, Shape::of, "at least one dimension");
    }

    @Test
    void tupleFormattingAsKerasPrintsIt() {
        assertEquals("(28, 28, 1)", Shape.of(28, 28, 1).toString());
        assertEquals("(576,)", Shape.of(576).toString());
        assertEquals("(None, 26, 26, 6)", Shape.of(26, 26, 6).toTuple("None"));
        assertEquals("(None, 10)", Shape.of(10).toTuple("None"));
    }

    @Test
    void batchDimension() {
        Shape s = Shape.of(13, 13, 6);
        assertEquals(Shape.of(64, 13, 13, 6), s.withBatch(64));
        assertEquals(s, s.withBatch(64).withoutBatch());
        assertFailsMentioning(IllegalArgumentException.class, () -> Shape.of(5).withoutBatch(), "(5,)", "no dimension besides the batch");
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> s.dim(3), "axis 3", "(13, 13, 6)");
    }

    @Test
    void shapesAreImmutableValues() {
        int[] dims = {2, 3};
        Shape s = Shape.of(dims);
        dims[0] = 9;
        s.dims()[1] = 9;
        assertArrayEquals(new int[] {2, 3}, s.dims());
        assertEquals(Shape.of(2, 3), s);
        assertEquals(Shape.of(2, 3).hashCode(), s.hashCode());
        assertNotEquals(Shape.of(3, 2), s);
    }

    @Test
    void reshapeSharesTheArrayAndChangesOnlyTheShape() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor r = t.reshape(3, 2);
        assertSame(t.data(), r.data());
        assertEquals(Shape.of(3, 2), r.shape());
        t.data()[5] = 60;
        assertEquals(60, r.get(2, 1));
        assertFailsMentioning(IllegalArgumentException.class, () -> t.reshape(4, 2), "(2, 3)", "6 elements", "(4, 2)", "8 elements");
    }

    @Test
    void constructionChecksTheArrayLength() {
        assertFailsMentioning(IllegalArgumentException.class, () -> Tensor.of(new float[5], 2, 3), "(2, 3)", "needs 6 floats", "holds 5");
        assertEquals(12, Tensor.zeros(2, 3, 2).data().length);
    }

    @Test
    void batchAndSlices() {
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 4, 2);
        assertEquals(4, t.batchSize());
        assertEquals(2, t.sampleSize());
        Tensor s = t.slice(1, 2);
        assertArrayEquals(new float[] {2, 3, 4, 5}, s.data());
        s.data()[0] = 99;
        assertEquals(2, t.get(1, 0), "a slice is a copy");
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> t.slice(3, 2), "[3, 5)", "(4, 2)");
    }

    @Test
    void elementAccessIsRowMajorAndChecked() {
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 3, 2);
        assertEquals(9, t.get(1, 1, 1));
        assertFailsMentioning(IndexOutOfBoundsException.class, () -> t.get(0, 3, 0), "index 3 on axis 1", "(2, 3, 2)");
        assertFailsMentioning(IllegalArgumentException.class, () -> t.get(0, 0), "rank 2", "(2, 3, 2)");
    }
}
