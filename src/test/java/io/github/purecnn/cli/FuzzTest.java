package io.github.purecnn.cli;

import io.github.purecnn.io.internal.Json;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.testing.Archives;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded fuzzing of every kind of file the command line reads: model files (bytes mutated, and
 * manifests and entries mutated inside a well-formed archive with their checksums updated, so that
 * the checks behind the ZIP layer are reached too), {@code .npz} weights (stored and deflated) and
 * IDX data files (plain and gzip). Each mutated file goes through the command that reads it, all
 * in one child JVM with a {@value CliCases#HEAP} heap and a deadline, and each run must keep the
 * promise: exit 0 (the mutation left a valid file) or 1 with a message naming the file, never a
 * stack trace, never a usage error, never running out of memory.
 */
class FuzzTest {
    /** The campaign's seed; {@code mvn test -Dtest=FuzzTest -Dpurecnn.fuzz.seed=N} runs another one. */
    private static final long SEED = Long.getLong("purecnn.fuzz.seed", 16);
    private static final int MODEL_BYTES = 100;
    private static final int MODEL_MANIFESTS = 120;
    private static final int MODEL_ENTRIES = 30;
    private static final int NPZ_BYTES = 100;
    private static final int IDX_BYTES = 100;

    private static final long[] INTERESTING = {0, 1, -1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFFL,
        0x8000_0000L, 0xFFFF_FFFFL, 23170, 60000};
    private static final Object[] JSON_VALUES = {0L, -1L, 1L, 3L, 1000L, 1_000_000L, 2147483647L, 2147483648L,
        1L << 40, 0.5, -2.5, 1e300, "", "x", "valid", "same", "relu", "2.0", true, false, List.of(), List.of(0L),
        List.of(3L, 3L), new LinkedHashMap<>()};

    @TempDir
    Path dir;
    private final Random random = new Random(SEED);
    private final List<List<String>> cases = new ArrayList<>();
    /** For each case, the file it mutated: the one its message must name. */
    private final List<Path> mutated = new ArrayList<>();

    @Test
    void mutatedFilesAreReadOrRefusedNamingTheFileInBoundedMemory() throws IOException, InterruptedException {
        Path data = Files.createDirectory(dir.resolve("mnist"));
        SmallMnist.write(data, 60, 30);
        Path model = seedModel();
        Path storedWeights = HostileFiles.goodWeights(dir);
        Path deflatedWeights = dir.resolve("deflated.npz");
        Archives.write(deflatedWeights, Archives.read(storedWeights));

        byte[] modelBytes = Files.readAllBytes(model);
        for (int i = 0; i < MODEL_BYTES; i++) {
            Path f = Files.write(dir.resolve("bytes-" + i + ".purecnn"), mutate(modelBytes));
            add(f, "evaluate", "--model", f.toString(), "--data", data.toString(), "--threads", "1");
        }
        Map<String, byte[]> entries = Archives.read(model);
        for (int i = 0; i < MODEL_MANIFESTS; i++) {
            Map<String, byte[]> copy = new LinkedHashMap<>(entries);
            Map<String, Object> manifest = Archives.manifest(copy);
            for (int k = 1 + random.nextInt(2); k > 0; k--) {
                mutateJson(manifest);
            }
            copy.put(Archives.MANIFEST, Json.writePretty(manifest).getBytes(StandardCharsets.UTF_8));
            Path f = dir.resolve("manifest-" + i + ".purecnn");
            Archives.write(f, copy);
            add(f, "predict", "--model", f.toString(), "--data", data.toString(), "--limit", "3", "--threads", "1");
        }
        List<String> tensors = entries.keySet().stream().filter(n -> !n.equals(Archives.MANIFEST)).toList();
        for (int i = 0; i < MODEL_ENTRIES; i++) {
            Map<String, byte[]> copy = new LinkedHashMap<>(entries);
            String name = tensors.get(random.nextInt(tensors.size()));
            byte[] npy = mutate(copy.get(name));
            copy.put(name, npy);
            Map<String, Object> manifest = Archives.manifest(copy);
            updateChecksum(manifest, name, Archives.sha256(npy));
            Archives.putManifest(copy, manifest);
            Path f = dir.resolve("entry-" + i + ".purecnn");
            Archives.write(f, copy);
            add(f, "evaluate", "--model", f.toString(), "--data", data.toString(), "--threads", "1");
        }
        for (int i = 0; i < NPZ_BYTES; i++) {
            byte[] weights = Files.readAllBytes(i % 2 == 0 ? storedWeights : deflatedWeights);
            Path f = Files.write(dir.resolve("weights-" + i + ".npz"), mutate(weights));
            add(f, "predict", "--weights", f.toString(), "--data", data.toString(), "--limit", "3", "--threads", "1");
        }
        List<String> dataFiles = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte");
        for (int i = 0; i < IDX_BYTES; i++) {
            Path copy = HostileFiles.copyData(data, dir.resolve("mnist-" + i));
            Path file = copy.resolve(dataFiles.get(random.nextInt(dataFiles.size())));
            byte[] content = Files.readAllBytes(file);
            if (random.nextBoolean()) {
                Files.delete(file);
                file = file.resolveSibling(file.getFileName() + ".gz");
                content = HostileFiles.gzip(content);
            }
            Files.write(file, mutate(content));
            add(file, "show", "--data", copy.toString(), "--index", "0");
        }

        List<MainTest.Run> runs = CliCases.run(dir, cases);
        int refused = 0;
        for (int i = 0; i < runs.size(); i++) {
            MainTest.Run r = runs.get(i);
            String context = "case " + i + " " + cases.get(i) + ":\n" + r.err();
            assertTrue(r.code() == Main.OK || r.code() == Main.FAILURE, "exit 0 or 1, " + context);
            HostileInputsTest.assertNoTrace(r.err());
            if (r.code() == Main.FAILURE) {
                refused++;
                assertTrue(r.err().contains(mutated.get(i).toString()), "names the file, " + context);
                assertFalse(r.err().contains("out of memory"), "bounded memory, " + context);
                assertFalse(r.err().contains("--debug"), "a file problem, not a bug, " + context);
                assertEquals(1, r.err().lines().filter(l -> l.startsWith("purecnn ")).count(), context);
            }
        }
        assertTrue(refused > runs.size() / 2, "most mutations are refused: " + refused + " of " + runs.size());
    }

    /** A small compiled model of every kind of layer with weights, for MNIST's shape. */
    private Path seedModel() throws IOException {
        Sequential model = new Sequential(SEED, Shape.of(28, 28, 1),
                new Conv2D(2, 3).activation(Activation.RELU),
                new MaxPooling2D(2),
                new Flatten(),
                new Dense(10).activation(Activation.SOFTMAX));
        model.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        Path file = dir.resolve("seed.purecnn");
        model.save(file);
        return file;
    }

    private void add(Path file, String... args) {
        cases.add(List.of(args));
        mutated.add(file);
    }

    /** One to three of: bits flipped, bytes overwritten, a boundary value written, a cut, a slice removed, inserted or repeated. */
    private byte[] mutate(byte[] original) {
        byte[] b = original.clone();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
            int at = offset(b.length);
            switch (random.nextInt(7)) {
                case 0 -> {
                    for (int k = 1 + random.nextInt(8); k > 0 && b.length > 0; k--) {
                        int i = offset(b.length);
                        b[i] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> {
                    for (int k = 1 + random.nextInt(16); k > 0 && b.length > 0; k--) {
                        b[offset(b.length)] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> {
                    long v = INTERESTING[random.nextInt(INTERESTING.length)];
                    int width = random.nextBoolean() ? 2 : 4;
                    boolean bigEndian = random.nextBoolean();
                    for (int k = 0; k < width && at + k < b.length; k++) {
                        int shift = 8 * (bigEndian ? width - 1 - k : k);
                        b[at + k] = (byte) (v >>> shift);
                    }
                }
                case 3 -> b = Arrays.copyOf(b, random.nextInt(b.length + 1));
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(256));
                    byte[] cut = new byte[b.length - len];
                    System.arraycopy(b, 0, cut, 0, at);
                    System.arraycopy(b, at + len, cut, at, b.length - at - len);
                    b = cut;
                }
                case 5 -> {
                    byte[] extra = new byte[1 + random.nextInt(64)];
                    random.nextBytes(extra);
                    b = splice(b, at, extra);
                }
                default -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(512));
                    b = splice(b, offset(b.length), Arrays.copyOfRange(b, at, at + len));
                }
            }
        }
        return b;
    }

    /** Half the time within the first 64 bytes, where the headers are. */
    private int offset(int length) {
        if (length == 0) {
            return 0;
        }
        return random.nextBoolean() ? random.nextInt(Math.min(64, length)) : random.nextInt(length);
    }

    private static byte[] splice(byte[] b, int at, byte[] inserted) {
        byte[] out = new byte[b.length + inserted.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(b, at, out, at + inserted.length, b.length - at);
        return out;
    }

    /** Replaces a random value of the tree (or removes a key) with a value from {@link #JSON_VALUES}. */
    @SuppressWarnings("unchecked")
    private void mutateJson(Object node) {
        while (true) {
            if (node instanceof Map<?, ?> m && !m.isEmpty()) {
                Map<String, Object> map = (Map<String, Object>) m;
                List<String> keys = new ArrayList<>(map.keySet());
                String key = keys.get(random.nextInt(keys.size()));
                Object child = map.get(key);
                if (isLeaf(child) || random.nextInt(4) == 0) {
                    if (random.nextInt(8) == 0) {
                        map.remove(key);
                    } else {
                        map.put(key, anyValue());
                    }
                    return;
                }
                node = child;
            } else if (node instanceof List<?> l && !l.isEmpty()) {
                List<Object> list = (List<Object>) l;
                int i = random.nextInt(list.size());
                if (isLeaf(list.get(i)) || random.nextInt(4) == 0) {
                    list.set(i, anyValue());
                    return;
                }
                node = list.get(i);
            } else {
                return;
            }
        }
    }

    /** One of {@link #JSON_VALUES}; arrays and objects as fresh mutable copies, which a later mutation may enter. */
    private Object anyValue() {
        Object v = JSON_VALUES[random.nextInt(JSON_VALUES.length)];
        return v instanceof List<?> l ? new ArrayList<Object>(l) : v instanceof Map<?, ?> ? new LinkedHashMap<>() : v;
    }

    private static boolean isLeaf(Object v) {
        return !(v instanceof Map<?, ?> m && !m.isEmpty()) && !(v instanceof List<?> l && !l.isEmpty());
    }

    @SuppressWarnings("unchecked")
    private static void updateChecksum(Map<String, Object> manifest, String entry, String sha) {
        List<Object> lists = new ArrayList<>((List<Object>) manifest.get("weights"));
        Map<String, Object> compile = (Map<String, Object>) manifest.get("compile");
        lists.addAll((List<Object>) ((Map<String, Object>) compile.get("optimizer")).get("state"));
        for (Object o : lists) {
            Map<String, Object> t = (Map<String, Object>) o;
            if (entry.equals(t.get("entry"))) {
                t.put("sha256", sha);
            }
        }
    }
}
