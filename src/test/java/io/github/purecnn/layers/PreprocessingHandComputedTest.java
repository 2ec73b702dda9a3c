package io.github.purecnn.layers;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.image.FillMode;
import io.github.purecnn.image.Interpolation;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.github.purecnn.testing.LayerHarness;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each preprocessing and augmentation layer on a small image worked out by hand, in training
 * unless said otherwise. Random layers take the draws of a stated noise seed (asserted here
 * against the stream, so that the worked case states its draw), or a range that leaves one value
 * to draw ({@code uniform(a, a) = a + 0 * u = a}). Images are written row by row, one channel.
 */
class PreprocessingHandComputedTest {

    /** The layer built for {@code dims} and run forward over the n images in {@code in}. */
    private static float[] forward(Layer layer, boolean training, long noiseSeed, float[] in, int... dims) {
        LayerGradientTest.build(layer, dims);
        int n = in.length / layer.inputShape().size();
        float[] out = new float[n * layer.outputShape().size()];
        new LayerHarness(layer, new ReferenceKernels(), n).forward(out, in, n, training, noiseSeed);
        return out;
    }

    /** Forward in training, then backward of {@code dOut}: the input gradient. */
    private static float[] inputGradient(Layer layer, long noiseSeed, float[] in, float[] dOut, int... dims) {
        LayerGradientTest.build(layer, dims);
        int n = in.length / layer.inputShape().size();
        float[] out = new float[n * layer.outputShape().size()];
        LayerHarness h = new LayerHarness(layer, new ReferenceKernels(), n);
        h.forward(out, in, n, true, noiseSeed);
        float[] dIn = new float[in.length];
        h.backward(dIn, dOut, in, out, n);
        return dIn;
    }

    /** in[y][x] = 4y + x on a 4x4 image: 0 .. 15. */
    private static float[] ramp4x4() {
        float[] a = new float[16];
        for (int i = 0; i < 16; i++) {
            a[i] = i;
        }
        return a;
    }

    /**
     * x * 0.5 + 1: 2 -> 2, -4 -> -1, 3 -> 2.5. Rescaling(1 / 255.0, -0.5): the float nearest 1/255 is
     * 0.0039215689; 255 times it rounds to 1, so 255 -> 0.5 and 0 -> -0.5. Gradient: g * 0.5.
     */
    @Test
    void rescaling() {
        assertArrayEquals(new float[] {2, -1, 2.5f}, forward(new Rescaling(0.5, 1), false, 0, new float[] {2, -4, 3}, 3));
        assertArrayEquals(new float[] {0.5f, -0.5f}, forward(new Rescaling(1 / 255.0, -0.5), true, 0,
                new float[] {255, 0}, 2));
        assertArrayEquals(new float[] {0.5f, -1, 2}, inputGradient(new Rescaling(0.5, 1), 0, new float[3],
                new float[] {1, -2, 4}, 3));
    }

