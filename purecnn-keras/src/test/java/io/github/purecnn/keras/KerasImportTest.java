package io.github.purecnn.keras;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keras files load into the model they describe and compute what Keras computes: the real Keras
 * 2.1.3 file, and files in tf.keras 2.x and Keras 3 layouts made by {@code make_fixtures.py},
 * against float64 NumPy references, on both kernel paths: within 1e-5 of the reference, relative
 * to its size where that exceeds 1 (the real file's weights are the integers 0 to 269, its outputs
 * reach 1474, where one float32 step is already 1.2e-4).
 */
class KerasImportTest {
    private static final double TOLERANCE = 1e-5;

    @Test
    void theRealKerasConv2dFileMatchesNumPy() throws IOException {
        Sequential model = KerasModels.load(Resources.file("conv2d_tensorflow_2.h5"));
        assertEquals(Shape.of(5, 5, 5), model.inputShape());
        assertEquals(1, model.layers().size());
        Layer conv = model.layers().get(0);
        assertTrue(conv instanceof Conv2D);
        assertEquals("conv2d_1", conv.name());
        assertEquals(List.of(3, 3), conv.config().get("kernel_size"));
        assertEquals(6, conv.config().get("filters"));
        assertEquals(Shape.of(3, 3, 6), model.outputShape());
        // Its training_config (Adam on mse) applies to the (3, 3, 6) output as in Keras: the mean
        // squared error of each row of 6 values, averaged over the rows.
        assertTrue(model.isCompiled());
        assertEquals("mean_squared_error", model.loss().kerasName());
        assertMatches(model, "conv2d_tensorflow_2");
    }

    @Test
    void aTfKerasSequentialFileLoadsCompiledAndMatchesNumPy() throws IOException {
        Sequential model = KerasModels.load(Resources.file("keras2_sequential.h5"));
        assertEquals("small_cnn", model.name());
        assertEquals(List.of("conv2d", "average_pooling2d", "flatten", "dropout", "dense"),
                model.layers().stream().map(Layer::name).toList());
        assertEquals(0.25, ((Number) model.layers().get(3).config().get("rate")).doubleValue());
        assertTrue(model.isCompiled());
        Adam adam = (Adam) model.optimizer();
        assertEquals(0.002f, adam.learningRate(), "Keras 2's learning_rate");
        assertEquals(0.9, (double) adam.config().get("beta_1"), 1e-7);
        assertEquals("sparse_categorical_crossentropy", model.loss().kerasName());
        assertEquals(1, model.metrics().size());
        assertMatches(model, "keras2_sequential");
    }

    @Test
    void aFunctionalChainWithCompressedWeightsMatchesNumPy() throws IOException {
        Sequential model = KerasModels.load(Resources.file("keras2_functional_gzip.h5"));
        assertEquals("chain", model.name());
        assertEquals(List.of("conv", "pool", "flat", "out"), model.layers().stream().map(Layer::name).toList());
        assertEquals(false, model.layers().get(0).config().get("use_bias"));
        assertMatches(model, "keras2_functional");
    }

    @Test
    void aKeras3FunctionalArchiveWithFloat64WeightsMatchesNumPy() throws IOException {
        Sequential model = KerasModels.load(Resources.file("keras3_functional.keras"));
        assertEquals("k3_chain", model.name());
        assertEquals(List.of("c", "act", "f", "d"), model.layers().stream().map(Layer::name).toList());
        assertTrue(model.isCompiled());
        SGD sgd = (SGD) model.optimizer();
        assertEquals(0.05, (double) sgd.config().get("learning_rate"), 1e-7);
        assertEquals(0.9, (double) sgd.config().get("momentum"), 1e-7);
        assertEquals(true, sgd.config().get("nesterov"));
        assertEquals(Loss.sparseCategoricalCrossentropy().kerasName(), model.loss().kerasName());
        assertMatches(model, "keras3_functional");
    }

    @Test
    void anArchitectureJsonWithWeightsOnlyLoadsAsTheFullFile() throws IOException {
        Sequential model = KerasModels.load(Resources.file("keras2_sequential.json"),
                Resources.file("keras2_sequential_weights.h5"));
        assertFalse(model.isCompiled(), "to_json() holds no compile settings");
        assertMatches(model, "keras2_sequential");
    }

    @Test
    void weightsOnlyGoIntoAnExistingModelByNameAndByOrder() throws IOException {
        for (KerasModels.Match match : KerasModels.Match.values()) {
            Sequential model = KerasModels.load(Resources.file("keras2_sequential.h5"));
            for (var p : model.parameters()) {
                java.util.Arrays.fill(p.value(), 0f);
            }
            KerasModels.loadWeights(model, Resources.file("keras2_sequential_weights.h5"), match);
            assertMatches(model, "keras2_sequential");
        }
    }

    static void assertMatches(Sequential model, String fixture) throws IOException {
        Tensor input = Resources.tensor(fixture + "_input.npy");
        double[] expected = Resources.doubles(fixture + "_expected.npy");
        for (Kernels kernels : Resources.kernelPaths()) {
            float[] out = model.kernels(kernels).predict(input).data();
            assertEquals(expected.length, out.length);
            for (int i = 0; i < out.length; i++) {
                assertEquals(expected[i], out[i], TOLERANCE * Math.max(1, Math.abs(expected[i])), fixture + " output " + i + " on " + kernels.name());
            }
        }
    }
}
