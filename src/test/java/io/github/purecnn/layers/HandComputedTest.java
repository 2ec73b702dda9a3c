package io.github.purecnn.layers;

import io.github.purecnn.testing.LayerHarness;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Small cases worked out by hand, arithmetic in the comments. All values are small integers or
 * halves and quarters, exact in float, so the comparisons are exact.
 */
class HandComputedTest {

    static Stream<Named<Kernels>> kernels() {
        return TorchReferenceTest.kernels();
    }

    /** x(r, c) = 4r + c + 1: the 4x4 image 1..16, row-major, one channel. */
    private static final float[] ONE_TO_16 = {
            1, 2, 3, 4,
            5, 6, 7, 8,
            9, 10, 11, 12,
            13, 14, 15, 16};

    /**
     * One 3x3 filter with distinct entries, so a flipped or transposed kernel shows:
     * <pre>
     *  1  0  2
     *  0 -1  0
     *  0  3  0
     * </pre>
     * Keras layout (3, 3, 1, 1) is just these nine values in row-major order.
     */
    private static final float[] FILTER = {1, 0, 2, 0, -1, 0, 0, 3, 0};

    private static Conv2D conv(Padding padding, float bias) {
        Conv2D conv = new Conv2D(1, 3).padding(padding);
        conv.build(Shape.of(4, 4, 1), 0, "conv2d", new SplittableRandom(0));
        conv.kernel().set(FILTER);
        conv.parameters().get(1).set(new float[] {bias});
        return conv;
    }

    /**
     * Valid: out(i, j) = x(i, j) + 2 x(i, j+2) - x(i+1, j+1) + 3 x(i+2, j+1) + 0.5
     * (cross-correlation, no flip):
     * out(0,0) = 1 + 2*3 - 6 + 3*10 + 0.5 = 31.5,  out(0,1) = 2 + 2*4 - 7 + 3*11 + 0.5 = 36.5,
     * out(1,0) = 5 + 2*7 - 10 + 3*14 + 0.5 = 51.5, out(1,1) = 6 + 2*8 - 11 + 3*15 + 0.5 = 56.5.
     * Backward with dOut = 1 everywhere:
     * dKernel(r, s) = sum over the 4 outputs of x(i+r, j+s)
     *              = x(r,s) + x(r,s+1) + x(r+1,s) + x(r+1,s+1) = 4(4r+s+1) + 1 + 4 + 5 = 16r + 4s + 14;
     * dBias = 4 outputs * 1 = 4;
     * dIn(y, x) = sum of the filter entries k(y-i, x-j) over the outputs (i, j) whose window holds
     * (y, x): dIn(0,0) = k(0,0) = 1, dIn(1,1) = k(1,1) + k(1,0) + k(0,1) + k(0,0) = -1 + 0 + 0 + 1 = 0,
     * dIn(3,1) = k(2,1) + k(2,0) = 3, and so on.
     */
    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void conv2dValid4x4With3x3Filter(Kernels k) {
        Conv2D conv = conv(Padding.VALID, 0.5f);
        assertEquals(Shape.of(2, 2, 1), conv.outputShape());
        LayerHarness shard = new LayerHarness(conv, k, 1);
        float[] out = new float[4];
        shard.forward(out, ONE_TO_16, 1, false, 0L);
        assertArrayEquals(new float[] {31.5f, 36.5f, 51.5f, 56.5f}, out);

        float[] dIn = new float[16];
        shard.backward(dIn, new float[] {1, 1, 1, 1}, ONE_TO_16, out, 1);
        assertArrayEquals(new float[] {14, 18, 22, 30, 34, 38, 46, 50, 54}, shard.grads()[0]);
        assertArrayEquals(new float[] {4}, shard.grads()[1]);
        assertArrayEquals(new float[] {
                1, 1, 2, 2,
                1, 0, 1, 2,
                0, 2, 2, 0,
                0, 3, 3, 0}, dIn);
    }

