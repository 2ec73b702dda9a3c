package io.github.purecnn.visual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The kernels' weights, checked by convolving hand-made images with them through the library's Conv2D. */
class ClassicKernelTest {
    // 3 x 4, brighter to the right: columns 0, 1, 2, 3 hold 0, 1, 2, 3.
    private static final float[] RAMP = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3};

    @Test
    void verticalEdgesSeeARampToTheRight() {
        // Each output: (-1 - 2 - 1) * left + (1 + 2 + 1) * right = 4 * (right - left) = 4 * 2.
        assertArrayEquals(new float[] {8, 8}, convolve(ClassicKernel.VERTICAL_EDGES, RAMP, 3, 4));
    }

    @Test
    void edgesAreZeroOnALinearRampAndBlurKeepsItsMean() {
        assertArrayEquals(new float[] {0, 0}, convolve(ClassicKernel.EDGES, RAMP, 3, 4), 1e-6f);
        assertArrayEquals(new float[] {1, 2}, convolve(ClassicKernel.BLUR, RAMP, 3, 4), 1e-6f);
        assertArrayEquals(new float[] {1, 2}, convolve(ClassicKernel.SHARPEN, RAMP, 3, 4), 1e-6f);
    }

    /** The image through a one-filter Conv2D without bias whose kernel is the classic kernel. */
    private static float[] convolve(ClassicKernel kernel, float[] image, int height, int width) {
        int size = ClassicKernel.SIZE;
        Sequential conv = new Sequential(0, Shape.of(height, width, 1), new Conv2D(1, size).useBias(false));
        conv.setWeights(List.of(Tensor.of(kernel.weights(), size, size, 1, 1)));
        return conv.predict(Tensor.of(image, height, width, 1)).data();
    }
}
