package io.github.purecnn.keras;

import io.github.purecnn.io.internal.Json;
import io.github.purecnn.model.Sequential;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The files purecnn writes have the layout of the files Keras writes, group by group and
 * attribute by attribute: the {@code .h5} against the real Keras files among the test resources
 * (Keras 2.1.3's {@code conv2d_tensorflow_2.h5}, tf.keras 2.2.4's {@code tfkeras_cnn2d_64.h5}), the
 * {@code .keras} against the facts of Keras 3's {@code saving_lib} (see the resources' README).
 */
class KerasLayoutTest {
    @TempDir
    static Path dir;
    private static Sequential lenet;
    private static Path h5;
    private static Path keras;

    @BeforeAll
    static void write() throws IOException {
        lenet = TestModels.trainedLeNet();
        h5 = dir.resolve("lenet.h5");
        keras = dir.resolve("lenet.keras");
        KerasModels.save(lenet, h5);
        KerasModels.save(lenet, keras);
    }

    @Test
    void theH5HasTheRootAttributesAndWeightGroupsOfARealKerasFile() throws IOException {
        try (HdfFile real = new HdfFile(Resources.file("conv2d_tensorflow_2.h5")); HdfFile ours = new HdfFile(h5)) {
            assertEquals(attributeNames(real), attributeNames(ours), "root attributes");
            for (String name : attributeNames(real)) {
                assertEquals(String.class, real.getAttribute(name).getJavaType(), name);
                assertEquals(String.class, ours.getAttribute(name).getJavaType(), name);
            }
            assertEquals(Set.of("model_weights"), real.getChildren().keySet(), "never trained: no optimizer state");
            assertEquals(Set.of("model_weights", "optimizer_weights"), ours.getChildren().keySet());
            // tf.keras's optimizer state: weight_names iter, then every m, then every v, datasets at those paths.
            Group optimizer = (Group) ours.getChild("optimizer_weights");
            List<String> slots = names(optimizer.getAttribute("weight_names"));
            assertEquals(1 + 2 * lenet.parameters().size(), slots.size());
            assertEquals("Adam/iter:0", slots.get(0));
            assertEquals("Adam/conv2d/kernel/m:0", slots.get(1));
            assertEquals("Adam/conv2d/kernel/v:0", slots.get(1 + lenet.parameters().size()));
            assertEquals(lenet.optimizer().iterations(), ((long[]) ((Dataset) optimizer.getByPath("Adam/iter:0"))
                    .getDataFlat())[0]);
            assertArrayEquals(new int[] {3, 3, 1, 6},
                    ((Dataset) optimizer.getByPath("Adam/conv2d/kernel/v:0")).getDimensions());
            Group realWeights = (Group) real.getChild("model_weights");
            Group ourWeights = (Group) ours.getChild("model_weights");
            assertEquals(attributeNames(realWeights), attributeNames(ourWeights), "model_weights attributes");
            assertEquals(String.class, ourWeights.getAttribute("layer_names").getJavaType());

            Map<String, List<String>> realLayout = weightLayout(realWeights);
            Map<String, List<String>> ourLayout = weightLayout(ourWeights);
            assertEquals(Map.of("conv2d_1", List.of("conv2d_1/kernel:0", "conv2d_1/bias:0")), realLayout);
            assertEquals(List.of("conv2d", "average_pooling2d", "conv2d_1", "average_pooling2d_1", "flatten", "dense",
                    "dense_1", "dense_2"), names(ourWeights.getAttribute("layer_names")));
            for (String layer : List.of("conv2d", "conv2d_1", "dense", "dense_1", "dense_2")) {
                assertEquals(List.of(layer + "/kernel:0", layer + "/bias:0"), ourLayout.get(layer), layer);
            }
            // Layers without weights: Keras writes an empty weight_names array (h5py makes it float64),
            // which jHDF 0.13 cannot write; their group has none, which Keras reads as the empty list.
            Group realEmpty;
            try (HdfFile realBatchNorm = new HdfFile(Resources.file("tfkeras_cnn2d_64.h5"))) {
                realEmpty = (Group) realBatchNorm.getByPath("model_weights/max_pooling2d_36");
                assertTrue(realEmpty.getAttribute("weight_names").isEmpty());
                assertTrue(realEmpty.getChildren().isEmpty());
            }
            Group flatten = (Group) ourWeights.getChild("flatten");
            assertTrue(flatten.getChildren().isEmpty());
            assertFalse(flatten.getAttributes().containsKey("weight_names"));
            assertEquals(lenet.parameters().get(0).shape().dims().length,
                    ((Dataset) ours.getByPath("model_weights/conv2d/conv2d/kernel:0")).getDimensions().length);
            assertArrayEquals(new int[] {3, 3, 1, 6},
                    ((Dataset) ours.getByPath("model_weights/conv2d/conv2d/kernel:0")).getDimensions());
            assertArrayEquals(new int[] {3, 3, 5, 6},
                    ((Dataset) real.getByPath("model_weights/conv2d_1/conv2d_1/kernel:0")).getDimensions());
            assertArrayEquals(lenet.parameters().get(0).value(),
                    (float[]) ((Dataset) ours.getByPath("model_weights/conv2d/conv2d/kernel:0")).getDataFlat());
        }
    }

