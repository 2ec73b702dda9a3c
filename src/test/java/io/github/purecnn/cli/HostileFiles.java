package io.github.purecnn.cli;

import io.github.purecnn.io.Npy;
import io.github.purecnn.io.NpyArray;
import io.github.purecnn.io.Npz;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.testing.Archives;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The files of the fuzzing campaign's findings (issue 16), each made from scratch: model files
 * whose manifests declare more than memory holds, ZIP entries with names that are not UTF-8, an
 * {@code .npz} with an empty array or without its central directory, NaN weights, IDX files that
 * declare gigabytes or set reserved gzip flags. {@link HostileInputsTest} runs the command line on
 * them; {@link #main} writes them all into a folder, for measuring each refusal's peak memory
 * with {@code /usr/bin/time -v} on the command-line jar.
 */
final class HostileFiles {
    private HostileFiles() {
    }

    /** A small compiled model of the MNIST shape, 28x28x1 to 10 classes, whose entries the others damage. */
    static Path goodModel(Path dir) throws IOException {
        Sequential model = new Sequential(1, Shape.of(28, 28, 1), new Flatten(),
                new Dense(10).activation(Activation.SOFTMAX)).named("tiny");
        model.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        Path file = dir.resolve("good.purecnn");
        model.save(file);
        return file;
    }

    /** The seed LeNet's weights as {@code np.savez(file, *weights)} writes them: what {@code predict --weights} takes. */
    static Path goodWeights(Path dir) throws IOException {
        Path file = dir.resolve("good.npz");
        LeNet.create(0).saveWeights(file);
        return file;
    }

    /**
     * Finding: a model file whose manifest declares a Dense layer of 400,000 units after 576
     * inputs, tensors just under the 1 GiB limit. Its model needs gigabytes (weights, gradients,
     * buffers), so loading must refuse it, naming the layer, before building anything. The entries
     * are a small model's: a reader that got as far as reading them would fail on their checksums
     * and say so instead.
     */
    static Path denseTooLargeForTheHeap(Path dir) throws IOException {
        return declaring(dir.resolve("dense-400000.purecnn"), Shape.of(576), List.of(400_000), "dense_big",
                false);
    }

    /** Finding: a 2 KB manifest declaring 2.4 GB of tensors (three Dense layers of 200 million weights each). */
    static Path tensorsBeyondTheLimit(Path dir) throws IOException {
        return declaring(dir.resolve("declares-2.4GB.purecnn"), Shape.of(1000), List.of(200_000, 1000, 200_000),
                "dense_huge", false);
    }

    /**
     * Finding: a compiled model within the 1 GiB tensor limit (80 million weights and Adam's two
     * moments) whose optimizer state does not fit beside it: the loader, not {@code compile}'s
     * {@code Adam.createState}, must refuse it.
     */
    static Path optimizerStateBeyondTheHeap(Path dir) throws IOException {
        return declaring(dir.resolve("adam-80M.purecnn"), Shape.of(1000), List.of(80_000), "dense_adam", true);
    }

    /**
     * A file with the entries of a small Dense-only model, {@code input -> Dense(units[0]) -> ...},
     * under a manifest that declares the same model with {@code units}; the first Dense layer is
     * named {@code firstName}.
     */
    private static Path declaring(Path file, Shape input, List<Integer> units, String firstName, boolean compiled)
            throws IOException {
        Sequential small = new Sequential(1, input);
        for (int i = 0; i < units.size(); i++) {
            small.add(i == 0 ? new Dense(3).named(firstName) : new Dense(3));
        }
        if (compiled) {
            small.compile(new Adam(), Loss.meanSquaredError());
        }
        small.save(file);
        Map<String, byte[]> entries = Archives.read(file);
        Map<String, Object> manifest = Archives.manifest(entries);
        List<List<Long>> shapes = new ArrayList<>();
        long in = input.size();
        for (int u : units) {
            shapes.add(List.of(in, (long) u));
            shapes.add(List.of((long) u));
            in = u;
        }
        List<Map<String, Object>> layers = list(map(manifest, "model"), "layers");
        List<Map<String, Object>> weights = list(manifest, "weights");
        for (int i = 0; i < units.size(); i++) {
            map(layers.get(i), "config").put("units", (long) units.get(i));
        }
        for (int i = 0; i < weights.size(); i++) {
            weights.get(i).put("shape", shapes.get(i));
        }
        if (compiled) {
            List<Map<String, Object>> state = list(map(map(manifest, "compile"), "optimizer"), "state");
            for (int i = 0; i < state.size(); i++) {
                state.get(i).put("shape", shapes.get(i / 2)); // m and v of each weight, in weight order
            }
        }
        Archives.putManifest(entries, manifest);
        Archives.write(file, entries);
        return file;
    }

    /**
     * Finding: an MNIST folder whose training images file is 9 MB of gzip declaring 4 images of
     * 23170 x 23170 pixels (2.1 GB). Only the header and a little data are written here: the
     * reader must refuse the file at its header.
     */
    static Path idxDeclaringGigabytes(Path dir, Path data) throws IOException {
        Path copy = copyData(data, dir.resolve("mnist-23170"));
        byte[] header = {0, 0, 0x08, 3, 0, 0, 0, 4, 0, 0, 0x5A, (byte) 0x82, 0, 0, 0x5A, (byte) 0x82};
        byte[] content = Arrays.copyOf(header, header.length + 4096);
        Files.write(copy.resolve("train-images-idx3-ubyte"), gzip(content));
        return copy;
    }

    /** Finding: gzip with a reserved header flag set (bit 5 of FLG), which gzip -d refuses and java.util.zip ignores. */
    static Path idxWithReservedGzipFlags(Path dir, Path data) throws IOException {
        Path copy = copyData(data, dir.resolve("mnist-reserved-flag"));
        Path labels = copy.resolve("train-labels-idx1-ubyte");
        byte[] gz = gzip(Files.readAllBytes(labels));
        gz[3] |= 0x20;
        Files.delete(labels);
        Files.write(copy.resolve("train-labels-idx1-ubyte.gz"), gz);
        return copy;
    }

    /** Finding: a data file that is a folder. */
    static Path dataFileThatIsAFolder(Path dir, Path data) throws IOException {
        Path copy = copyData(data, dir.resolve("mnist-folder"));
        Path labels = copy.resolve("t10k-labels-idx1-ubyte");
        Files.delete(labels);
        Files.createDirectory(labels);
        return copy;
    }

    /** Finding: a data file that is a named pipe, which blocks whoever opens it until a writer comes. */
    static Path dataFileThatIsAPipe(Path dir, Path data) throws IOException, InterruptedException {
        Path copy = copyData(data, dir.resolve("mnist-fifo"));
        Path images = copy.resolve("t10k-images-idx3-ubyte");
        Files.delete(images);
        return mkfifo(images).getParent();
    }

    /** A named pipe at {@code path}. */
    static Path mkfifo(Path path) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException("mkfifo " + path + " failed");
        }
        return path;
    }

    /** Finding: a ZIP entry whose name is the byte ff, not valid UTF-8, in a model file. */
    static Path modelWithBadEntryName(Path dir, Path good) throws IOException {
        Map<String, byte[]> entries = Archives.read(good);
        entries.put("\u00ff.npy", new byte[16]);
        Path file = dir.resolve("bad-name.purecnn");
        Archives.write(file, entries, StandardCharsets.ISO_8859_1);
        return file;
    }

    /** Finding: the same in an {@code .npz}. */
    static Path npzWithBadEntryName(Path dir, Path good) throws IOException {
        Map<String, byte[]> entries = Archives.read(good);
        byte[] first = entries.remove("arr_0.npy");
        Map<String, byte[]> renamed = new LinkedHashMap<>();
        renamed.put("arr_\u00ff.npy", first);
        renamed.putAll(entries);
        Path file = dir.resolve("bad-name.npz");
        Archives.write(file, renamed, StandardCharsets.ISO_8859_1);
        return file;
    }

    /** Finding: an {@code .npz} whose first array has a dimension of 0, shape (0, 3). */
    static Path npzWithEmptyArray(Path dir, Path good) throws IOException {
        Map<String, byte[]> entries = Archives.read(good);
        entries.put("arr_0.npy", npy(NpyArray.of(new float[0], 0, 3)));
        Path file = dir.resolve("empty-array.npz");
        Archives.write(file, entries);
        return file;
    }

    /** Finding: an {@code .npz} that NumPy refuses since its central directory is missing; every entry is whole. */
    static Path npzWithoutCentralDirectory(Path dir, Path good) throws IOException {
        Path file = dir.resolve("no-central-directory.npz");
        Files.write(file, Archives.withoutCentralDirectory(Files.readAllBytes(good)));
        return file;
    }

    /** Finding: a model file with one NaN weight, its checksum updated so that only the value is wrong. */
    static Path modelWithNaN(Path dir, Path good) throws IOException {
        return withKernel(dir.resolve("nan.purecnn"), good, kernel -> kernel[1234] = Float.NaN);
    }

    /** Finite weights so large that every output overflows: the model loads, its predictions are NaN. */
    static Path modelThatOverflows(Path dir, Path good) throws IOException {
        return withKernel(dir.resolve("overflow.purecnn"), good, kernel -> {
            for (int i = 0; i < kernel.length; i++) {
                kernel[i] = i % 2 == 0 ? 3e38f : -3e38f;
            }
        });
    }

    /** Finding: Keras weights with a NaN, for {@code predict --weights}. */
    static Path npzWithNaN(Path dir, Path good) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>(Npz.read(good));
        NpyArray first = arrays.get("arr_0");
        float[] values = first.toFloats();
        values[0] = Float.NaN;
        arrays.put("arr_0", NpyArray.of(values, first.shape()));
        Path file = dir.resolve("nan.npz");
        Npz.write(file, arrays, Npz.Compression.STORED);
        return file;
    }

    /** The good model with its Dense kernel changed by {@code change}, checksum updated. */
    private static Path withKernel(Path file, Path good, java.util.function.Consumer<float[]> change)
            throws IOException {
        Map<String, byte[]> entries = Archives.read(good);
        Path kernelFile = Files.createTempFile(file.getParent(), "kernel", ".npy");
        Files.write(kernelFile, entries.get("dense/kernel.npy"));
        NpyArray kernel = Npy.read(kernelFile);
        Files.delete(kernelFile);
        float[] values = kernel.toFloats();
        change.accept(values);
        byte[] bytes = npy(NpyArray.of(values, kernel.shape()));
        entries.put("dense/kernel.npy", bytes);
        Map<String, Object> manifest = Archives.manifest(entries);
        for (Map<String, Object> w : list(manifest, "weights")) {
            if (w.get("entry").equals("dense/kernel.npy")) {
                w.put("sha256", Archives.sha256(bytes));
            }
        }
        Archives.putManifest(entries, manifest);
        Archives.write(file, entries);
        return file;
    }

    private static byte[] npy(NpyArray array) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, array, ByteOrder.LITTLE_ENDIAN);
        return out.toByteArray();
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        }
        return out.toByteArray();
    }

    /** A copy of the four files of an MNIST folder, to damage one of them. */
    static Path copyData(Path data, Path copy) throws IOException {
        Files.createDirectories(copy);
        try (var files = Files.list(data)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    /**
     * Writes every hostile file into the folder {@code args[0]} (created) and prints the command
     * line that should refuse each, for measuring their peak memory:
     * {@code java -cp ... io.github.purecnn.cli.HostileFiles /tmp/hostile}.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        Path data = Files.createDirectories(dir.resolve("mnist"));
        SmallMnist.write(data, 100, 50);
        Path good = goodModel(dir);
        Path weights = goodWeights(dir);
        List<String> lines = List.of(
                "evaluate --model " + denseTooLargeForTheHeap(dir) + " --data " + data,
                "evaluate --model " + tensorsBeyondTheLimit(dir) + " --data " + data,
                "evaluate --model " + optimizerStateBeyondTheHeap(dir) + " --data " + data,
                "show --data " + idxDeclaringGigabytes(dir, data),
                "evaluate --model " + modelWithBadEntryName(dir, good) + " --data " + data,
                "predict --weights " + npzWithBadEntryName(dir, weights) + " --data " + data,
                "predict --weights " + npzWithEmptyArray(dir, weights) + " --data " + data,
                "evaluate --model " + dir + " --data " + data,
                "evaluate --model " + good + " --data " + dataFileThatIsAFolder(dir, data),
                "evaluate --model " + mkfifo(dir.resolve("fifo.purecnn")) + " --data " + data,
                "evaluate --model " + good + " --data " + dataFileThatIsAPipe(dir, data),
                "evaluate --model " + modelWithNaN(dir, good) + " --data " + data,
                "evaluate --model " + modelThatOverflows(dir, good) + " --data " + data,
                "predict --weights " + npzWithNaN(dir, weights) + " --data " + data,
                "predict --weights " + npzWithoutCentralDirectory(dir, weights) + " --data " + data,
                "show --data " + idxWithReservedGzipFlags(dir, data));
        lines.forEach(System.out::println);
    }
}
