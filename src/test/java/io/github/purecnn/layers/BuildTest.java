package io.github.purecnn.layers;

import io.github.purecnn.image.FillMode;
import io.github.purecnn.layers.Padding;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a layer knows once built, without running anything: output shapes, parameter counts,
 * names, initial weights, and the errors for shapes it cannot take or arguments it cannot have.
 */
class BuildTest {

    private static void assertFailsMentioning(Class<? extends Throwable> type, Executable e, String... parts) {
        String message = assertThrows(type, e).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "message \"" + message + "\" should mention \"" + part + "\"");
        }
    }

    /**
     * 28 -3+1 = 26; 'same' pooling ceil(26/2) = 13; 13 -3+1 = 11; ceil(11/2) = 6; 6*6*16 = 576.
     * Parameters: 3*3*1*6 + 6 = 60; 3*3*6*16 + 16 = 880; 576*120 + 120 = 69240;
     * 120*84 + 84 = 10164; 84*10 + 10 = 850; 81194 in all.
     */
    @Test
    void seedModelShapesCountsAndKerasNames() {
        Sequential model = LeNet.create(1);
        List<Shape> shapes = List.of(Shape.of(26, 26, 6), Shape.of(13, 13, 6), Shape.of(11, 11, 16), Shape.of(6, 6, 16),
                Shape.of(576), Shape.of(120), Shape.of(84), Shape.of(10));
        long[] counts = {60, 0, 880, 0, 0, 69240, 10164, 850};
        List<String> names = List.of("conv2d", "average_pooling2d", "conv2d_1", "average_pooling2d_1",
                "flatten", "dense", "dense_1", "dense_2");
        for (int i = 0; i < shapes.size(); i++) {
            Layer layer = model.layers().get(i);
            assertEquals(shapes.get(i), layer.outputShape(), layer.name() + " output shape");
            assertEquals(counts[i], layer.countParams(), layer.name() + " parameter count");
            assertEquals(names.get(i), layer.name());
        }
        assertEquals(81194, model.countParams());
        assertEquals(Shape.of(3, 3, 1, 6), model.layers().get(0).parameters().get(0).shape());
        assertEquals(Shape.of(576, 120), model.layers().get(5).parameters().get(0).shape());
        assertEquals("dense_2/bias", model.layers().get(7).parameters().get(1).path());
        assertEquals("max_pooling2d", new MaxPooling2D(2).defaultNamePrefix());
        assertEquals("activation", new ActivationLayer(Activation.RELU).defaultNamePrefix());
        assertEquals("dropout", new Dropout(0.5).defaultNamePrefix());
    }

    /**
     * Glorot-uniform kernels: U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)), the
     * fans of a conv kernel multiplied by its receptive field. For m uniform values the sample
     * mean has standard deviation limit / sqrt(3m) and the sample variance (expected limit^2 / 3)
     * a relative one of sqrt(0.8 / m); both are allowed five of those. Biases start at zero.
     */
    @Test
    void kernelsAreGlorotUniformAndBiasesZero() {
        Sequential model = LeNet.create(7);
        assertGlorot(model.layers().get(0).parameters().get(0).value(), 9 * 1, 9 * 6, false);
        assertGlorot(model.layers().get(2).parameters().get(0).value(), 9 * 6, 9 * 16, true);
        assertGlorot(model.layers().get(5).parameters().get(0).value(), 576, 120, true);
        for (Parameter p : model.parameters()) {
            if (p.name().equals("bias")) {
                assertArrayEquals(new float[p.size()], p.value(), p.path());
            }
        }
    }

    private static void assertGlorot(float[] values, int fanIn, int fanOut, boolean enoughForMoments) {
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        double max = 0;
        double sum = 0;
        double sumSquares = 0;
        for (float v : values) {
            assertTrue(Math.abs(v) <= limit, () -> v + " outside +-" + limit);
            max = Math.max(max, Math.abs(v));
            sum += v;
            sumSquares += (double) v * v;
        }
        // The largest of even 54 uniform draws is within 10% of the bound unless the range is wrong.
        assertTrue(max > 0.9 * limit, "largest |value| " + max + " for limit " + limit);
        if (enoughForMoments) {
            double mean = sum / values.length;
            double variance = sumSquares / values.length - mean * mean;
            int m = values.length;
            assertEquals(0, mean, 5 * limit / Math.sqrt(3.0 * m), "mean");
            assertEquals(limit * limit / 3, variance, 5 * Math.sqrt(0.8 / m) * limit * limit / 3, "variance");
        }
    }

    @Test
    void initialWeightsFollowTheSeed() {
        List<Tensor> a = LeNet.create(42).getWeights();
        List<Tensor> b = LeNet.create(42).getWeights();
        List<Tensor> c = LeNet.create(43).getWeights();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).data(), b.get(i).data(), "weight " + i + " with the same seed");
        }
        assertFalse(java.util.Arrays.equals(a.get(0).data(), c.get(0).data()), "another seed gives other weights");
    }

    @Test
    void kernelLargerThanItsInputWithValidPadding() {
        // conv2d turns 5x5x1 into 3x3x2; the 5x5 kernel of layer 1 does not fit in that.
        assertFailsMentioning(IllegalArgumentException.class,
                () -> new Sequential(1, Shape.of(5, 5, 1), new Conv2D(2, 3), new Conv2D(4, 5)),
                "layer 1", "'conv2d_1'", "Conv2D", "(3, 3, 2)", "5x5 window does not fit in a 3x3 input", "'valid'");
    }

    @Test
    void poolingWindowLargerThanItsInputWithValidPadding() {
        assertFailsMentioning(IllegalArgumentException.class,
                () -> new Sequential(1, Shape.of(2, 3, 4), new MaxPooling2D(3)),
                "layer 0", "'max_pooling2d'", "MaxPooling2D", "(2, 3, 4)", "3x3 window does not fit in a 2x3 input");
    }

    @Test
    void denseAfterImagesWithoutFlatten() {
        assertFailsMentioning(IllegalArgumentException.class,
                () -> new Sequential(1, Shape.of(6, 6, 1), new Conv2D(2, 3), new Dense(10)),
                "layer 1", "'dense'", "Dense", "(4, 4, 2)", "flat input", "add a Flatten layer");
    }

    @Test
    void convolutionOnFlatInput() {
        assertFailsMentioning(IllegalArgumentException.class,
                () -> new Sequential(1, Shape.of(6, 6, 1), new Flatten(), new Conv2D(2, 3)),
                "layer 1", "'conv2d'", "(36,)", "expects images (height, width, channels), found rank 1");
    }

    /**
     * Sizes that cannot be right fail when the layer is made, before any model or input shape
     * exists (as in Keras), naming the layer type, the argument and the value.
     */
    @Test
    void nonPositiveSizesFailWhenTheLayerIsMade() {
        assertFailsMentioning(IllegalArgumentException.class, () -> new Conv2D(0, 3), "Conv2D filters", "at least 1", "found 0");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Conv2D(4, -1), "Conv2D kernel height", "found -1");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Conv2D(4, 3, 0), "Conv2D kernel width", "found 0");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Conv2D(4, 3).strides(0), "Conv2D stride height", "found 0");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Conv2D(4, 3).strides(1, 0), "Conv2D stride width", "found 0");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Dense(0), "Dense units", "found 0");
        assertFailsMentioning(IllegalArgumentException.class, () -> new AveragePooling2D(0), "AveragePooling2D pool height", "found 0");
        assertFailsMentioning(IllegalArgumentException.class, () -> new MaxPooling2D(2, -3), "MaxPooling2D pool width", "found -3");
        assertFailsMentioning(IllegalArgumentException.class, () -> new MaxPooling2D(2).strides(0), "MaxPooling2D stride height", "found 0");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Dropout(1.0), "dropout rate", "[0, 1)", "found 1.0");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Dropout(-0.1), "dropout rate", "found -0.1");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Dropout(Double.NaN), "dropout rate", "found NaN");
    }

    /** The preprocessing layers refuse impossible arguments when made, naming the layer, the argument and the value. */
    @Test
    void preprocessingArgumentsAreCheckedWhenTheLayerIsMade() {
        assertFailsMentioning(IllegalArgumentException.class, () -> new RandomTranslation(1.5, 0), "RandomTranslation height_factor",
                "[-1, 1]", "1.5");
        assertFailsMentioning(IllegalArgumentException.class, () -> new RandomTranslation(0.1, 0.1).widthFactor(-2, 0),
                "width_factor", "[-2.0, 0.0]");
        assertFailsMentioning(IllegalArgumentException.class, () -> new RandomRotation(Double.NaN), "RandomRotation factor", "NaN");
        assertFailsMentioning(IllegalArgumentException.class, () -> new RandomZoom(0.1, -1.1), "RandomZoom width_factor");
        assertFailsMentioning(IllegalArgumentException.class, () -> new RandomContrast(-0.1), "RandomContrast factor", "-0.1");
        assertFailsMentioning(IllegalArgumentException.class, () -> new RandomContrast(0.5, -1), "RandomContrast factor");
        assertFailsMentioning(IllegalArgumentException.class, () -> new RandomContrast(0.5).valueRange(1, 1), "value_range",
                "(1.0, 1.0)");
        assertFailsMentioning(IllegalArgumentException.class, () -> new RandomCrop(3, 0), "RandomCrop width", "found 0");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Resizing(-1, 3), "Resizing height", "found -1");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Rescaling(Double.POSITIVE_INFINITY), "Rescaling",
                "Infinity");
        assertFailsMentioning(IllegalArgumentException.class, () -> new RandomZoom(0.1).fillValue(Double.NaN),
                "RandomZoom fill value", "NaN");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Normalization().meanAndVariance(new double[] {1, 2},
                new double[] {1}), "same shape", "2 and 1");
        assertFailsMentioning(IllegalArgumentException.class, () -> new Normalization().axis(-1, 3).computeOutputShape(
                Shape.of(4, 4, 2)), "name the same axis twice");
        RandomRotation built = new RandomRotation(0.1);
        new Sequential(1, Shape.of(4, 4, 1), built);
        assertFailsMentioning(IllegalStateException.class, () -> built.fillMode(FillMode.WRAP), "'random_rotation'",
                "already built");
        assertEquals(List.of("rescaling", "normalization", "resizing", "random_flip", "random_translation",
                "random_rotation", "random_zoom", "random_contrast", "random_crop"), List.of(new Rescaling(1),
                new Normalization(), new Resizing(1, 1), new RandomFlip(), new RandomTranslation(0, 0), new RandomRotation(0),
                new RandomZoom(0), new RandomContrast(0), new RandomCrop(1, 1)).stream().map(Layer::defaultNamePrefix).toList(),
                "Keras's default names");
    }

    @Test
    void aBuiltLayerBelongsToOneModelAndKeepsItsArguments() {
        Conv2D conv = new Conv2D(2, 3);
        new Sequential(1, Shape.of(5, 5, 1), conv);
        assertThrows(IllegalStateException.class, () -> new Sequential(1, Shape.of(5, 5, 1), conv));
        assertFailsMentioning(IllegalStateException.class, () -> conv.strides(2), "'conv2d'", "already built");
        assertFailsMentioning(IllegalStateException.class, () -> new Dense(3).outputShape(), "Dense layer", "not built");
    }

    /** Keras's 'same' rule: output ceil(in / stride), padding split with the extra cell after. */
    @Test
    void sameAndValidOutputShapes() {
        assertEquals(Shape.of(4, 3, 5), new Conv2D(5, 4, 3).strides(2).padding(Padding.SAME).computeOutputShape(Shape.of(7, 6, 2)));
        assertEquals(Shape.of(3, 2, 5), new Conv2D(5, 3).strides(2).computeOutputShape(Shape.of(7, 6, 2)));
        assertEquals(Shape.of(6, 6, 3), new AveragePooling2D(2).padding(Padding.SAME).computeOutputShape(Shape.of(11, 11, 3)));
        assertEquals(Shape.of(5, 5, 3), new AveragePooling2D(2).computeOutputShape(Shape.of(11, 11, 3)));
        assertEquals(Shape.of(3, 3, 2), new MaxPooling2D(3).strides(1).padding(Padding.SAME).computeOutputShape(Shape.of(3, 3, 2)));
        assertEquals(Shape.of(60), new Flatten().computeOutputShape(Shape.of(3, 4, 5)));
    }
}