    /**
     * Same, stride 1: output 4x4, total padding max(3*1 + 3 - 4, 0) = 2, one row/column on each
     * side, so out(i, j) = x(i-1, j-1) + 2 x(i-1, j+1) - x(i, j) + 3 x(i+1, j) with x = 0 outside:
     * row 0 (nothing above): -x(0,j) + 3x(1,j) = -1+15, -2+18, -3+21, -4+24 = 14, 16, 18, 20;
     * row 1: 0+2*2-5+3*9 = 26, 1+2*3-6+3*10 = 31, 2+2*4-7+3*11 = 36, 3+0-8+3*12 = 31;
     * row 2: 0+2*6-9+3*13 = 42, 5+2*7-10+3*14 = 51, 6+2*8-11+3*15 = 56, 7+0-12+3*16 = 43;
     * row 3 (nothing below): 0+2*10-13 = 7, 9+2*11-14 = 17, 10+2*12-15 = 19, 11+0-16 = -5.
     * The middle 2x2 is the valid output (without its bias).
     */
    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void conv2dSame4x4With3x3Filter(Kernels k) {
        Conv2D conv = conv(Padding.SAME, 0f);
        assertEquals(Shape.of(4, 4, 1), conv.outputShape());
        float[] out = new float[16];
        new LayerHarness(conv, k, 1).forward(out, ONE_TO_16, 1, false, 0L);
        assertArrayEquals(new float[] {
                14, 16, 18, 20,
                26, 31, 36, 31,
                42, 51, 56, 43,
                7, 17, 19, -5}, out);
    }

    /**
     * A 3x3 image with two channels: channel 0 holds 1..9 row-major, channel 1 its negation
     * (NHWC, so the values interleave: 1, -1, 2, -2, ...).
     */
    private static float[] threeByThreeTwoChannels() {
        float[] in = new float[18];
        for (int i = 0; i < 9; i++) {
            in[2 * i] = i + 1;
            in[2 * i + 1] = -(i + 1);
        }
        return in;
    }

    private static <P extends Pooling2D> P pool2x2Same(P pool) {
        pool.padding(Padding.SAME);
        pool.build(Shape.of(3, 3, 2), 0, pool.defaultNamePrefix(), new SplittableRandom(0));
        return pool;
    }

    /**
     * 2x2 windows, strides 2, 'same' on 3x3: output ceil(3/2) = 2, total padding
     * max(1*2 + 2 - 3, 0) = 1, all of it after (bottom, right). Windows: rows {0,1} or {2},
     * columns {0,1} or {2}. On 1..9:
     * <pre>
     * 1 2 3
     * 4 5 6
     * 7 8 9
     * </pre>
     * averages over the cells inside only: (1+2+4+5)/4 = 3, (3+6)/2 = 4.5, (7+8)/2 = 7.5, 9/1 = 9;
     * channel 1 the negatives. Backward with dOut = 1: each cell gets 1 / (cells in its window):
     * 1/4 in the top-left 2x2, 1/2 in the last column and row, 1 in the corner.
     */
    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void averagePooling2x2SameOn3x3AveragesOnlyCellsInside(Kernels k) {
        AveragePooling2D pool = pool2x2Same(new AveragePooling2D(2));
        assertEquals(Shape.of(2, 2, 2), pool.outputShape());
        LayerHarness shard = new LayerHarness(pool, k, 1);
        float[] in = threeByThreeTwoChannels();
        float[] out = new float[8];
        shard.forward(out, in, 1, false, 0L);
        assertArrayEquals(new float[] {3, -3, 4.5f, -4.5f, 7.5f, -7.5f, 9, -9}, out);

        float[] dOut = new float[8];
        java.util.Arrays.fill(dOut, 1f);
        float[] dIn = new float[18];
        shard.backward(dIn, dOut, in, out, 1);
        float q = 0.25f;
        float h = 0.5f;
        assertArrayEquals(new float[] {
                q, q, q, q, h, h,
                q, q, q, q, h, h,
                h, h, h, h, 1, 1}, dIn);
    }

    /**
     * The same windows, maximum instead: channel 0 gives 5, 6, 8, 9. Channel 1 (all negative)
     * gives -1, -3, -7, -9: the padding cells are not candidates, or the partial windows would
     * give 0. Backward with dOut = (10, 20, 30, 40) on channel 0 and (1, 2, 3, 4) on channel 1
     * routes each to its window's maximum: channel 0 to the cells holding 5, 6, 8, 9 (positions
     * 4, 5, 7, 8), channel 1 to those holding -1, -3, -7, -9 (positions 0, 2, 6, 8).
     */
    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void maxPooling2x2SameOn3x3IgnoresPadding(Kernels k) {
        MaxPooling2D pool = pool2x2Same(new MaxPooling2D(2));
        LayerHarness shard = new LayerHarness(pool, k, 1);
        float[] in = threeByThreeTwoChannels();
        float[] out = new float[8];
        shard.forward(out, in, 1, false, 0L);
        assertArrayEquals(new float[] {5, -1, 6, -3, 8, -7, 9, -9}, out);

        float[] dIn = new float[18];
        shard.backward(dIn, new float[] {10, 1, 20, 2, 30, 3, 40, 4}, in, out, 1);
        assertArrayEquals(new float[] {
                0, 1, 0, 0, 0, 2,
                0, 0, 10, 0, 20, 0,
                0, 3, 30, 0, 40, 4}, dIn);
    }
}
