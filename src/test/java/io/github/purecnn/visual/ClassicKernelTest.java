package io.github.purecnn.visual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClassicKernelTest {
    // 3 x 4, brighter to the right: columns 0, 1, 2, 3 hold 0, 1, 2, 3.
    private static final float[] RAMP = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3};

    @Test
    void verticalEdgesSeeARampToTheRight() {
        // Each output: (-1 - 2 - 1) * left + (1 + 2 + 1) * right = 4 * (right - left) = 4 * 2.
        assertArrayEquals(new float[] {8, 8}, ClassicKernel.VERTICAL_EDGES.apply(RAMP, 3, 4));
    }

    @Test
    void edgesAreZeroOnALinearRampAndBlurKeepsItsMean() {
        assertArrayEquals(new float[] {0, 0}, ClassicKernel.EDGES.apply(RAMP, 3, 4), 1e-6f);
        assertArrayEquals(new float[] {1, 2}, ClassicKernel.BLUR.apply(RAMP, 3, 4), 1e-6f);
        assertArrayEquals(new float[] {1, 2}, ClassicKernel.SHARPEN.apply(RAMP, 3, 4), 1e-6f);
    }

    @Test
    void tooSmallAnImageIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassicKernel.BLUR.apply(new float[4], 2, 2));
        assertTrue(e.getMessage().contains("expected at least 3 x 3 for a 3 x 3 kernel, found 2 x 2"), e.getMessage());
    }
}
