package io.github.purecnn.keras;

import io.github.purecnn.io.internal.Json;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.Layers;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.tensor.Shape;
import io.jhdf.api.WritableGroup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Damaged and hostile Keras files, built here from a small valid model: each is refused with an
 * {@link java.io.IOException} subclass naming the file, and the layer and dataset or entry where
 * there is one; nothing is returned half built, an existing model's weights stay as they were,
 * and memory stays bounded (declared sizes are checked before anything is read or allocated).
 */
class KerasHostileFilesTest {
    @TempDir
    static Path dir;
    private static Sequential model;
    private static Path goodH5;
    private static Path goodKeras;

    @BeforeAll
    static void writeGoodFiles() throws IOException {
        model = small(2);
        goodH5 = dir.resolve("good.h5");
        goodKeras = dir.resolve("good.keras");
        KerasModels.save(model, goodH5);
        KerasModels.save(model, goodKeras);
    }

    /** Conv2D(filters, 3x3) 'conv' on (6, 6, 1), Flatten 'flat', Dense(3) 'out'. */
    private static Sequential small(int filters) {
        return new Sequential(5, Shape.of(6, 6, 1), new Conv2D(filters, 3).named("conv"), new Flatten().named("flat"),
                new Dense(3).named("out"));
    }

    // ---- damaged containers ----

    @Test
    void truncatedFilesAreRefusedNamingTheFile() throws IOException {
        for (Path good : List.of(goodH5, goodKeras)) {
            byte[] bytes = Files.readAllBytes(good);
            for (int length : new int[] {0, 7, 40, 100, bytes.length / 3, bytes.length / 2, bytes.length - 200,
                    bytes.length - 1}) {
                Path cut = dir.resolve("cut-" + length + "-" + good.getFileName());
                Files.write(cut, Arrays.copyOf(bytes, length));
                KerasFormatException e = refused(cut);
                assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
            }
        }
    }

