package io.github.purecnn.keras;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Targets;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.layers.BatchNormalization;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.purecnn.io.internal.Json;
import io.jhdf.HdfFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real Keras files whose layers the core gains with "The Keras toolbox for modern CNNs"
 * (BatchNormalization, SeparableConv2D, DepthwiseConv2D, SpatialDropout2D, ZeroPadding2D,
 * UpSampling2D, Cropping2D, GlobalMax/AveragePooling2D): they load, compute what Keras computes
 * (Keras's own predictions for cnn_batch_norm.h5; float64 NumPy references made by
 * make_after17_references.py for the others) within 1e-5 on both kernel paths, and come back bit
 * for bit from .keras and .h5, whose configs hold every key the real files hold.
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

    /**
     * cnn_batch_norm.h5 (compiled by Keras 2.1.3 with Adam and mse) trains on in purecnn: one epoch
     * of regression moves its kernels and its BatchNormalization's moving statistics, and the
     * trained model, with its optimizer state, comes back from .keras and .h5 bit for bit.
     */
    @Test
    void cnnBatchNormTrainsOnAndSaves() throws IOException {
        Sequential model = KerasModels.load(Resources.file("cnn_batch_norm.h5"));
        assertTrue(model.isCompiled(), "Keras 2.1.3's Adam and mse are purecnn's");
        assertEquals("Adam", model.optimizer().typeName());
        Tensor x = Resources.tensor("cnn_batch_norm_input_float32.npy");
        float[] y = new float[x.shape().dim(0)];
        for (int i = 0; i < y.length; i++) {
            y[i] = i - 2;
        }
        BatchNormalization bn = (BatchNormalization) model.layers().get(1);
        float[] movingMean = bn.movingMean().value().clone();
        float[] kernel = model.layers().get(0).weights().get(0).value().clone();
        model.fit(Dataset.of(x, Targets.values(new Tensor(Shape.of(y.length, 1), y))),
                new FitOptions().epochs(1).batchSize(5).verbose(0));
        assertEquals(1, model.optimizer().iterations());
        assertFalse(Arrays.equals(movingMean, bn.movingMean().value()), "the moving mean moved");
        assertFalse(Arrays.equals(kernel, model.layers().get(0).weights().get(0).value()), "the kernel trained");
        float[] expected = model.predict(x).data();
        for (String file : List.of("trained.keras", "trained.h5")) {
            Path path = dir.resolve(file);
            KerasModels.save(model, path);
            Sequential again = KerasModels.load(path);
            assertArrayEquals(expected, again.predict(x).data(), file);
            assertEquals(1, again.optimizer().iterations(), file);
        }
    }

    /**
     * The {@code .h5} configs purecnn writes hold every key the real Keras 2 files hold for the same
     * layer class (Keras 2.1.3 and tf.keras 2.2.4's; purecnn writes a few more that later tf.keras
     * 2.x versions added, such as Conv2D's groups and the global poolings' keepdims). The model's
     * input shape, which Keras 2.1 keeps in its first layer's batch_input_shape, is left aside.
     */
    @Test
    void theH5ConfigsWrittenHoldEveryKeyOfRealKeras2Files() throws IOException {
        Set<String> classes = new TreeSet<>();
        for (String name : List.of("cnn_batch_norm", "sepconv2d_tensorflow_2", "tfkeras_cnn2d_64", "tfkeras_cnn2d_65",
                "tfkeras_cnn2d_76", "tfkeras_cnn2d_100")) {
            Path real = Resources.file(name + ".h5");
            Path ours = dir.resolve(name + ".h5");
            KerasModels.save(KerasModels.load(real), ours);
            Map<String, Set<String>> written = keysByClass(ours);
            for (Map.Entry<String, Set<String>> e : keysByClass(real).entrySet()) {
                Set<String> missing = new TreeSet<>(e.getValue());
                missing.remove("batch_input_shape");
                missing.removeAll(written.get(e.getKey()));
                assertTrue(missing.isEmpty(), name + " " + e.getKey() + ": purecnn does not write " + missing);
                classes.add(e.getKey());
            }
        }
        assertEquals(Set.of("Activation", "BatchNormalization", "Conv2D", "Cropping2D", "Dense", "DepthwiseConv2D",
                "Flatten", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "InputLayer", "MaxPooling2D",
                "SeparableConv2D", "SpatialDropout2D", "UpSampling2D", "ZeroPadding2D"), classes);
    }

    /** The keys of each layer class's config in a Keras 2 file's model_config (list or object form). */
    @SuppressWarnings("unchecked")
    private static Map<String, Set<String>> keysByClass(Path h5) throws IOException {
        String json;
        try (HdfFile file = new HdfFile(h5)) {
            json = (String) file.getAttribute("model_config").getData();
        }
        Object config = ((Map<String, Object>) Json.parse(json)).get("config");
        List<Object> layers = config instanceof List<?> l ? (List<Object>) l
                : (List<Object>) ((Map<String, Object>) config).get("layers");
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        for (Object o : layers) {
            Map<String, Object> layer = (Map<String, Object>) o;
            keys.computeIfAbsent((String) layer.get("class_name"), c -> new HashSet<>())
                    .addAll(((Map<String, Object>) layer.get("config")).keySet());
        }
        return keys;
    }
}
