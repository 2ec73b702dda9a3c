package io.github.purecnn.kernels.image;

import io.github.purecnn.image.FillMode;
import io.github.purecnn.image.Interpolation;
import io.github.purecnn.testing.Fixture;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image package against PyTorch references ({@code fixtures/image_transforms.txt}, where
 * PyTorch computes TensorFlow's functions: see its script), fill modes against Keras's pictures
 * and TensorFlow's formulas, and the arguments refused.
 */
class ImageTransformsTest {
    private static final Fixture F = Fixture.load("image_transforms.txt");
    /**
     * The references are float64; the library rounds every operation to float32 (sampling points
     * included), about 1e-7 relative on values of about 1, a few of which add up in a gradient.
     */
    private static final float TOLERANCE = 2e-6f;

    private static void assertClose(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, what + "[" + i + "]");
        }
    }

    private static void resizeCase(String prefix, Interpolation interpolation) {
        int[] in = F.shape(prefix + "_input").dims();
        int[] out = F.shape(prefix + "_output").dims();
        Resize r = Resize.of(interpolation, in[1], in[2], in[3], out[1], out[2]);
        float[] x = F.floats(prefix + "_input");
        float[] y = new float[out[0] * r.outputSize()];
        float[] dx = new float[x.length];
        for (int b = 0; b < in[0]; b++) {
            r.forward(y, b * r.outputSize(), x, b * r.inputSize());
            r.backward(dx, b * r.inputSize(), F.floats(prefix + "_w"), b * r.outputSize());
        }
        assertClose(F.doubles(prefix + "_output"), y, prefix + " output");
        assertClose(F.doubles(prefix + "_d_input"), dx, prefix + " input gradient");
    }

    @Test
    void resizesMatchTheReference() {
        resizeCase("bilinear_down", Interpolation.BILINEAR);
        resizeCase("bilinear_up", Interpolation.BILINEAR);
        resizeCase("nearest", Interpolation.NEAREST);
    }

    private static void affineCase(String prefix, FillMode fill) {
        int[] dims = F.shape(prefix + "_input").dims();
        ProjectiveTransform sampler = new ProjectiveTransform(dims[0], dims[1], dims[2], fill, Interpolation.BILINEAR, 0f);
        float[] t = F.floats(prefix + "_transform");
        float[] x = F.floats(prefix + "_input");
        float[] y = new float[x.length];
        sampler.forward(y, 0, x, 0, t, 0);
        assertClose(F.doubles(prefix + "_output"), y, prefix + " output");
        float[] dx = new float[x.length];
        sampler.backward(dx, 0, F.floats(prefix + "_w"), 0, t, 0);
        assertClose(F.doubles(prefix + "_d_input"), dx, prefix + " input gradient");
    }

    @Test
    void affineSamplingMatchesTheReference() {
        affineCase("affine_zeros", FillMode.CONSTANT);
        affineCase("affine_border", FillMode.NEAREST);
    }

    /**
     * Keras's pictures on a row of 4, (a b c d) at 0..3: reflect (d c b a | a b c d | d c b a):
     * -1 -> 0, -4 -> 3, -5 -> 3, 4 -> 3, 7 -> 0, 9 -> 1 (period 8); nearest clamps; constant
     * leaves the point. Wrap follows TensorFlow's formula: -1 -> -1 + 4 (trunc(1/3) + 1) = 3,
     * -2 -> 2, 4 -> 4 - 4 trunc(4/3) = 0, 5 -> 1, the periodic (a b c d | a b c d) within
     * (-3, 6); -3 -> -3 + 8 = 5, clamped to 3 (periodic would be 1), 3.5 -> 3.5 - 4 -> clamped to 0.
     * Fractions: reflect -0.5 -> -0.5 -> clamped 0; an axis of one pixel maps everything to 0.
     */
    @Test
    void fillModesMapPointsAsKerasPicturesThem() {
        float[] points = {-1, -4, -5, 4, 7, 9, 2.5f};
        assertArrayEquals(new float[] {0, 3, 3, 3, 0, 1, 2.5f}, map(FillMode.REFLECT, points, 4));
        assertArrayEquals(new float[] {0, 0, 0, 3, 3, 3, 2.5f}, map(FillMode.NEAREST, points, 4));
        assertArrayEquals(points, map(FillMode.CONSTANT, points, 4));
        assertArrayEquals(new float[] {3, 2, 0, 1, 3, 0}, map(FillMode.WRAP, new float[] {-1, -2, 4, 5, -3, 3.5f}, 4));
        assertArrayEquals(new float[] {0}, map(FillMode.REFLECT, new float[] {-0.5f}, 4));
        for (FillMode m : new FillMode[] {FillMode.REFLECT, FillMode.WRAP, FillMode.NEAREST}) {
            assertArrayEquals(new float[] {0, 0}, map(m, new float[] {-2.5f, 7}, 1), m.kerasName());
        }
    }

    private static float[] map(FillMode mode, float[] points, int len) {
        float[] out = new float[points.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ProjectiveTransform.map(mode, points[i], len);
        }
        return out;
    }

    /**
     * C's round: halves away from zero (Java's Math.round takes -0.5 to 0). 0.49999997 + 0.5 would
     * round to 1 in float, which is why the sum is taken in double.
     */
    @Test
    void nearestRoundsHalvesAwayFromZeroAsC() {
        assertArrayEquals(new float[] {1, -1, 3, -3, 0, 1, 4194305},
                new float[] {ProjectiveTransform.roundHalfAway(0.5f), ProjectiveTransform.roundHalfAway(-0.5f),
                        ProjectiveTransform.roundHalfAway(2.5f), ProjectiveTransform.roundHalfAway(-2.5f),
                        ProjectiveTransform.roundHalfAway(0.49999997f), ProjectiveTransform.roundHalfAway(0.50000006f),
                        ProjectiveTransform.roundHalfAway(4194304.5f)});
    }

    /** A transform whose projective divisor is 0 (c0 x + c1 y + 1 = 0 at x = 1) reads the fill value there. */
    @Test
    void aPointAtInfinityReadsTheFillValue() {
        ProjectiveTransform sampler = new ProjectiveTransform(1, 3, 1, FillMode.REFLECT, Interpolation.BILINEAR, 7f);
        float[] out = new float[3];
        sampler.forward(out, 0, new float[] {1, 2, 3}, 0, new float[] {1, 0, 0, 0, 1, 0, -1, 0}, 0);
        assertEquals(7f, out[1]);
        assertEquals(1f, out[0], "x = 0: divisor 1, reads pixel 0");
        float[] dIn = new float[3];
        sampler.backward(dIn, 0, new float[] {1, 1, 1}, 0, new float[] {1, 0, 0, 0, 1, 0, -1, 0}, 0);
        assertEquals(1f, dIn[0], "only x = 0 reads a pixel");
    }

    @Test
    void badSizesAndWindowsAreRefused() {
        assertMessage(() -> Resize.of(Interpolation.BILINEAR, 0, 4, 1, 2, 2), "at least 1", "0x4x1");
        assertMessage(() -> Resize.window(Interpolation.BILINEAR, 4, 4, 1, new int[] {2, 0, 3, 4}, 2, 2),
                "window [2, 0, 3, 4]", "4x4 image");
        assertMessage(() -> new ProjectiveTransform(4, 0, 1, FillMode.WRAP, Interpolation.NEAREST, 0), "4x0x1");
        assertMessage(() -> FillMode.fromKerasName("mirror"), "'reflect', 'wrap', 'constant' or 'nearest'", "'mirror'");
        assertMessage(() -> Interpolation.fromKerasName("bicubic"), "'bilinear' or 'nearest'", "'bicubic'");
    }

    /**
     * Keras's crop_to_aspect_ratio box for a 3x5 image and a 2x2 target: 3x3, centred: columns
     * (int) ((5 - 3) / 2f) = 1; for 7x4 to 1x2: 2 rows ((int) (4 * 1 / 2f)), from row 2.
     */
    @Test
    void aspectRatioCropsAreCentred() {
        assertArrayEquals(new int[] {0, 1, 3, 3}, Resize.aspectRatioCrop(3, 5, 2, 2));
        assertArrayEquals(new int[] {2, 0, 2, 4}, Resize.aspectRatioCrop(7, 4, 1, 2));
    }

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "'" + p + "' in: " + e.getMessage());
        }
    }
}