    @Test
    void corruptBytesGiveAKerasFormatExceptionOrACompleteModelNeverAnythingElse() throws IOException {
        for (Path good : List.of(goodH5, goodKeras)) {
            byte[] bytes = Files.readAllBytes(good);
            SplittableRandom random = new SplittableRandom(42);
            int refusedCount = 0;
            for (int trial = 0; trial < 60; trial++) {
                byte[] damaged = bytes.clone();
                int at = random.nextInt(damaged.length);
                for (int i = at; i < Math.min(damaged.length, at + 1 + random.nextInt(16)); i++) {
                    damaged[i] = (byte) random.nextInt(256);
                }
                Path file = dir.resolve("corrupt-" + trial + "-" + good.getFileName());
                Files.write(file, damaged);
                Sequential loaded = null;
                Throwable thrown = null;
                try {
                    loaded = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> KerasModels.load(file));
                } catch (Throwable t) {
                    thrown = t;
                }
                if (thrown == null) {
                    // Damage to weight values or padding goes unseen (HDF5 has no checksums here), but the model is whole.
                    assertEquals(model.countParams(), loaded.countParams(), file.toString());
                } else if (thrown instanceof KerasFormatException e) {
                    refusedCount++;
                    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                } else {
                    fail(file + ": expected a KerasFormatException or a complete model, found " + thrown, thrown);
                }
            }
            assertTrue(refusedCount > 0, good + ": some damage must be seen");
        }
    }

    @Test
    void aFileThatIsNotKerasSaysWhatItExpected() throws IOException {
        Path text = dir.resolve("notes.h5");
        Files.writeString(text, "these are notes, not a model");
        assertTrue(refused(text).getMessage().contains("expected a Keras model file"));
        Path json = dir.resolve("arch.json");
        Files.writeString(json, "{\"class_name\": \"Sequential\"}");
        assertTrue(refused(json).getMessage().contains("without weights"));
        Path weightsOnly = dir.resolve("weights-only.h5");
        H5Writer.writeAtomically(weightsOnly, root -> KerasH5File.writeWeights(model, root));
        assertTrue(refused(weightsOnly).getMessage().contains("a weights-only file"));
    }

    // ---- configs that are not JSON, or lie ----

    @Test
    void aConfigThatIsNotJsonNamesTheAttributeOrEntry() throws IOException {
        Path h5 = dir.resolve("not-json.h5");
        writeH5(h5, "{\"class_name\": \"Sequential\", \"config\": [", model);
        assertTrue(refused(h5).getMessage().startsWith(h5 + " attribute 'model_config': expected JSON"));

        Path keras = dir.resolve("not-json.keras");
        replaceEntry(goodKeras, keras, "config.json", "{\"module\": ".getBytes(StandardCharsets.UTF_8));
        assertTrue(refused(keras).getMessage().startsWith(keras + " entry 'config.json': expected JSON"));

        Path latin = dir.resolve("not-utf8.keras");
        replaceEntry(goodKeras, latin, "config.json", new byte[] {'{', '"', (byte) 0xff, '"', '}'});
        assertTrue(refused(latin).getMessage().contains("expected UTF-8"));
    }

    @Test
    void aDatasetWhoseShapeDoesNotFitItsLayerNamesFileLayerAndDataset() throws IOException {
        Path h5 = dir.resolve("wrong-shape.h5");
        writeH5(h5, Json.write(KerasModelConfig.of(model, KerasDialect.KERAS2)), small(3));
        KerasFormatException e = refused(h5);
        assertEquals(h5 + ": dataset 'model_weights/conv/conv/kernel:0' of layer 'conv' (Conv2D) weight 'kernel':"
                + " expected shape (3, 3, 1, 2) (Keras layout), found (3, 3, 1, 3)", e.getMessage());
    }

    @Test
    void aConfigThatLiesAboutShapesIsCaught() throws IOException {
        // The input the config states does not fit the weights: the kernel says one channel, the input three.
        Map<String, Object> config = KerasModelConfig.of(model, KerasDialect.KERAS2);
        inputConfig(config).put("batch_input_shape", Arrays.asList(null, 6L, 6L, 3L));
        Path h5 = dir.resolve("lying-input.h5");
        writeH5(h5, Json.write(config), model);
        assertTrue(refused(h5).getMessage().contains("dataset 'model_weights/conv/conv/kernel:0' of layer 'conv'"
                + " (Conv2D) weight 'kernel': expected shape (3, 3, 3, 2)"));

        // Keras 3's build_config states each layer's input: a lie there is caught before any weight is read.
        Map<String, Object> k3 = KerasModelConfig.of(model, KerasDialect.KERAS3);
        Map<String, Object> dense = layerEntry(k3, 3);
        dense.put("build_config", Map.of("input_shape", Arrays.asList(null, 99L)));
        Path keras = dir.resolve("lying-build.keras");
        replaceEntry(goodKeras, keras, "config.json", Json.write(k3).getBytes(StandardCharsets.UTF_8));
        assertEquals(keras + ": layer 'out' (Dense): the config states input shape (99,), the layers before it give"
                + " (32,)", refused(keras).getMessage());
    }

    @Test
    void absurdSizesAreRefusedBeforeAnythingIsAllocated() throws IOException {
        Map<String, Object> config = KerasModelConfig.of(model, KerasDialect.KERAS2);
        layerConfig(config, 3).put("units", 1L << 24);
        Path h5 = dir.resolve("huge-dense.h5");
        writeH5(h5, Json.write(config), model);
        String message = refused(h5).getMessage();
        assertTrue(message.contains("layer 'out' (Dense) on input (32,) would have 553648128 weights"), message);
        assertTrue(message.contains("limit of 1073741824 bytes"), message);
        // A weight too large for one array is refused as such, from the config alone.
        layerConfig(config, 3).put("units", 1L << 30);
        writeH5(h5, Json.write(config), model);
        message = refused(h5).getMessage();
        assertTrue(message.contains("layer 'out' (Dense) on input (32,): ") && message.contains("does not fit in one"
                + " float[]: expected the model's weights within the limit of 1073741824 bytes"), message);

        // A dataset declaring a huge shape is refused from its header, before its data is read. Keras's
        // own files (h5py's object headers version 1) carry no checksums, so the header edit goes unseen...
        byte[] real = Files.readAllBytes(Resources.file("conv2d_tensorflow_2.h5"));
        int at = indexOf(real, longs(3, 3, 5, 6));
        assertTrue(at > 0, "the kernel's dataspace");
        System.arraycopy(longs(3, 3, 5, 600_000_000), 0, real, at, 32);
        Path huge = dir.resolve("huge-dataset.h5");
        Files.write(huge, real);
        String hugeMessage = refused(huge).getMessage();
        assertEquals(huge + ": dataset 'model_weights/conv2d_1/conv2d_1/kernel:0' of layer 'conv2d_1' (Conv2D) weight"
                + " 'kernel': expected shape (3, 3, 5, 6) (Keras layout), found (3, 3, 5, 600000000)", hugeMessage);
        // ... while the version 2 headers purecnn writes have checksums, which catch it as corruption.
        byte[] ours = Files.readAllBytes(goodH5);
        at = indexOf(ours, longs(3, 3, 1, 2));
        assertTrue(at > 0, "the kernel's dataspace");
        System.arraycopy(longs(3, 3, 1, 400_000_000), 0, ours, at, 32);
        Path checked = dir.resolve("huge-dataset-checksummed.h5");
        Files.write(checked, ours);
        String checkedMessage = refused(checked).getMessage();
        assertTrue(checkedMessage.startsWith(checked + ": 'model_weights/conv/conv/kernel:0': corrupt HDF5"),
                checkedMessage);

        // An archive entry far larger than its model's weights (a zip bomb) is refused by its size, not read.
        Path bomb = dir.resolve("bomb.keras");
        replaceEntry(goodKeras, bomb, "model.weights.h5", new byte[50 << 20]);
        String bombMessage = refused(bomb).getMessage();
        assertTrue(bombMessage.contains("entry 'model.weights.h5': declares 52428800 bytes, expected at most"),
                bombMessage);
    }

    @Test
    void aFailedWeightsLoadLeavesTheModelAsItWas() throws IOException {
        Sequential target = small(2);
        List<float[]> before = new ArrayList<>();
        for (Parameter p : target.parameters()) {
            before.add(p.value().clone());
        }
        // The file's conv fits, its Dense does not: nothing may change, not even the conv.
        Sequential other = new Sequential(9, Shape.of(6, 6, 1), new Conv2D(2, 3).named("conv"),
                new Flatten().named("flat"), new Dense(4).named("out"));
        Path h5 = dir.resolve("half-fits.h5");
        KerasModels.save(other, h5);
        for (KerasModels.Match match : KerasModels.Match.values()) {
            KerasFormatException e = assertThrows(KerasFormatException.class,
                    () -> KerasModels.loadWeights(target, h5, match));
            assertTrue(e.getMessage().contains("of layer 'out' (Dense) weight 'kernel': expected shape (32, 3)"),
                    e.getMessage());
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), target.parameters().get(i).value());
            }
        }
        Path renamed = dir.resolve("renamed.h5");
        KerasModels.save(new Sequential(9, Shape.of(6, 6, 1), new Conv2D(2, 3).named("c2"), new Flatten(),
                new Dense(3).named("out")), renamed);
        KerasFormatException e = assertThrows(KerasFormatException.class,
                () -> KerasModels.loadWeights(target, renamed, KerasModels.Match.BY_NAME));
        assertTrue(e.getMessage().contains("model layer 'conv' (Conv2D) has weights, the file has no layer of that"
                + " name with weights: found [c2, out]"), e.getMessage());
    }

    @Test
    void optimizerStateThatDoesNotFitIsRefusedOrLeftOutAsKerasDoes() throws IOException {
        Sequential compiled = small(2).compile(new Adam(), Loss.sparseCategoricalCrossentropy());
        Sequential other = small(3).compile(new Adam(), Loss.sparseCategoricalCrossentropy());
        // The state of a model with 3 filters: as many arrays, shapes that do not fit.
        Path h5 = dir.resolve("optimizer-shapes.h5");
        writeWithOptimizerState(h5, compiled, other);
        assertEquals(h5 + ": dataset 'optimizer_weights/Adam/conv/kernel/m:0' of the Adam optimizer's state (m of"
                + " conv/kernel): expected shape (3, 3, 1, 2), found (3, 3, 1, 3)", refused(h5).getMessage());

        // State for another optimizer (SGD with momentum: one slot per parameter, not two): left out, as Keras warns.
        Sequential sgd = small(2).compile(new SGD(0.1, 0.5, false), Loss.sparseCategoricalCrossentropy());
        Path mismatched = dir.resolve("optimizer-count.h5");
        writeWithOptimizerState(mismatched, compiled, sgd);
        Sequential loaded = KerasModels.load(mismatched);
        assertEquals("Adam", loaded.optimizer().typeName());
        assertEquals(0, loaded.optimizer().iterations(), "a fresh optimizer");
    }

    // ---- well-formed files purecnn cannot represent: refused before any weight is read ----

    @Test
    void whatPurecnnCannotRepresentIsRefusedNamingLayerClassAndArgument() throws IOException {
        assertUnsupported(layer -> layer.put("data_format", "channels_first"), "layer 'conv' (Conv2D) argument"
                + " 'data_format': expected \"channels_last\", found \"channels_first\"");
        assertUnsupported(layer -> layer.put("groups", 2L), "layer 'conv' (Conv2D) argument"
                + " 'groups': expected 1, found 2: purecnn's Conv2D has no grouped convolution");
        Object l2 = Json.parse("{\"class_name\": \"L2\", \"config\": {\"l2\": 0.01}}");
        assertUnsupported(layer -> layer.put("activity_regularizer", l2), "layer 'conv' (Conv2D) argument 'activity_regularizer': expected"
                + " null, found {\"class_name\":\"L2\",\"config\":{\"l2\":0.01}}: purecnn has no activity regularizers");
        assertUnsupported(layer -> layer.put("kernel_regularizer", Map.of("class_name", "OrthogonalRegularizer",
                "config", Map.of())), "layer 'conv' (Conv2D): Conv2D config: key 'kernel_regularizer': unknown"
                + " regularizer 'OrthogonalRegularizer'");
        assertUnsupported(layer -> layer.put("kernel_constraint", Map.of("class_name", "MaxNorm", "config",
                Map.of("max_value", 2.0))), "argument 'kernel_constraint'");
        assertUnsupported(layer -> layer.put("dtype", "float16"), "layer 'conv' (Conv2D) argument 'dtype': expected"
                + " float32 or float64, found \"float16\"");
        assertUnsupported(layer -> layer.put("activation", "mish"), "layer 'conv' (Conv2D): Conv2D config: key"
                + " 'activation': unknown activation 'mish'");
        assertUnsupported(layer -> layer.put("activation", "hard_sigmoid"), "layer 'conv' (Conv2D) argument"
                + " 'activation': Keras 2's hard_sigmoid is clip(0.2 x + 0.5, 0, 1)");
        assertUnsupported(layer -> layer.put("depth_multiplier", 2L), "argument 'depth_multiplier': an argument"
                + " purecnn does not implement");
    }

    @Test
    void anUnknownLayerListsTheSupportedOnes() throws IOException {
        KerasFormatException e = refused(TestModels.unsupportedModelFile(dir));
        assertTrue(e instanceof UnsupportedKerasModelException);
        UnsupportedKerasModelException u = (UnsupportedKerasModelException) e;
        assertEquals("norm", u.layer());
        assertEquals("LayerNormalization", u.kerasClass());
        assertTrue(e.getMessage().contains("purecnn has no such layer; the layers it reads are [Activation,"
                + " AveragePooling2D, BatchNormalization, Conv2D, Cropping2D, Dense, DepthwiseConv2D, Dropout, Flatten,"
                + " GlobalAveragePooling2D, GlobalMaxPooling2D, InputLayer, LeakyReLU, MaxPooling2D, Normalization,"
                + " RandomContrast, RandomCrop, RandomFlip, RandomRotation, RandomTranslation, RandomZoom, Rescaling,"
                + " Reshape, Resizing, SeparableConv2D, SpatialDropout2D, UpSampling2D, ZeroPadding2D]"), e.getMessage());
        assertEquals(KerasLayerTable.supportedClasses().size(), Layers.TYPES.size() + 1, "every built-in layer type"
                + " has its Keras class, and InputLayer");
    }

    @Test
    void aBranchingGraphAndACustomObjectAreRefused() throws IOException {
        Map<String, Object> root = functionalOf(model);
        Map<String, Object> config = map(root.get("config"));
        List<Object> layers = list(config.get("layers"));
        // 'out' now takes two inputs, as after a Concatenate: a branch.
        Map<String, Object> out = map(layers.get(3));
        out.put("inbound_nodes", List.of(List.of(List.of("flat", 0L, 0L, Map.of()), List.of("conv", 0L, 0L, Map.of()))));
        Path h5 = dir.resolve("branching.h5");
        writeH5(h5, Json.write(root), model);
        assertTrue(refused(h5).getMessage().contains("layer 'out' (Dense) argument 'inbound_nodes': the graph branches"
                + " here (a layer of 2 inputs [flat, conv])"));

        Map<String, Object> k3 = KerasModelConfig.of(model, KerasDialect.KERAS3);
        layerEntry(k3, 2).put("registered_name", "my_package>FancyFlatten");
        layerEntry(k3, 2).put("module", "my_package");
        Path keras = dir.resolve("custom.keras");
        replaceEntry(goodKeras, keras, "config.json", Json.write(k3).getBytes(StandardCharsets.UTF_8));
        UnsupportedKerasModelException e = (UnsupportedKerasModelException) refused(keras);
        assertEquals("flat", e.layer());
        assertTrue(e.getMessage().contains("a custom object (module \"my_package\", registered name"
                + " \"my_package>FancyFlatten\")"), e.getMessage());
    }

    @Test
    void aWeightOfAnotherTypeIsRefusedNamingTheDataset() throws IOException {
        Path h5 = dir.resolve("int-kernel.h5");
        String config = Json.write(KerasModelConfig.of(model, KerasDialect.KERAS2));
        H5Writer.writeAtomically(h5, root -> {
            root.putAttribute("model_config", config);
            WritableGroup weights = root.putGroup("model_weights");
            weights.putAttribute("layer_names", new String[] {"conv", "flat", "out"});
            WritableGroup conv = weights.putGroup("conv");
            conv.putAttribute("weight_names", new String[] {"conv/kernel:0", "conv/bias:0"});
            WritableGroup convWeights = conv.putGroup("conv");
            convWeights.putDataset("kernel:0", new int[3][3][1][2]);
            convWeights.putDataset("bias:0", new float[2]);
            weights.putGroup("flat");
            WritableGroup out = weights.putGroup("out");
            out.putAttribute("weight_names", new String[] {"out/kernel:0", "out/bias:0"});
            WritableGroup outWeights = out.putGroup("out");
            outWeights.putDataset("kernel:0", new float[32][3]);
            outWeights.putDataset("bias:0", new float[3]);
        });
        String message = refused(h5).getMessage();
        assertTrue(message.contains("dataset 'model_weights/conv/conv/kernel:0' of layer 'conv' (Conv2D) weight"
                + " 'kernel'") && message.contains("expected float32 or float64"), message);
    }

    // ---- helpers ----

    private interface Edit {
        void apply(Map<String, Object> layerConfig);
    }

    /** An .h5 whose first layer's config is edited, and which has no weights at all: the architecture must fail first. */
    private static void assertUnsupported(Edit edit, String fragment) throws IOException {
        Map<String, Object> config = KerasModelConfig.of(model, KerasDialect.KERAS2);
        edit.apply(layerConfig(config, 1));
        Path h5 = dir.resolve("unsupported.h5");
        H5Writer.writeAtomically(h5, root -> root.putAttribute("model_config", Json.write(config)));
        KerasFormatException e = refused(h5);
        assertTrue(e instanceof UnsupportedKerasModelException, e.toString());
        assertTrue(e.getMessage().startsWith(h5 + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "expected '" + fragment + "' in: " + e.getMessage());
    }

    private static KerasFormatException refused(Path file) {
        return assertThrows(KerasFormatException.class, () -> KerasModels.load(file), file.toString());
    }

    /** A Keras 2 model file with this config text and the weights of {@code weightsFrom}. */
    private static void writeH5(Path file, String modelConfig, Sequential weightsFrom) throws IOException {
        H5Writer.writeAtomically(file, root -> {
            root.putAttribute("backend", "tensorflow");
            root.putAttribute("keras_version", "2.15.0");
            root.putAttribute("model_config", modelConfig);
            KerasH5File.writeWeights(weightsFrom, root.putGroup("model_weights"));
        });
    }

    /** A Keras 2 model file of {@code model}, compiled, with the optimizer state of {@code stateFrom}. */
    private static void writeWithOptimizerState(Path file, Sequential model, Sequential stateFrom) throws IOException {
        String config = Json.write(KerasModelConfig.of(model, KerasDialect.KERAS2));
        String training = Json.write(KerasTraining.settings(model, KerasDialect.KERAS2));
        H5Writer.writeAtomically(file, root -> {
            root.putAttribute("model_config", config);
            root.putAttribute("training_config", training);
            KerasH5File.writeWeights(model, root.putGroup("model_weights"));
            KerasOptimizerState.writeKeras2(stateFrom, root, KerasOptimizerState.Layout.KERAS2_LEGACY);
        });
    }

    /** A copy of the archive with one entry's content replaced. */
    private static void replaceEntry(Path from, Path to, String entry, byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipFile in = new ZipFile(from.toFile()); ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(e.getName().equals(entry) ? content : in.getInputStream(e).readAllBytes());
                out.closeEntry();
            }
        }
        Files.write(to, bytes.toByteArray());
    }

    /** The functional (Keras 2) form of a Sequential config: named layers with inbound nodes, a chain. */
    private static Map<String, Object> functionalOf(Sequential m) {
        Map<String, Object> root = KerasModelConfig.of(m, KerasDialect.KERAS2);
        root.put("class_name", "Model");
        Map<String, Object> config = map(root.get("config"));
        List<Object> layers = list(config.get("layers"));
        String previous = null;
        for (Object o : layers) {
            Map<String, Object> layer = map(o);
            String name = (String) map(layer.get("config")).get("name");
            layer.put("name", name);
            layer.put("inbound_nodes", previous == null ? List.of()
                    : List.of(List.of(List.of(previous, 0L, 0L, Map.of()))));
            previous = name;
        }
        String input = (String) map(map(layers.get(0)).get("config")).get("name");
        config.put("input_layers", List.of(List.of(input, 0L, 0L)));
        config.put("output_layers", List.of(List.of(previous, 0L, 0L)));
        return root;
    }

    private static Map<String, Object> layerEntry(Map<String, Object> root, int index) {
        List<Object> layers = list(map(root.get("config")).get("layers"));
        return map(layers.get(index));
    }

    private static Map<String, Object> layerConfig(Map<String, Object> root, int index) {
        return map(layerEntry(root, index).get("config"));
    }

    private static Map<String, Object> inputConfig(Map<String, Object> root) {
        return layerConfig(root, 0);
    }

    private static byte[] longs(long... values) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * values.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }
}
