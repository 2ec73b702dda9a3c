package io.github.purecnn.layers;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.image.FillMode;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.github.purecnn.testing.LayerHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The preprocessing and augmentation layers as a model meets them: output shapes, the identity at
 * inference, draws that follow the noise seed and fall where they should, and models with them
 * that save, load and resume training exactly.
 */
class AugmentationLayersTest {
    @TempDir
    Path dir;

    /** Every random layer, each in a setting that moves every image. */
    private static List<Supplier<RandomImageLayer>> randomLayers() {
        return List.of(RandomFlip::new, () -> new RandomTranslation(0.3, 0.3),
                () -> new RandomRotation(0.3).fillMode(FillMode.CONSTANT), () -> new RandomZoom(0.5, 0.4),
                () -> new RandomContrast(0.6).valueRange(-1, 1));
    }

    private static float[] noise(int n, long seed) {
        return GradientCheck.uniform(new SplittableRandom(seed), n, -1, 1);
    }

    @Test
    void outputShapes() {
        Shape in = Shape.of(7, 6, 3);
        for (Supplier<RandomImageLayer> s : randomLayers()) {
            assertEquals(in, s.get().computeOutputShape(in), s.get().typeName());
        }
        assertEquals(Shape.of(5, 4, 3), new RandomCrop(5, 4).computeOutputShape(in));
        assertEquals(Shape.of(9, 9, 3), new RandomCrop(9, 9).computeOutputShape(in), "larger than the input: resized");
        assertEquals(Shape.of(3, 9, 3), new Resizing(3, 9).computeOutputShape(in));
        assertEquals(in, new Rescaling(2).computeOutputShape(in));
        assertEquals(Shape.of(12), new Rescaling(2).computeOutputShape(Shape.of(12)), "any shape");
        assertEquals(Shape.of(12), new Normalization().computeOutputShape(Shape.of(12)));
        Sequential m = new Sequential(1, in, new Resizing(10, 8), new RandomCrop(8, 8), new Normalization(),
                new RandomFlip(), new Flatten());
        assertEquals(Shape.of(192), m.outputShape());
        assertEquals(Shape.of(3), ((Normalization) m.layers().get(2)).mean().shape(), "one statistic per channel");
        for (String bad : List.of("RandomTranslation", "RandomRotation", "RandomZoom", "RandomContrast", "RandomCrop",
                "Resizing")) {
            Layer l = switch (bad) {
                case "RandomTranslation" -> new RandomTranslation(0.1, 0.1);
                case "RandomRotation" -> new RandomRotation(0.1);
                case "RandomZoom" -> new RandomZoom(0.1);
                case "RandomContrast" -> new RandomContrast(0.1);
                case "RandomCrop" -> new RandomCrop(2, 2);
                default -> new Resizing(2, 2);
            };
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new Sequential(1, Shape.of(4, 4), l));
            assertTrue(e.getMessage().contains(bad + " expects images (height, width, channels), found rank 2"),
                    e.getMessage());
        }
    }

    /** Outside training every random layer hands its input on unchanged, whatever the seed. */
    @Test
    void randomLayersAreTheIdentityAtInference() {
        int n = 3;
        float[] in = noise(n * 7 * 6 * 3, 1);
        for (Supplier<RandomImageLayer> s : randomLayers()) {
            RandomImageLayer layer = LayerGradientTest.build(s.get(), 7, 6, 3);
            LayerHarness h = new LayerHarness(layer, new ReferenceKernels(), n);
            float[] out = new float[in.length];
            h.forward(out, in, n, false, 77L);
            assertArrayEquals(in, out, layer.typeName());
            float[] trained = new float[in.length];
            h.forward(trained, in, n, true, 77L);
            assertFalse(Arrays.equals(in, trained), layer.typeName() + " changes images in training");
            float[] dIn = new float[in.length];
            h.forward(out, in, n, false, 77L);
            h.backward(dIn, in.clone(), in, out, n);
            assertArrayEquals(in, dIn, layer.typeName() + ": the gradient of the identity");
        }
        Sequential model = new Sequential(1, Shape.of(7, 6, 3), new RandomFlip(), new RandomTranslation(0.3, 0.3),
                new RandomRotation(0.3), new RandomZoom(0.4), new RandomContrast(0.5), new Flatten());
        assertArrayEquals(in, model.predict(new Tensor(Shape.of(n, 7, 6, 3), in)).data(), "predict");
    }

    /** The same noise seed gives the same draws whatever shard object runs them; another seed, others. */
    @Test
    void drawsFollowTheNoiseSeed() {
        int n = 4;
        float[] in = noise(n * 6 * 5 * 2, 2);
        for (Supplier<RandomImageLayer> s : randomLayers()) {
            float[] a = new float[in.length];
            float[] b = new float[in.length];
            float[] c = new float[in.length];
            RandomImageLayer layer = LayerGradientTest.build(s.get(), 6, 5, 2);
            new LayerHarness(layer, new ReferenceKernels(), n).forward(a, in, n, true, 5L);
            new LayerHarness(layer, new ReferenceKernels(), n).forward(b, in, n, true, 5L);
            new LayerHarness(layer, new ReferenceKernels(), n).forward(c, in, n, true, 6L);
            assertArrayEquals(a, b, layer.typeName());
            assertFalse(Arrays.equals(a, c), layer.typeName() + ": another seed");
            float[] first = Arrays.copyOf(a, a.length / n);
            float[] second = Arrays.copyOfRange(a, a.length / n, 2 * a.length / n);
            float[] firstIn = Arrays.copyOf(in, in.length / n);
            float[] secondAsFirst = new float[first.length];
            new LayerHarness(layer, new ReferenceKernels(), 1).forward(secondAsFirst, firstIn, 1, true, 5L);
            assertArrayEquals(first, secondAsFirst, layer.typeName() + ": image 0's draw does not depend on the shard's size");
            assertNotEquals(Arrays.toString(first), Arrays.toString(second));
        }
    }

    /**
     * 2000 images of 1x2 pixels (a, b): flipped left-right they read (b, a). Each flips with
     * probability 1/2 (u <= 0.5, u a multiple of 2^-24, so 0.5 + 2^-25 in fact): the count has
     * standard deviation sqrt(2000 / 4) = 22, and 1000 +- 110 is five of them. Crops of 3 rows out
     * of 7 start at each of rows 0..4 with probability 1/5: 400 +- 100 each (sd 18).
     */
    @Test
    void drawsHaveTheirDistributions() {
        int n = 2000;
        float[] pairs = new float[2 * n];
        for (int i = 0; i < n; i++) {
            pairs[2 * i] = 1;
        }
        RandomFlip flip = LayerGradientTest.build(new RandomFlip(RandomFlip.Mode.HORIZONTAL), 1, 2, 1);
        float[] flipped = new float[2 * n];
        new LayerHarness(flip, new ReferenceKernels(), n).forward(flipped, pairs, n, true, 11L);
        int count = 0;
        for (int i = 0; i < n; i++) {
            count += flipped[2 * i] == 0 ? 1 : 0;
        }
        assertEquals(1000, count, 110);

        float[] rows = new float[n * 7];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i % 7;
        }
        RandomCrop crop = LayerGradientTest.build(new RandomCrop(3, 1), 7, 1, 1);
        float[] cropped = new float[n * 3];
        new LayerHarness(crop, new ReferenceKernels(), n).forward(cropped, rows, n, true, 12L);
        int[] starts = new int[5];
        for (int i = 0; i < n; i++) {
            starts[(int) cropped[3 * i]]++;
            assertEquals(cropped[3 * i] + 2, cropped[3 * i + 2], "a window of consecutive rows");
        }
        for (int s : starts) {
            assertEquals(400, s, 100, Arrays.toString(starts));
        }
    }

    /**
     * A 4-class toy: images whose left or right half is bright, or top or bottom. A model with every
     * preprocessing layer saves and loads: the same configs, the adapted statistics, predictions
     * bit for bit; and a run saved after one epoch and resumed trains to the weights of an
     * uninterrupted run, augmentation draws included (they follow the seed and the step count).
     */
    @Test
    void aModelWithEveryPreprocessingLayerSavesLoadsAndResumes() throws IOException {
        Dataset data = halves(96, 4);
        Supplier<Sequential> make = () -> {
            Sequential m = new Sequential(21, Shape.of(8, 8, 1),
                    new Rescaling(1 / 255.0), new Normalization().adapt(scaled(data)), new Resizing(10, 10),
                    new RandomCrop(8, 8), new RandomFlip(RandomFlip.Mode.VERTICAL), new RandomTranslation(0.1, 0.1),
                    new RandomRotation(0.02), new RandomZoom(0.1), new RandomContrast(0.2).valueRange(-5, 5),
                    new Conv2D(4, 3).activation(Activation.RELU), new Flatten(), new Dense(4).activation(Activation.SOFTMAX));
            return m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        };
        Sequential uninterrupted = make.get();
        uninterrupted.fit(data, new FitOptions().epochs(2).batchSize(32).verbose(0));

        Sequential first = make.get();
        first.fit(data, new FitOptions().epochs(1).batchSize(32).verbose(0));
        Path file = dir.resolve("augmented.purecnn");
        first.save(file);
        Sequential loaded = Sequential.load(file);
        for (int i = 0; i < first.layers().size(); i++) {
            assertEquals(first.layers().get(i).config(), loaded.layers().get(i).config());
        }
        Normalization norm = (Normalization) loaded.layers().get(1);
        assertArrayEquals(((Normalization) first.layers().get(1)).mean().value(), norm.mean().value());
        assertArrayEquals(((Normalization) first.layers().get(1)).variance().value(), norm.variance().value());
        assertTrue(loaded.summary().contains("Non-trainable params: 2"), loaded.summary());
        assertArrayEquals(first.predict(data).data(), loaded.predict(data).data());

        loaded.fit(data, new FitOptions().epochs(1).batchSize(32).verbose(0));
        for (int i = 0; i < uninterrupted.getWeights().size(); i++) {
            assertArrayEquals(uninterrupted.getWeights().get(i).data(), loaded.getWeights().get(i).data(), "weight " + i);
        }
    }

    /** n 8x8x1 images in 0..255 of classes 0..3: the bright half left, right, top or bottom, with noise. */
    static Dataset halves(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 64];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 4;
            for (int p = 0; p < 64; p++) {
                int row = p / 8;
                int col = p % 8;
                boolean bright = switch (y[i]) {
                    case 0 -> col < 4;
                    case 1 -> col >= 4;
                    case 2 -> row < 4;
                    default -> row >= 4;
                };
                x[i * 64 + p] = (bright ? 180 : 40) + r.nextInt(60);
            }
        }
        return Dataset.of(new Tensor(Shape.of(n, 8, 8, 1), x), y, 4);
    }

    private static Dataset scaled(Dataset data) {
        float[] x = data.images().data().clone();
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * (float) (1 / 255.0);
        }
        return Dataset.of(new Tensor(data.images().shape(), x), data.labels(), 4);
    }

    /**
     * Adapted after joining a model, the statistics change the model's outputs at the next call
     * (the step re-derives its divisors when the weights change); adapting to another shape or a
     * layer with given statistics is refused.
     */
    @Test
    void adaptAfterBuildingUpdatesTheModelAndBadAdaptsAreRefused() {
        Normalization norm = new Normalization();
        Sequential model = new Sequential(1, Shape.of(2), norm);
        Tensor x = new Tensor(Shape.of(1, 2), new float[] {3, 4});
        assertArrayEquals(new float[] {3, 4}, model.predict(x).data(), "mean 0 and variance 1 until adapted");
        Dataset twoRows = Dataset.of(new Tensor(Shape.of(2, 2), new float[] {1, 2, 3, 6}), new int[2], 1);
        norm.adapt(twoRows);
        assertArrayEquals(new float[] {2, 4}, norm.mean().value());
        assertArrayEquals(new float[] {1, 4}, norm.variance().value());
        assertArrayEquals(new float[] {1, 0}, model.predict(x).data());

        assertThrows(IllegalArgumentException.class, () -> norm.adapt(Dataset.of(new Tensor(Shape.of(1, 3),
                new float[3]), new int[1], 1)), "another sample shape");
        assertThrows(IllegalArgumentException.class, () -> new Normalization().meanAndVariance(new double[] {1},
                new double[] {1}).adapt(twoRows), "given statistics");
        Normalization early = new Normalization().adapt(twoRows);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Sequential(1, Shape.of(3), early));
        assertTrue(e.getMessage().contains("adapted to samples of shape (2,)"), e.getMessage());
        Normalization given = new Normalization().meanAndVariance(new double[] {1}, new double[] {4});
        new Sequential(1, Shape.of(2), given);
        assertNull(given.mean(), "given statistics are config, not weights");
        assertTrue(given.weights().isEmpty());
    }
}
