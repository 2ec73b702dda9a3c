package io.github.purecnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.purecnn.kernels.conv.ConvPlan;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A 4x4 single-channel image, one 3x3 filter, 'valid' padding: results worked out by hand. */
class HandComputedConvTest {

    static Stream<Kernels> implementations() {
        return Stream.of(new ReferenceKernels(), new JavaKernels(), KernelsProvider.vector());
    }

    private static ConvPlan plan(Kernels k) {
        return k.conv(G, 1);
    }

    private static float[] packed(ConvPlan plan) {
        float[] packed = new float[plan.packedSize()];
        plan.pack(packed, KERNEL);
        return packed;
    }

    private static Scratch scratch(ConvPlan plan) {
        return new Scratch(plan, 1);
    }

    // in[y][x] = 4y + x + 1:
    //    1  2  3  4
    //    5  6  7  8
    //    9 10 11 12
    //   13 14 15 16
    private static final float[] IN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    // The filter (R, S, C=1, K=1) is 1 at (0,0), 2 at (1,1), -1 at (2,2), zero elsewhere.
    private static final float[] KERNEL = {1, 0, 0, 0, 2, 0, 0, 0, -1};
    private static final Window2D G = Window2D.of(4, 4, 1, 3, 3, 1, 1, false);

    @ParameterizedTest
    @MethodSource("implementations")
    void forward(Kernels k) {
        // out[oy][ox] = in[oy][ox] + 2 * in[oy+1][ox+1] - in[oy+2][ox+2] + 0.5:
        //   (0,0): 1 + 2*6  - 11 + 0.5 =  2.5     (0,1): 2 + 2*7  - 12 + 0.5 =  4.5
        //   (1,0): 5 + 2*10 - 15 + 0.5 = 10.5     (1,1): 6 + 2*11 - 16 + 0.5 = 12.5
        float[] out = new float[4];
        ConvPlan p = plan(k);
        p.forward(out, IN, KERNEL, packed(p), new float[] {0.5f}, false, 1, scratch(p));
        assertArrayEquals(new float[] {2.5f, 4.5f, 10.5f, 12.5f}, out, k.name());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void backwardParams(Kernels k) {
        // With dOut all ones, dKernel[r][s] is the sum of the 2x2 block of in at (r, s):
        //   in[r][s] + in[r][s+1] + in[r+1][s] + in[r+1][s+1] = 4(4r + s + 1) + 1 + 4 + 5 = 16r + 4s + 14,
        // written over the 100 already there; dBias is the sum of the four ones, written over 1.
        float[] dKernel = new float[9];
        java.util.Arrays.fill(dKernel, 100f);
        float[] dBias = {1f};
        ConvPlan p = plan(k);
        p.backwardParams(dKernel, dBias, new float[] {1, 1, 1, 1}, IN, 1, scratch(p));
        assertArrayEquals(new float[] {14, 18, 22, 30, 34, 38, 46, 50, 54}, dKernel, k.name());
        assertArrayEquals(new float[] {4f}, dBias, k.name());
    }

    @ParameterizedTest
    @MethodSource("implementations")
    void backwardInput(Kernels k) {
        // dOut = {1, 0, 0, 0}: only output (0,0) has a gradient, so dIn is the filter placed at (0,0):
        // 1 at (0,0), 2 at (1,1), -1 at (2,2), zero elsewhere (pre-filled garbage is overwritten).
        float[] dIn = new float[16];
        java.util.Arrays.fill(dIn, 7f);
        ConvPlan p = plan(k);
        p.backwardInput(dIn, new float[] {1, 0, 0, 0}, KERNEL, packed(p), 1, scratch(p));
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 2, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0}, dIn, k.name());
    }
}