    @Test
    void theH5ConfigsHaveTheKeysTfKerasWrites() throws IOException {
        Map<String, Object> ours;
        Map<String, Object> real;
        try (HdfFile file = new HdfFile(h5); HdfFile tfkeras = new HdfFile(Resources.file("tfkeras_cnn2d_64.h5"))) {
            ours = configsByClass((String) file.getAttribute("model_config").getData());
            real = configsByClass((String) tfkeras.getAttribute("model_config").getData());
        }
        assertEquals(keys(real.get("InputLayer")), keys(ours.get("InputLayer")));
        assertEquals(keys(real.get("MaxPooling2D")), keys(ours.get("AveragePooling2D")));
        // tf.keras 2.3 added Conv2D's 'groups'; 2.2.4 predates it.
        Set<String> conv = new TreeSet<>(keys(real.get("Conv2D")));
        conv.add("groups");
        assertEquals(conv, keys(ours.get("Conv2D")));
        assertEquals("float32", config(ours.get("Conv2D")).get("dtype"));
        assertEquals(Map.of("class_name", "GlorotUniform", "config", nullSeed()),
                config(ours.get("Conv2D")).get("kernel_initializer"));
    }

    @Test
    void theKerasArchiveHasKeras3sEntriesConfigAndWeightsLayout() throws IOException {
        try (ZipFile zip = new ZipFile(keras.toFile())) {
            List<String> entries = new ArrayList<>();
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                entries.add(e.getName());
                assertEquals(ZipEntry.STORED, e.getMethod(), e.getName() + " stored, as Keras's zipfile writes it");
            }
            assertEquals(List.of("metadata.json", "config.json", "model.weights.h5"), entries);
            Map<?, ?> metadata = (Map<?, ?>) Json.parse(text(zip, "metadata.json"));
            assertEquals(Set.of("keras_version", "date_saved"), metadata.keySet());
            Map<?, ?> config = (Map<?, ?>) Json.parse(text(zip, "config.json"));
            assertEquals(Set.of("module", "class_name", "config", "registered_name", "build_config", "compile_config"),
                    config.keySet());
            assertEquals("keras", config.get("module"));
            assertEquals("Sequential", config.get("class_name"));
            Map<?, ?> model = (Map<?, ?>) config.get("config");
            List<?> layers = (List<?>) model.get("layers");
            Map<?, ?> input = (Map<?, ?>) layers.get(0);
            assertEquals("InputLayer", input.get("class_name"));
            assertEquals(Arrays.asList(null, 28L, 28L, 1L), ((Map<?, ?>) input.get("config")).get("batch_shape"));
            for (Object o : layers.subList(1, layers.size())) {
                Map<?, ?> layer = (Map<?, ?>) o;
                assertEquals(Set.of("module", "class_name", "config", "registered_name", "build_config"), layer.keySet());
                assertEquals("keras.layers", layer.get("module"));
                Map<?, ?> c = (Map<?, ?>) layer.get("config");
                assertEquals(List.of("name", "trainable", "dtype"), new ArrayList<>(c.keySet()).subList(0, 3));
                assertEquals("DTypePolicy", ((Map<?, ?>) c.get("dtype")).get("class_name"));
                if (c.containsKey("data_format")) {
                    assertEquals("channels_last", c.get("data_format"));
                }
            }
            Map<?, ?> conv = (Map<?, ?>) ((Map<?, ?>) layers.get(1)).get("config");
            assertEquals(List.of("name", "trainable", "dtype", "filters", "kernel_size", "strides", "padding",
                    "data_format", "dilation_rate", "groups", "activation", "use_bias", "kernel_initializer",
                    "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer",
                    "kernel_constraint", "bias_constraint"), new ArrayList<>(conv.keySet()));
            Map<?, ?> compile = (Map<?, ?>) config.get("compile_config");
            assertEquals("Adam", ((Map<?, ?>) compile.get("optimizer")).get("class_name"));
            assertEquals("sparse_categorical_crossentropy", compile.get("loss"));

            byte[] weights = zip.getInputStream(zip.getEntry("model.weights.h5")).readAllBytes();
            try (HdfFile h = HdfFile.fromBytes(weights)) {
                assertEquals(Set.of("layers", "optimizer", "vars"), h.getChildren().keySet());
                // Keras 3's optimizer variables: the step count, the learning rate, then m and v per parameter.
                Group optimizer = (Group) h.getByPath("optimizer/vars");
                assertEquals(2 + 2 * lenet.parameters().size(), optimizer.getChildren().size());
                assertEquals(lenet.optimizer().iterations(), ((long[]) ((Dataset) optimizer.getChild("0"))
                        .getDataFlat())[0]);
                assertEquals(0.001f, ((float[]) ((Dataset) optimizer.getChild("1")).getDataFlat())[0]);
                assertArrayEquals(lenet.optimizer().state().get("conv2d/kernel/v"),
                        (float[]) ((Dataset) optimizer.getChild("3")).getDataFlat());
                assertTrue(((Group) h.getChild("vars")).getChildren().isEmpty(), "the model's own variables: none");
                Group layerGroups = (Group) h.getChild("layers");
                assertEquals(new TreeSet<>(List.of("conv2d", "average_pooling2d", "conv2d_1", "average_pooling2d_1",
                        "flatten", "dense", "dense_1", "dense_2")), new TreeSet<>(layerGroups.getChildren().keySet()));
                for (int i = 0; i < lenet.layers().size(); i++) {
                    var layer = lenet.layers().get(i);
                    Group vars = (Group) h.getByPath("layers/" + KerasWeights.keras3Keys(List.of("Conv2D",
                            "AveragePooling2D", "Conv2D", "AveragePooling2D", "Flatten", "Dense", "Dense", "Dense")).get(i)
                            + "/vars");
                    assertEquals(layer.name(), vars.getAttribute("name").getData(), "vars names its layer");
                    Set<String> expected = new HashSet<>();
                    for (int w = 0; w < layer.parameters().size(); w++) {
                        expected.add(Integer.toString(w));
                        Dataset d = (Dataset) vars.getChild(Integer.toString(w));
                        assertArrayEquals(layer.parameters().get(w).shape().dims(), d.getDimensions());
                        assertArrayEquals(layer.parameters().get(w).value(), (float[]) d.getDataFlat());
                    }
                    assertEquals(expected, vars.getChildren().keySet(), layer.name());
                }
            }
        }
    }

    private static Set<String> attributeNames(Node node) {
        return new TreeSet<>(node.getAttributes().keySet());
    }

    private static Map<String, List<String>> weightLayout(Group weights) {
        Map<String, List<String>> layout = new LinkedHashMap<>();
        for (String layer : names(weights.getAttribute("layer_names"))) {
            Group g = (Group) weights.getChild(layer);
            Attribute a = g.getAttribute("weight_names");
            if (a == null || a.isEmpty()) {
                continue;
            }
            List<String> weightNames = names(a);
            for (String w : weightNames) {
                assertTrue(g.getByPath(w) instanceof Dataset, layer + ": " + w + " is a dataset at <layer>/<weight name>");
            }
            layout.put(layer, weightNames);
        }
        return layout;
    }

    private static List<String> names(Attribute a) {
        return List.of((String[]) a.getData());
    }

    /** The first config of each Keras class in a model_config. */
    private static Map<String, Object> configsByClass(String modelConfig) throws IOException {
        Map<?, ?> root = (Map<?, ?>) Json.parse(modelConfig);
        Map<String, Object> byClass = new LinkedHashMap<>();
        for (Object o : (List<?>) ((Map<?, ?>) root.get("config")).get("layers")) {
            Map<?, ?> layer = (Map<?, ?>) o;
            byClass.putIfAbsent((String) layer.get("class_name"), layer.get("config"));
        }
        return byClass;
    }

    private static Map<?, ?> config(Object o) {
        return (Map<?, ?>) o;
    }

    private static Set<String> keys(Object config) {
        Set<String> keys = new TreeSet<>();
        for (Object k : config((config)).keySet()) {
            keys.add((String) k);
        }
        return keys;
    }

    private static Map<String, Object> nullSeed() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seed", null);
        return m;
    }

    private static String text(ZipFile zip, String entry) throws IOException {
        return new String(zip.getInputStream(zip.getEntry(entry)).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
