package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.io.NpyArray;
import io.github.purecnn.io.Npz;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.testing.Fixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keras weights as {@code np.savez(path, *keras_model.get_weights())} writes them: the seed model
 * trained by PyTorch and exported in Keras layout ({@code fixtures/lenet_torch_keras.npz}) gives
 * the probabilities an independent NumPy forward pass computed; {@code saveWeights} writes the
 * same form; mismatches name the layer, the parameter and both shapes, and change nothing.
 */
class KerasWeightsTest {
    private static final int IMAGES = 200;

    @TempDir
    Path dir;

    @Test
    void pytorchTrainedWeightsInKerasLayoutGiveTheReferenceProbabilities() throws Exception {
        Sequential model = LeNet.create(0);
        model.loadWeights(fixture("lenet_torch_keras.npz"));
        Fixture expected = Fixture.load("lenet_torch_probabilities.txt");
        Path data = Path.of("mnist-data");
        Dataset test = Mnist.loadPair(data.resolve("t10k-images-idx3-ubyte.gz"),
                data.resolve("t10k-labels-idx1-ubyte.gz")).subset(0, IMAGES);
        assertArrayEquals(expected.ints("labels"), test.labels(), "the fixture's images are the first test images");

        float[] p = model.predict(test).data();
        double[] want = expected.doubles("probabilities");
        int[] predicted = expected.ints("predicted");
        for (int i = 0; i < IMAGES; i++) {
            int best = 0;
            for (int c = 0; c < 10; c++) {
                assertEquals(want[i * 10 + c], p[i * 10 + c], 1e-5, "image " + i + ", class " + c);
                best = p[i * 10 + c] > p[i * 10 + best] ? c : best;
            }
            assertEquals(predicted[i], best, "predicted class of image " + i);
        }
    }

    @Test
    void savedWeightsAreArraysArr0ToArr9InKerasOrderAndLoadBack() throws IOException {
        Sequential model = LeNet.create(1);
        Path file = dir.resolve("w.npz");
        model.saveWeights(file);
        Map<String, NpyArray> arrays = Npz.read(file);
        assertEquals(List.of("arr_0", "arr_1", "arr_2", "arr_3", "arr_4", "arr_5", "arr_6", "arr_7", "arr_8", "arr_9"),
                List.copyOf(arrays.keySet()));
        assertArrayEquals(new int[] {3, 3, 1, 6}, arrays.get("arr_0").shape());
        assertArrayEquals(new int[] {576, 120}, arrays.get("arr_4").shape());

        Sequential other = LeNet.create(2);
        other.loadWeights(file);
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(model.parameters().get(i).value(), other.parameters().get(i).value());
        }
    }

    @Test
    void aShapeMismatchNamesTheLayerTheParameterAndBothShapesAndChangesNothing() throws IOException {
        Sequential model = LeNet.create(1);
        Map<String, NpyArray> arrays = new LinkedHashMap<>(Npz.read(save(model)));
        // A PyTorch Linear weight (out, in) instead of Keras's (in, out).
        arrays.put("arr_6", NpyArray.of(new float[84 * 120], 84, 120));
        Path file = dir.resolve("transposed.npz");
        Npz.write(file, arrays);

        List<float[]> before = values(model);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> model.loadWeights(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("layer 'dense_1' parameter 'kernel' expects float32 (120, 84)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("found float32 (84, 120)"), e.getMessage());
        assertUnchanged(before, model);
    }

    @Test
    void aCountMismatchSaysHowManyOfEachAndChangesNothing() throws IOException {
        Sequential model = LeNet.create(1);
        Map<String, NpyArray> arrays = new LinkedHashMap<>(Npz.read(save(model)));
        arrays.remove("arr_9");
        Path file = dir.resolve("short.npz");
        Npz.write(file, arrays);

        List<float[]> before = values(model);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> model.loadWeights(file));
        assertTrue(e.getMessage().contains("has 10 weight arrays, expected them as arr_0 .. arr_9"), e.getMessage());
        assertTrue(e.getMessage().contains("found 9"), e.getMessage());
        assertUnchanged(before, model);
    }

    @Test
    void float64WeightsAreRefusedRatherThanRounded() throws IOException {
        Sequential model = LeNet.create(1);
        Map<String, NpyArray> arrays = new LinkedHashMap<>(Npz.read(save(model)));
        arrays.put("arr_1", NpyArray.of(new double[6], 6));
        Path file = dir.resolve("f64.npz");
        Npz.write(file, arrays);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> model.loadWeights(file));
        assertTrue(e.getMessage().contains("entry 'arr_1': layer 'conv2d' parameter 'bias' expects float32 (6,)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("found float64 (6,)"), e.getMessage());
    }

    private Path save(Sequential model) throws IOException {
        Path file = dir.resolve("original.npz");
        model.saveWeights(file);
        return file;
    }

    private static List<float[]> values(Sequential model) {
        return model.parameters().stream().map(p -> p.value().clone()).toList();
    }

    private static void assertUnchanged(List<float[]> before, Sequential model) {
        List<Parameter> ps = model.parameters();
        for (int i = 0; i < ps.size(); i++) {
            assertArrayEquals(before.get(i), ps.get(i).value(), ps.get(i).path());
        }
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(KerasWeightsTest.class.getResource("/fixtures/" + name).toURI());
    }
}