    private static Dataset features(float[][] rows) {
        float[] x = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, x, i * rows[0].length, rows[0].length);
        }
        return Dataset.of(new Tensor(Shape.of(rows.length, rows[0].length), x), new int[rows.length], 1);
    }

    /**
     * Keras's documented examples. Adapted with axis None to 1..5: mean 3, variance (4+1+0+1+4)/5
     * = 2, sqrt(2) = 1.4142135 in float, so 1, 2, 3 -> -2 / 1.4142135 = -1.4142135,
     * -1 / 1.4142135 = -0.70710677 and 0 (Keras prints the same). Adapted per feature to rows
     * (0, 7, 4), (2, 9, 6) twice: means (1, 8, 5), variances (1, 1, 1), so (0, 7, 4) -> (-1, -1, -1),
     * and inverted (1, 2, 3) -> (1 * 1 + 1, 2 * 1 + 8, 3 * 1 + 5) = (2, 10, 8). Given mean 3 and
     * variance 2: as the first. A zero variance divides by epsilon, 1e-7: 3 -> (3 - 1) / 1e-7.
     * Gradient: g / sqrt(variance).
     */
    @Test
    void normalization() {
        Normalization all = new Normalization().axis().adapt(features(new float[][] {{1}, {2}, {3}, {4}, {5}}));
        assertArrayEquals(new float[] {-1.4142135f, -0.70710677f, 0}, forward(all, false, 0, new float[] {1, 2, 3}, 1));
        assertArrayEquals(new float[] {3}, all.mean().value());
        assertArrayEquals(new float[] {2}, all.variance().value());

        Dataset rows = features(new float[][] {{0, 7, 4}, {2, 9, 6}, {0, 7, 4}, {2, 9, 6}});
        assertArrayEquals(new float[] {-1, -1, -1}, forward(new Normalization().adapt(rows), false, 0,
                new float[] {0, 7, 4}, 3));
        assertArrayEquals(new float[] {2, 10, 8}, forward(new Normalization().invert(true).adapt(rows), false, 0,
                new float[] {1, 2, 3}, 3));
        assertArrayEquals(new float[] {-1.4142135f, -0.70710677f, 0}, forward(new Normalization()
                .meanAndVariance(new double[] {3}, new double[] {2}), true, 0, new float[] {1, 2, 3}, 1));
        assertArrayEquals(new float[] {2e7f}, forward(new Normalization().meanAndVariance(new double[] {1},
                new double[] {0}), false, 0, new float[] {3}, 1));
        assertArrayEquals(new float[] {2, -0.5f}, inputGradient(new Normalization().meanAndVariance(new double[] {9, 9},
                new double[] {1, 4}), 0, new float[2], new float[] {2, -1}, 2));
    }

    /**
     * A 1x2 image with two channels; axis (2, 3) keeps the columns and the channels, statistics of
     * shape (2, 2). The given mean (10; 20) has shape (2, 1): aligned from the right, its 1
     * broadcasts over the channels, so pixel 0's values lose 10 and pixel 1's 20; variance 4
     * halves them: (10, 14, 28, 16) -> (0, 2, 4, -2).
     */
    @Test
    void normalizationBroadcastsGivenStatisticsOverTheKeptAxes() {
        Normalization n = new Normalization().axis(2, 3).given(new float[] {10, 20}, new float[] {4, 4}, new int[] {2, 1});
        assertArrayEquals(new float[] {0, 2, 4, -2}, forward(n, false, 0, new float[] {10, 14, 28, 16}, 1, 2, 2));
    }

    /**
     * 2x2 to 3x3, bilinear: scale 2/3 = 0.6666667; output row 0 samples 0.5 * scale - 0.5 < 0,
     * both rows clamped to row 0; row 1 samples 1.5 * scale - 0.5 = 0.5 (1.5 * 0.6666667 rounds
     * to 1), halfway; row 2 samples 1.1666667, both rows clamped to row 1. Columns alike, so
     * (0, 10; 20, 30) becomes (0, 5, 10; 10, 15, 20; 20, 25, 30). Nearest: rows floor(0.33) = 0,
     * floor(1.0) = 1, floor(1.67) = 1. Backward of ones: each input pixel gets 1 + 0.5 of the row
     * weights times 1 + 0.5 of the column weights, 2.25. Cropped to the aspect ratio, 2x4 to
     * 2x2 resizes the centred window, columns 1 and 2: unchanged values.
     */
    @Test
    void resizing() {
        float[] in = {0, 10, 20, 30};
        assertArrayEquals(new float[] {0, 5, 10, 10, 15, 20, 20, 25, 30}, forward(new Resizing(3, 3), false, 0, in, 2, 2, 1));
        assertArrayEquals(new float[] {0, 10, 10, 20, 30, 30, 20, 30, 30},
                forward(new Resizing(3, 3).interpolation(Interpolation.NEAREST), true, 0, in, 2, 2, 1));
        float[] ones = new float[9];
        java.util.Arrays.fill(ones, 1);
        assertArrayEquals(new float[] {2.25f, 2.25f, 2.25f, 2.25f}, inputGradient(new Resizing(3, 3), 0, in, ones, 2, 2, 1),
                1e-6f);
        assertArrayEquals(new float[] {1, 2, 5, 6}, forward(new Resizing(2, 2).cropToAspectRatio(true), false, 0,
                new float[] {0, 1, 2, 3, 4, 5, 6, 7}, 2, 4, 1));
    }

    /**
     * Noise seed 1 draws u = 0.7497, 0.3724, 0.4383, 0.9541 (draws 0 .. 3). Both ways: image 0 takes
     * draws 0 and 1, flips top-bottom only (0.3724 <= 0.5); image 1 takes 2 and 3, left-right only.
     * Horizontal only: image 0 takes draw 0 (no flip), image 1 draw 1 (flips). The gradient is the
     * same flip of the output gradient.
     */
    @Test
    void randomFlip() {
        long stream = Noise.stream(1);
        assertArrayEquals(new float[] {0.7497482f, 0.37239337f, 0.43828386f, 0.9541167f}, new float[] {
                Noise.uniform(stream, 0), Noise.uniform(stream, 1), Noise.uniform(stream, 2), Noise.uniform(stream, 3)}, 1e-7f);
        float[] in = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3, 9, 8, 7, 12, 11, 10}, forward(new RandomFlip(), true, 1, in, 2, 3, 1));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 9, 8, 7, 12, 11, 10},
                forward(new RandomFlip(RandomFlip.Mode.HORIZONTAL), true, 1, in, 2, 3, 1));
        assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3, 9, 8, 7, 12, 11, 10}, inputGradient(new RandomFlip(), 1,
                new float[12], in.clone(), 2, 3, 1));
    }

    /**
     * 4x4 ramp, heightFactor (0.25, 0.25) and widthFactor (-0.5, -0.5): dy = 0.25 * 4 = 1 and
     * dx = -0.5 * 4 = -2, so output (x, y) reads input (x + 2, y - 1), at whole pixels (bilinear
     * weights 1 and 0). Columns 2, 3, 4, 5 and rows -1, 0, 1, 2 map, by fill mode, to: constant
     * (fill -1): outside reads -1; reflect: columns 2, 3, 3, 2, rows 0, 0, 1, 2; wrap (TensorFlow's
     * formula, span 3): 4 -> 4 - 4 * trunc(4/3) = 0, 5 -> 1, row -1 -> -1 + 4 * (trunc(1/3) + 1) = 3;
     * nearest: columns 2, 3, 3, 3, rows 0, 0, 1, 2.
     */
    @Test
    void randomTranslationByWholePixels() {
        RandomTranslation t = new RandomTranslation(0, 0).heightFactor(0.25, 0.25).widthFactor(-0.5, -0.5);
        assertArrayEquals(new float[] {-1, -1, -1, -1, 2, 3, -1, -1, 6, 7, -1, -1, 10, 11, -1, -1},
                forward(copy(t).fillMode(FillMode.CONSTANT).fillValue(-1), true, 5, ramp4x4(), 4, 4, 1));
        assertArrayEquals(new float[] {2, 3, 3, 2, 2, 3, 3, 2, 6, 7, 7, 6, 10, 11, 11, 10},
                forward(copy(t), true, 5, ramp4x4(), 4, 4, 1));
        assertArrayEquals(new float[] {14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9},
                forward(copy(t).fillMode(FillMode.WRAP), true, 5, ramp4x4(), 4, 4, 1));
        assertArrayEquals(new float[] {2, 3, 3, 3, 2, 3, 3, 3, 6, 7, 7, 7, 10, 11, 11, 11},
                forward(copy(t).fillMode(FillMode.NEAREST), true, 5, ramp4x4(), 4, 4, 1));
        assertArrayEquals(ramp4x4(), forward(copy(t), false, 5, ramp4x4(), 4, 4, 1), "the identity at inference");
    }

    private static RandomTranslation copy(RandomTranslation t) {
        return (RandomTranslation) Layers.fromConfig(t.typeName(), t.config());
    }

    /**
     * A 1x4 row (0, 10, 20, 30) shifted right by dx = 0.125 * 4 = 0.5: output x reads x - 0.5.
     * Bilinear, reflect: -0.5 reflects to -0.5, clamped to 0 -> 0; then halfway: 5, 15, 25.
     * Nearest, reflect: 0, then round(0.5) = 1, round(1.5) = 2, round(2.5) = 3 (halves away from
     * zero): 10, 20, 30. Constant fill 100: bilinear x = 0 reads half the fill and half of pixel 0,
     * 50; nearest rounds -0.5 to -1, outside: 100 (rounding halves up would read pixel 0).
     * Backward, bilinear reflect, output gradient (1, 1, 1, 1): pixel 0 gets 1 + 0.5, pixel 1
     * 0.5 + 0.5, pixel 2 likewise, pixel 3 0.5.
     */
    @Test
    void randomTranslationByHalfAPixel() {
        float[] row = {0, 10, 20, 30};
        RandomTranslation t = new RandomTranslation(0, 0.125).widthFactor(0.125, 0.125);
        assertArrayEquals(new float[] {0, 5, 15, 25}, forward(copy(t), true, 9, row, 1, 4, 1));
        assertArrayEquals(new float[] {0, 10, 20, 30}, forward(copy(t).interpolation(Interpolation.NEAREST), true, 9, row,
                1, 4, 1));
        assertArrayEquals(new float[] {50, 5, 15, 25}, forward(copy(t).fillMode(FillMode.CONSTANT).fillValue(100), true, 9,
                row, 1, 4, 1));
        assertArrayEquals(new float[] {100, 10, 20, 30}, forward(copy(t).fillMode(FillMode.CONSTANT).fillValue(100)
                .interpolation(Interpolation.NEAREST), true, 9, row, 1, 4, 1));
        assertArrayEquals(new float[] {1.5f, 1, 1, 0.5f}, inputGradient(copy(t), 9, row, new float[] {1, 1, 1, 1}, 1, 4, 1));
    }

    /**
     * factor (0.25, 0.25): a quarter turn, angle = (float) 0.5 * (float) pi = 1.5707964; in float
     * cos = -4.371139e-8, sin = 1; on 3x3, w = h = 2: ox = (2 - (cos * 2 - 2)) / 2 = 2 (the tiny
     * term rounds away), oy = (2 - (2 + cos * 2)) / 2 = 5.96e-8. Output (x, y) reads
     * (cos x - y + 2, x + cos y + oy), within 2e-7 of (2 - y, x); nearest reads exactly there:
     * (1 2 3; 4 5 6; 7 8 9) turns counter-clockwise into (3 6 9; 2 5 8; 1 4 7).
     */
    @Test
    void randomRotationByAQuarterTurn() {
        float[] in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertArrayEquals(new float[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, forward(new RandomRotation(0).factor(0.25, 0.25)
                .interpolation(Interpolation.NEAREST), true, 4, in, 3, 3, 1));
        assertArrayEquals(new float[] {3, 6, 9, 2, 5, 8, 1, 4, 7}, forward(new RandomRotation(0).factor(0.25, 0.25),
                true, 4, in, 3, 3, 1), 1e-5f, "bilinear: within 2e-7 of whole pixels");
    }

    /**
     * A 1x3 row (10, 20, 40); heightFactor (0.5, 0.5) without a width factor: zx = zy = 1.5 (zoom
     * out); ox = ((3 - 1) / 2) * (1 - 1.5) = -0.5, so output x reads 1.5 x - 0.5: -0.5, 1, 2.5.
     * Constant fill 9: (9 + 10) / 2 = 9.5, 20, (40 + 9) / 2 = 24.5. Reflect: -0.5 -> 0 and
     * 2.5 -> 2 after clamping: 10, 20, 40. Wrap (span 2): -0.5 -> 2.5 -> 2 and 2.5 -> 2.5 - 3 -> 0:
     * 40, 20, 10. Width factor (-0.5, -0.5) alone: zx = 0.5 (zoom in), ox = 0.5, reads 0.5, 1, 1.5:
     * 15, 20, 30.
     */
    @Test
    void randomZoom() {
        float[] row = {10, 20, 40};
        RandomZoom out = new RandomZoom(0).heightFactor(0.5, 0.5);
        assertArrayEquals(new float[] {9.5f, 20, 24.5f}, forward(copy(out).fillMode(FillMode.CONSTANT).fillValue(9), true, 2,
                row, 1, 3, 1));
        assertArrayEquals(new float[] {10, 20, 40}, forward(copy(out), true, 2, row, 1, 3, 1));
        assertArrayEquals(new float[] {40, 20, 10}, forward(copy(out).fillMode(FillMode.WRAP), true, 2, row, 1, 3, 1));
        assertArrayEquals(new float[] {15, 20, 30}, forward(new RandomZoom(0, 0).widthFactor(-0.5, -0.5), true, 2, row,
                1, 3, 1));
    }

    private static RandomZoom copy(RandomZoom z) {
        return (RandomZoom) Layers.fromConfig(z.typeName(), z.config());
    }

    /**
     * Noise seed 3 draws u = 13679494 / 2^24 = 0.81536138 for image 0. RandomContrast(0.5, 0): c =
     * 0.5 + (1 - 0.5) u = 0.9076807, exactly. Image (0, 10; 20, 30), mean 15: (x - 15) c + 15 =
     * 1.3847895, 10.4615965, 19.5384035, 28.6152105, the last clipped to 25 by value_range (0, 25).
     * Backward of ones: three values pass, s = 3, common = 3 (1 - c) / 4 = 0.0692395; the input
     * gradient is c + common = 0.9769202 for the three, common for the clipped one.
     */
    @Test
    void randomContrast() {
        assertEquals(13679494 * 0x1.0p-24f, Noise.uniform(Noise.stream(3), 0));
        float[] in = {0, 10, 20, 30};
        assertArrayEquals(new float[] {1.3847895f, 10.4615965f, 19.5384035f, 25}, forward(new RandomContrast(0.5, 0)
                .valueRange(0, 25), true, 3, in, 2, 2, 1), 1e-6f);
        assertArrayEquals(new float[] {0.9769202f, 0.9769202f, 0.9769202f, 0.0692395f}, inputGradient(new RandomContrast(0.5, 0)
                .valueRange(0, 25), 3, in, new float[] {1, 1, 1, 1}, 2, 2, 1), 1e-6f);
    }

    /**
     * Noise seed 2 draws bits 4265000 and 15010964 for image 0. RandomCrop(2, 3) of a 4x5 image
     * (in[y][x] = 5y + x): top = 4265000 * 3 >> 24 = 0, left = 15010964 * 3 >> 24 = 2: rows 0..1,
     * columns 2..4. Backward: the output gradient in that window, zero elsewhere. At inference,
     * smart_resize: the 2:3 window of a 4x5 image is 3x5 (height (int) (5 * 2 / 3f) = 3) at the
     * top, resized to 2x3: rows sample 0.25 and 1.75, columns 0.3333333, 2 and 3.6666665, and the
     * image is linear, so 5 row + column: 1.5833333, 3.25, 4.9166665; 9.0833333, 10.75, 12.416667.
     */
    @Test
    void randomCrop() {
        long stream = Noise.stream(2);
        assertEquals(4265000, Noise.bits(stream, 0));
        assertEquals(15010964, Noise.bits(stream, 1));
        float[] in = new float[20];
        for (int i = 0; i < 20; i++) {
            in[i] = i;
        }
        assertArrayEquals(new float[] {2, 3, 4, 7, 8, 9}, forward(new RandomCrop(2, 3), true, 2, in, 4, 5, 1));
        float[] dIn = inputGradient(new RandomCrop(2, 3), 2, in, new float[] {1, 2, 3, 4, 5, 6}, 4, 5, 1);
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, dIn);
        assertArrayEquals(new float[] {1.5833333f, 3.25f, 4.9166665f, 9.083333f, 10.75f, 12.416667f},
                forward(new RandomCrop(2, 3), false, 2, in, 4, 5, 1), 1e-5f);
    }
}
