package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.github.purecnn.testing.Archives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model file: exact round trips (predictions bit for bit, optimizer state, resumed training)
 * on MNIST with the seed model, and every way a damaged or foreign file must be refused, each
 * archive built here by taking a good file apart.
 */
class ModelFileTest {
    private static Dataset train;
    private static Dataset test;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadMnist() throws IOException {
        Path data = Path.of("mnist-data");
        train = Mnist.loadPair(data.resolve("train-images-idx3-ubyte.gz"), data.resolve("train-labels-idx1-ubyte.gz"))
                .subset(0, 640);
        test = Mnist.loadPair(data.resolve("t10k-images-idx3-ubyte.gz"), data.resolve("t10k-labels-idx1-ubyte.gz"))
                .subset(0, 200);
    }

    private static Sequential trainedLeNet(int epochs) {
        Sequential model = LeNet.create(7).compile(new Adam(0.002), Loss.sparseCategoricalCrossentropy(),
                Metric.ACCURACY);
        model.fit(train, new FitOptions().epochs(epochs).batchSize(64).shuffle(false).verbose(0));
        return model;
    }

    /** A small CNN with dropout, trained with shuffling from seed 11. */
    private static Sequential trainedWithDropout(int epochs) {
        Sequential model = new Sequential(11, Shape.of(28, 28, 1),
                new Conv2D(4, 3).strides(2).activation(Activation.RELU),
                new Flatten(),
                new Dropout(0.3),
                new Dense(10).activation(Activation.SOFTMAX));
        model.compile(new Adam(0.002), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        model.fit(train, new FitOptions().epochs(epochs).batchSize(64).verbose(0));
        return model;
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + ", found " + actual[i]);
            }
        }
    }

    // ---- round trips ----

    @Test
    void aLoadedModelPredictsBitForBitTheSameAndKeepsItsSettings() throws IOException {
        Sequential model = trainedLeNet(1).named("lenet");
        Path file = dir.resolve("lenet.purecnn");
        model.save(file);
        Sequential loaded = Sequential.load(file);

        assertBitsEqual(model.predict(test).data(), loaded.predict(test).data(), "probabilities");
        assertEquals("lenet", loaded.name());
        assertEquals(model.seed(), loaded.seed());
        assertEquals(model.inputShape(), loaded.inputShape());
        for (int i = 0; i < model.layers().size(); i++) {
            assertEquals(model.layers().get(i).typeName(), loaded.layers().get(i).typeName());
            assertEquals(model.layers().get(i).config(), loaded.layers().get(i).config());
        }
        assertEquals(model.optimizer().typeName(), loaded.optimizer().typeName());
        assertEquals(model.optimizer().config(), loaded.optimizer().config());
        assertEquals(model.optimizer().iterations(), loaded.optimizer().iterations());
        assertEquals(10, loaded.optimizer().iterations(), "640 images in batches of 64");
        Map<String, float[]> state = model.optimizer().state();
        Map<String, float[]> loadedState = loaded.optimizer().state();
        assertEquals(state.keySet(), loadedState.keySet());
        for (String name : state.keySet()) {
            assertBitsEqual(state.get(name), loadedState.get(name), name);
        }
        assertEquals(model.loss().kerasName(), loaded.loss().kerasName());
        assertEquals(model.metrics(), loaded.metrics());
    }

    /**
     * Resuming is exact: the weights, the optimizer (moments and step count) and the training
     * progress, from which each epoch's shuffle and each step's dropout draws follow. The model
     * has dropout and the fit shuffles, so any lost state would show in the weights.
     */
    @Test
    void trainingResumedFromAFileEndsWithTheWeightsOfAnUninterruptedRun() throws IOException {
        Sequential uninterrupted = trainedWithDropout(2);

        Path file = dir.resolve("epoch1.purecnn");
        trainedWithDropout(1).save(file);
        Sequential resumed = Sequential.load(file);
        assertEquals(1, resumed.epochsTrained());
        resumed.fit(train, new FitOptions().epochs(1).batchSize(64).verbose(0));

        List<Parameter> want = uninterrupted.parameters();
        List<Parameter> got = resumed.parameters();
        for (int i = 0; i < want.size(); i++) {
            assertBitsEqual(want.get(i).value(), got.get(i).value(), want.get(i).path());
        }
        assertEquals(uninterrupted.optimizer().iterations(), resumed.optimizer().iterations());
    }

    @Test
    void anUncompiledModelSavesWithoutCompileSettingsAndLoadsUncompiled() throws IOException {
        Sequential model = LeNet.create(3);
        Path file = dir.resolve("plain.purecnn");
        model.save(file);
        Map<String, byte[]> entries = Archives.read(file);
        assertFalse(Archives.manifest(entries).containsKey("compile"));
        assertEquals(11, entries.size(), "the manifest and 10 weights");
        Sequential loaded = Sequential.load(file);
        assertFalse(loaded.isCompiled());
        assertBitsEqual(model.predict(test).data(), loaded.predict(test).data(), "probabilities");
    }

    @Test
    void sgdWithMomentumKeepsItsVelocity() throws IOException {
        Sequential model = GoldenModelFileTest.tiny(5).compile(new SGD(0.1, 0.9, true),
                Loss.categoricalCrossentropy(), Metric.ACCURACY);
        model.fit(GoldenModelFileTest.inputs(6), GoldenModelFileTest.labels(6),
                new FitOptions().epochs(2).batchSize(3).verbose(0));
        Path file = dir.resolve("sgd.purecnn");
        model.save(file);
        Sequential loaded = Sequential.load(file);
        assertEquals(model.optimizer().config(), loaded.optimizer().config());
        assertEquals("categorical_crossentropy", loaded.loss().kerasName());
        assertBitsEqual(model.optimizer().state().get("dense/kernel/momentum"),
                loaded.optimizer().state().get("dense/kernel/momentum"), "velocity");
        assertTrue(Archives.read(file).containsKey("optimizer/dense/kernel/momentum.npy"));
    }

    @Test
    void entriesAreNumPyFilesWithKerasNamesAndChecksums() throws IOException {
        Sequential model = trainedLeNet(1);
        Path file = dir.resolve("m.purecnn");
        model.save(file);
        Map<String, byte[]> entries = Archives.read(file);
        assertEquals(ModelFile.MANIFEST, entries.keySet().iterator().next(), "the manifest comes first");
        Map<String, Object> manifest = Archives.manifest(entries);
        assertEquals("purecnn-model", manifest.get("format"));
        assertEquals("1.2", manifest.get("format_version"));
        Map<?, ?> modelSection = (Map<?, ?>) manifest.get("model");
        assertEquals(1L, modelSection.get("epochs_trained"));
        assertEquals(10L, modelSection.get("steps_trained"), "640 images in batches of 64");
        List<?> weights = (List<?>) manifest.get("weights");
        assertEquals(10, weights.size());
        Map<?, ?> first = (Map<?, ?>) weights.get(0);
        assertEquals("conv2d/kernel.npy", first.get("entry"));
        assertEquals(List.of(3L, 3L, 1L, 6L), first.get("shape"));
        assertEquals(ModelFile.sha256(entries.get("conv2d/kernel.npy")), first.get("sha256"));
        assertEquals(io.github.purecnn.io.NpyArray.of(model.parameters().get(0).value(), 3, 3, 1, 6),
                io.github.purecnn.io.Npy.read(new java.io.ByteArrayInputStream(entries.get("conv2d/kernel.npy")),
                        "conv2d/kernel.npy", 1 << 20));
        assertTrue(entries.containsKey("optimizer/dense_2/bias/v.npy"));
    }

    @Test
    void savingTheSameModelTwiceGivesTheSameBytes() throws IOException {
        Sequential model = GoldenModelFileTest.tiny(1);
        model.save(dir.resolve("a"));
        model.save(dir.resolve("b"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a")), Files.readAllBytes(dir.resolve("b")));
    }

    @Test
    void savingReplacesTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("m.purecnn");
        GoldenModelFileTest.tiny(1).save(file);
        GoldenModelFileTest.tiny(2).save(file);
        assertEquals(2, Sequential.load(file).seed());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    // ---- damaged and foreign files ----

    /** A small compiled model file to damage. */
    private Path goodFile() throws IOException {
        Sequential model = GoldenModelFileTest.tiny(11).compile(new Adam(), Loss.sparseCategoricalCrossentropy(),
                Metric.ACCURACY);
        model.fit(GoldenModelFileTest.inputs(6), GoldenModelFileTest.labels(6),
                new FitOptions().epochs(1).batchSize(3).verbose(0));
        Path file = dir.resolve("good.purecnn");
        model.save(file);
        return file;
    }

    private Path rewrite(Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve("bad.purecnn");
        Archives.write(file, entries);
        return file;
    }

    /** Loading fails with a ModelFormatException whose message names the file and contains each fragment. */
    private static ModelFormatException assertRefused(Path file, String... fragments) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Sequential.load(file));
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void aTruncatedArchiveIsRefusedNamingTheEntryItEndsIn() throws IOException {
        Path file = goodFile();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
        assertRefused(file, "entry '", "truncated");
    }

    @Test
    void anArchiveCutInItsCentralDirectoryIsRefusedThoughEveryEntryIsWhole() throws IOException {
        Path file = goodFile();
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 30));
        assertRefused(file, "truncated or corrupt ZIP archive", "expected a central directory at its end");
    }

    @Test
    void aChangedByteInATensorFailsItsChecksum() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        byte[] kernel = entries.get("dense/kernel.npy");
        kernel[kernel.length - 1] ^= 1;
        assertRefused(rewrite(entries), "entry 'dense/kernel.npy'", "SHA-256 mismatch");
    }

    @Test
    void aFlippedByteInTheCompressedDataIsCaughtByTheZipLayerOrTheChecksum() throws IOException {
        Path file = goodFile();
        byte[] bytes = Files.readAllBytes(file);
        int at = indexOf(bytes, "dense/kernel.npy".getBytes(StandardCharsets.US_ASCII)) + 40;
        bytes[at] ^= 0x55;
        Files.write(file, bytes);
        assertRefused(file, "entry 'dense/kernel.npy'");
    }

    @Test
    void aMissingEntryIsNamed() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        entries.remove("dense_1/bias.npy");
        assertRefused(rewrite(entries), "entry 'dense_1/bias.npy'", "missing");
    }

    @Test
    void aMissingOptimizerStateEntryIsNamed() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        entries.remove("optimizer/conv2d/bias/v.npy");
        assertRefused(rewrite(entries), "entry 'optimizer/conv2d/bias/v.npy'", "missing");
    }

    @Test
    void anEntryTheManifestDoesNotListIsRefused() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        entries.put("extra.npy", new byte[10]);
        assertRefused(rewrite(entries), "entry 'extra.npy'", "the manifest does not list it");
    }

    @Test
    void aShapeThatDoesNotFitTheArchitectureNamesBothShapes() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        Map<String, Object> manifest = Archives.manifest(entries);
        Map<String, Object> kernel = weight(manifest, 0);
        kernel.put("shape", List.of(3L, 3L, 1L, 3L));
        Archives.putManifest(entries, manifest);
        assertRefused(rewrite(entries), "entry 'conv2d/kernel.npy'", "(3, 3, 1, 3)", "conv2d/kernel has shape (3, 3, 1, 2)");
    }

    @Test
    void aTensorWhoseBytesDisagreeWithTheManifestIsRefused() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        Map<String, Object> manifest = Archives.manifest(entries);
        // The bias of dense (4 values) stored as the bias of conv2d (2 values), checksum updated to match.
        entries.put("conv2d/bias.npy", entries.get("dense/bias.npy"));
        weight(manifest, 1).put("sha256", ModelFile.sha256(entries.get("dense/bias.npy")));
        Archives.putManifest(entries, manifest);
        assertRefused(rewrite(entries), "entry 'conv2d/bias.npy'");
    }

    @Test
    void anAbsurdDeclaredSizeIsRefusedBeforeReadingAnyTensor() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        Map<String, Object> manifest = Archives.manifest(entries);
        weight(manifest, 0).put("shape", List.of(100_000L, 100_000L, 100L, 2L));
        Archives.putManifest(entries, manifest);
        assertRefused(rewrite(entries), "entry 'conv2d/kernel.npy'",
                "declares float32 shape (100000, 100000, 100, 2), more than 1073741824 bytes",
                "expected at most the limit of 1073741824 bytes");
    }

    @Test
    void declaredSizesAreHeldAgainstTheCallersLimit() throws IOException {
        Path file = goodFile();
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Sequential.load(file, 100));
        assertTrue(e.getMessage().contains("limit of 100 bytes"), e.getMessage());
    }

    @Test
    void aZipBombEntryIsStoppedOnceItInflatesPastItsDeclaredSize() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        // 64 MB of zeros deflate to about 64 KB; the entry declares 4 float32 values.
        entries.put("dense/bias.npy", new byte[64 << 20]);
        Path file = rewrite(entries);
        assertTrue(Files.size(file) < 1 << 20, "the archive itself is small");
        assertRefused(file, "entry 'dense/bias.npy'", "refusing to inflate further");
    }

    @Test
    void aZipBombManifestIsStoppedAtTheManifestLimit() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        byte[] manifest = Arrays.copyOf(entries.get(ModelFile.MANIFEST), 8 << 20);
        Arrays.fill(manifest, entries.get(ModelFile.MANIFEST).length, manifest.length, (byte) ' ');
        entries.put(ModelFile.MANIFEST, manifest);
        assertRefused(rewrite(entries), "entry 'manifest.json'", "refusing to inflate further");
    }

    @Test
    void anUnknownFormatIsRefused() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        Map<String, Object> manifest = Archives.manifest(entries);
        manifest.put("format", "keras-v3");
        Archives.putManifest(entries, manifest);
        assertRefused(rewrite(entries), "entry 'manifest.json'", "expected format 'purecnn-model', found 'keras-v3'");
    }

    @Test
    void aNewerMajorVersionIsRefusedAndANewerMinorVersionLoads() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        Map<String, Object> manifest = Archives.manifest(entries);
        manifest.put("format_version", "2.0");
        Archives.putManifest(entries, manifest);
        assertRefused(rewrite(entries), "entry 'manifest.json'", "format version 2.0 is newer", "expected 1.x");

        manifest.put("format_version", "1.7");
        manifest.put("a_key_from_version_1_7", List.of("ignored"));
        Archives.putManifest(entries, manifest);
        assertEquals(11, Sequential.load(rewrite(entries)).seed());
    }

    @Test
    void anUnknownLayerTypeIsRefused() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        Map<String, Object> manifest = Archives.manifest(entries);
        layer(manifest, 1).put("type", "Conv3D");
        Archives.putManifest(entries, manifest);
        assertRefused(rewrite(entries), "entry 'manifest.json'", "model.layers[1]", "unknown layer type 'Conv3D'");
    }

    @Test
    void aBadLayerConfigIsRefused() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        Map<String, Object> manifest = Archives.manifest(entries);
        config(manifest, 0).put("filters", "two");
        Archives.putManifest(entries, manifest);
        assertRefused(rewrite(entries), "entry 'manifest.json'", "model.layers[0]", "key 'filters'");

        config(manifest, 0).put("filters", 0L);
        Archives.putManifest(entries, manifest);
        assertRefused(rewrite(entries), "model.layers[0]", "Conv2D filters must be at least 1, found 0");
    }

    @Test
    void aModelWithoutLayersIsRefused() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        Map<String, Object> manifest = Archives.manifest(entries);
        ((List<?>) ((Map<?, ?>) manifest.get("model")).get("layers")).clear();
        Archives.putManifest(entries, manifest);
        assertRefused(rewrite(entries), "entry 'manifest.json'", "model.layers", "at least one layer");
    }

    @Test
    void aConfigAskingForAbsurdlyManyParametersIsRefusedBeforeAllocating() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        Map<String, Object> manifest = Archives.manifest(entries);
        config(manifest, 4).put("units", 1_500_000_000L);
        Archives.putManifest(entries, manifest);
        assertRefused(rewrite(entries), "entry 'manifest.json'", "model.layers[4]", "does not fit in one float[]");
    }

    @Test
    void aManifestThatIsNotJsonIsRefusedWithLineAndColumn() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        entries.put(ModelFile.MANIFEST, "{\"format\": purecnn}".getBytes(StandardCharsets.UTF_8));
        assertRefused(rewrite(entries), "entry 'manifest.json'", "line 1, column 12");
    }

    @Test
    void aManifestThatIsNotFirstIsRefused() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        byte[] manifest = entries.remove(ModelFile.MANIFEST);
        entries.put(ModelFile.MANIFEST, manifest);
        assertRefused(rewrite(entries), "expected 'manifest.json' as the first entry, found 'conv2d/kernel.npy'");
    }

    @Test
    void filesThatAreNotArchivesAreRefused() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a model");
        assertRefused(text, "not a model file", "6e 6f 74 20");
        Path empty = Files.write(dir.resolve("empty.purecnn"), new byte[0]);
        assertRefused(empty, "an empty file");
    }

    @Test
    void aMissingFileIsAFileSystemErrorNotAFormatError() {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Sequential.load(dir.resolve("absent")));
    }

    @Test
    void aNonFiniteWeightOrStateIsRefusedNamingTheEntryAndTheValue() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        for (String entry : List.of("dense/kernel.npy", "optimizer/dense/kernel/v.npy")) {
            Map<String, byte[]> copy = new java.util.LinkedHashMap<>(entries);
            byte[] npy = copy.get(entry).clone();
            // The last float of the data, little-endian: +infinity.
            npy[npy.length - 4] = 0;
            npy[npy.length - 3] = 0;
            npy[npy.length - 2] = (byte) 0x80;
            npy[npy.length - 1] = 0x7f;
            copy.put(entry, npy);
            Map<String, Object> manifest = Archives.manifest(copy);
            List<Object> all = new java.util.ArrayList<>((List<?>) manifest.get("weights"));
            all.addAll((List<?>) ((Map<?, ?>) ((Map<?, ?>) manifest.get("compile")).get("optimizer")).get("state"));
            for (Object t : all) {
                @SuppressWarnings("unchecked")
                Map<String, Object> tensor = (Map<String, Object>) t;
                if (tensor.get("entry").equals(entry)) {
                    tensor.put("sha256", Archives.sha256(npy));
                }
            }
            Archives.putManifest(copy, manifest);
            assertRefused(rewrite(copy), "entry '" + entry + "'", "expected finite values, found 1 NaN or infinite"
                    + " (the first, Infinity, at flat index 7 of shape (2, 4))");
        }
    }

    @Test
    void aModelTooLargeForTheHeapIsRefusedNamingTheLayerBeforeAnythingIsBuilt() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        Map<String, Object> manifest = Archives.manifest(entries);
        // dense: 2 inputs to 4 units becomes 2 to 50 million (and dense_1 50 million to 3): 1.2 GB of
        // weights, within a limit raised to the most allowed, but with gradients and a shard's
        // activations far beyond a 2 GB test heap. Nothing is allocated: refused from the manifest.
        config(manifest, 4).put("units", 50_000_000L);
        weight(manifest, 2).put("shape", List.of(2L, 50_000_000L));
        weight(manifest, 3).put("shape", List.of(50_000_000L));
        weight(manifest, 4).put("shape", List.of(50_000_000L, 3L));
        manifest.remove("compile");
        Archives.putManifest(entries, manifest);
        entries.keySet().removeIf(n -> n.startsWith("optimizer/"));
        Path file = rewrite(entries);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Sequential.load(file, Integer.MAX_VALUE - 8));
        assertTrue(e.getMessage().startsWith(file + " entry 'manifest.json': the model needs about "), e.getMessage());
        assertTrue(e.getMessage().contains("the largest share is layer 'dense' (Dense, output (50000000,),"
                + " 150,000,000 parameters)"), e.getMessage());
    }

    @Test
    void anEntryNameThatIsNotUtf8IsRefusedNamingThePlace() throws IOException {
        Map<String, byte[]> entries = Archives.read(goodFile());
        entries.put("\u00e9.npy", new byte[4]);
        Path file = dir.resolve("latin1.purecnn");
        Archives.write(file, entries, StandardCharsets.ISO_8859_1);
        assertRefused(file, ", entry after 'optimizer/dense_1/bias/v.npy': corrupt ZIP archive", "not valid UTF-8");
    }

    @Test
    void savingOntoASymbolicLinkReplacesItsTargetAndKeepsTheLink() throws IOException {
        Path models = Files.createDirectory(dir.resolve("models"));
        Path target = models.resolve("v1.purecnn");
        GoldenModelFileTest.tiny(1).save(target);
        Path link = Files.createSymbolicLink(dir.resolve("current.purecnn"), target);
        GoldenModelFileTest.tiny(2).save(link);
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(2, Sequential.load(target).seed());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> weight(Map<String, Object> manifest, int i) {
        return (Map<String, Object>) ((List<Object>) manifest.get("weights")).get(i);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> layer(Map<String, Object> manifest, int i) {
        return (Map<String, Object>) ((List<Object>) ((Map<String, Object>) manifest.get("model")).get("layers")).get(i);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(Map<String, Object> manifest, int i) {
        return (Map<String, Object>) layer(manifest, i).get("config");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
