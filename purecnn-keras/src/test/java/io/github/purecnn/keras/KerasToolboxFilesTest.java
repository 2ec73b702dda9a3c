package io.github.purecnn.keras;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The real Keras files whose layers the core gains with "The Keras toolbox for modern CNNs"
 * (BatchNormalization, SeparableConv2D, DepthwiseConv2D, SpatialDropout2D, ZeroPadding2D,
 * UpSampling2D, Cropping2D, GlobalMax/AveragePooling2D): they load, compute what Keras computes
 * (Keras's own predictions for cnn_batch_norm.h5; float64 NumPy references made by
 * make_after17_references.py for the others) within 1e-5 on both kernel paths, and come back bit
 * for bit from .keras and .h5.
 */
class KerasToolboxFilesTest {
    @TempDir
    Path dir;

    @Test
    void cnnBatchNormReproducesKerasOwnPredictions() throws IOException {
        Sequential model = KerasModels.load(Resources.file("cnn_batch_norm.h5"));
        Tensor input = Resources.tensor("cnn_batch_norm_input_float32.npy");
        double[] keras = Resources.doubles("cnn_batch_norm_predictions.npy");
        for (Kernels kernels : Resources.kernelPaths()) {
            float[] out = model.kernels(kernels).predict(input).data();
            assertEquals(keras.length, out.length);
            for (int i = 0; i < out.length; i++) {
                assertEquals(keras[i], out[i], 1e-5, "prediction " + i + " on " + kernels.name());
            }
        }
        KerasImportTest.assertMatches(model, "cnn_batch_norm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sepconv2d_tensorflow_2", "tfkeras_cnn2d_64", "tfkeras_cnn2d_65", "tfkeras_cnn2d_76",
            "tfkeras_cnn2d_100"})
    void realKerasFilesMatchNumPy(String name) throws IOException {
        KerasImportTest.assertMatches(KerasModels.load(Resources.file(name + ".h5")), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cnn_batch_norm", "sepconv2d_tensorflow_2", "tfkeras_cnn2d_64", "tfkeras_cnn2d_65",
            "tfkeras_cnn2d_76", "tfkeras_cnn2d_100"})
    void theirLayersComeBackBitForBitFromBothFormats(String name) throws IOException {
        Sequential model = KerasModels.load(Resources.file(name + ".h5"));
        Tensor input = Resources.tensor(name + "_input.npy".replace("cnn_batch_norm_input.npy",
                "cnn_batch_norm_input_float32.npy"));
        float[] expected = model.predict(input).data();
        for (String file : List.of(name + ".keras", name + ".h5")) {
            Path path = dir.resolve(file);
            KerasModels.save(model, path);
            assertArrayEquals(expected, KerasModels.load(path).predict(input).data(), file);
        }
    }
}
