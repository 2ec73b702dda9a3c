package io.github.purecnn.model;

import io.github.purecnn.io.internal.AtomicFiles;
import io.github.purecnn.io.internal.Json;
import io.github.purecnn.io.internal.JsonFormatException;
import io.github.purecnn.io.Npy;
import io.github.purecnn.io.NpyArray;
import io.github.purecnn.io.NpyFormatException;
import io.github.purecnn.io.internal.RegularFiles;
import io.github.purecnn.io.internal.ZipArchives;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Layers;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Huber;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.optimizers.Optimizers;
import io.github.purecnn.tensor.Shape;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The model file: one ZIP archive that {@code unzip} lists and NumPy reads entry by entry.
 * <ul>
 *   <li>{@code manifest.json}, always the first entry: format name and version, the model
 *       (name, seed, input shape, layers as Keras type and config), the compile settings when
 *       the model was compiled, and for every tensor its entry, dtype, shape and SHA-256;</li>
 *   <li>one {@code .npy} per weight, named by its Keras path: {@code conv2d/kernel.npy}, in
 *       Keras layout; every weight, trainable or not ({@code batch_normalization/moving_mean.npy}),
 *       in the model's weight order; which of them train follows from the layers' configs (a
 *       frozen layer's carries {@code "trainable": false});</li>
 *   <li>when compiled, one {@code .npy} per optimizer state array, for the trainable weights only:
 *       {@code optimizer/conv2d/kernel/m.npy}; the step count is in the manifest.</li>
 * </ul>
 *
 * <p>Versions are {@code major.minor}, the format's own, recorded with the library version that
 * wrote the file. A reader reads every file of its major version, whatever the minor (a minor
 * version may only add manifest keys, which older readers ignore), and refuses a newer major
 * version naming it. The compatibility promise (also in the README): every library version loads
 * every model file an earlier one wrote, back to format 1.0 (the golden files of each format
 * version in the test resources must keep loading with the same predictions); a newer library's
 * file loads in an older library while the format's major version is the same; a new major
 * format version comes only with a new major library version (before 1.0.0, a new minor one).
 * Library 0.1.0 writes 1.1 and reads 1.0 and 1.1.
 *
 * <p>Reading trusts nothing before checking it. The manifest comes first so that every later
 * entry has a declared size: an entry is read as a stream and refused as soon as it holds more
 * bytes than its declared dtype and shape need (a zip bomb inflates no further than that), the
 * declared sizes together must stay within the caller's limit, and the bytes read in total are
 * counted against that limit too. Before anything is built, the manifest's tensors are held
 * against the architecture it declares ({@link Blueprint}: every layer's output and weight shapes,
 * from its config) and the model against this JVM's heap ({@link MemoryEstimate}: weights,
 * gradients, optimizer state, a shard of images, and what reading holds), so that a small file
 * declaring a huge model is refused, naming the layer, before the first big array exists. The
 * central directory at the end of the archive, which other tools read, must list exactly the
 * entries read. Only a regular file is opened. The model is built, every entry is checked against
 * the manifest and the architecture (and must hold finite values), and only then are the weights
 * set: a load either returns a complete model or throws {@link ModelFormatException}, naming the
 * file and the entry.
 */
final class ModelFile {
    static final String FORMAT = "purecnn-model";
    static final int MAJOR = 1;
    /**
     * 1.1 added the training progress ({@code epochs_trained}, {@code steps_trained}); 1.0 files
     * load with none. 1.2 added the optimizers besides Adam and SGD, learning-rate schedules (as
     * the config's {@code learning_rate}), weight decay and gradient clipping (config keys present
     * only when set, so that a 1.1 reader still reads a 1.2 file that uses none of them), AMSGrad,
     * the optimizer's scalar state ({@code compile.optimizer.scalars}), the losses and metrics
     * besides the first three and one, and regularizers in the layer configs.
     */
    static final int MINOR = 2;
    static final String MANIFEST = "manifest.json";
    /** A manifest of even a hundred layers is a few tens of KB; this only stops a runaway entry. */
    static final int MAX_MANIFEST_BYTES = 1 << 20;
    /**
     * Bytes an {@code .npy} entry may hold beyond its data: its header. NumPy's version 1.0 header,
     * which is what a float32 array of any sane rank gets, is at most 64 KiB plus the preamble.
     */
    static final int NPY_HEADER_ALLOWANCE = (1 << 16) + 16;
    private static final String OPTIMIZER_PREFIX = "optimizer/";
    private static final String NPY = ".npy";
    /** A fixed entry time, so that the same model always makes the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    /** One array to write: its entry name and data, with the shape it has in Keras. */
    private record Tensor(String entry, float[] data, Shape shape) {
    }

    /** One array the manifest declares: what its entry must hold. */
    private record Declared(String entry, Shape shape, String sha256) {
        long maxEntryBytes() {
            return 4L * shape.size() + NPY_HEADER_ALLOWANCE;
        }
    }

    private ModelFile() {
    }

    // ---- writing ----

    static void write(Sequential model, Path file) throws IOException {
        List<Tensor> tensors = new ArrayList<>();
        for (Parameter p : model.weights()) {
            tensors.add(new Tensor(p.path() + NPY, p.value(), p.shape()));
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("format_version", MAJOR + "." + MINOR);
        manifest.put("library_version", libraryVersion());
        manifest.put("model", modelSection(model));

        Map<String, byte[]> encoded = new LinkedHashMap<>();
        manifest.put("weights", describe(tensors, encoded));
        if (model.isCompiled()) {
            Optimizer opt = model.optimizer();
            List<Tensor> state = new ArrayList<>();
            List<Parameter> params = model.parameters();
            Map<String, float[]> arrays = opt.state();
            for (Map.Entry<String, float[]> e : arrays.entrySet()) {
                state.add(new Tensor(OPTIMIZER_PREFIX + e.getKey() + NPY, e.getValue(),
                        shapeOf(params, e.getKey(), e.getValue().length)));
            }
            Map<String, Object> optimizer = new LinkedHashMap<>();
            optimizer.put("type", opt.typeName());
            optimizer.put("config", opt.config());
            optimizer.put("iterations", opt.iterations());
            if (!opt.scalars().isEmpty()) {
                // float32 values, written as the doubles they are: read back exactly
                Map<String, Object> scalars = new LinkedHashMap<>();
                opt.scalars().forEach((k, v) -> scalars.put(k, (double) v));
                optimizer.put("scalars", scalars);
            }
            optimizer.put("state", describe(state, encoded));
            Map<String, Object> loss = new LinkedHashMap<>();
            loss.put("name", model.loss().kerasName());
            loss.put("from_logits", model.loss().fromLogits());
            if (model.loss() instanceof Huber huber) {
                loss.put("delta", huber.delta());
            }
            Map<String, Object> compile = new LinkedHashMap<>();
            compile.put("optimizer", optimizer);
            compile.put("loss", loss);
            compile.put("metrics", model.metrics().stream().map(Metric::kerasName).toList());
            manifest.put("compile", compile);
        }
        byte[] manifestBytes = (Json.writePretty(manifest) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                putEntry(zip, MANIFEST, manifestBytes);
                for (Map.Entry<String, byte[]> e : encoded.entrySet()) {
                    putEntry(zip, e.getKey(), e.getValue());
                }
            }
        });
    }

    private static Map<String, Object> modelSection(Sequential model) {
        List<Object> layers = new ArrayList<>();
        for (Layer l : model.layers()) {
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("type", l.typeName());
            layer.put("config", l.config());
            layers.add(layer);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", model.name());
        m.put("seed", model.seed());
        m.put("input_shape", dimsList(model.inputShape()));
        m.put("layers", layers);
        m.put("epochs_trained", model.epochsTrained());
        m.put("steps_trained", model.stepsTrained());
        return m;
    }

    /** Optimizer state arrays are named after their parameter ({@code conv2d/kernel/m}) and share its shape. */
    private static Shape shapeOf(List<Parameter> params, String stateName, int length) {
        for (Parameter p : params) {
            if (stateName.startsWith(p.path() + "/") && p.size() == length) {
                return p.shape();
            }
        }
        return Shape.of(length);
    }

    /** Encodes each tensor as {@code .npy} into {@code encoded} and returns the manifest's list for them. */
    private static List<Object> describe(List<Tensor> tensors, Map<String, byte[]> encoded) throws IOException {
        List<Object> list = new ArrayList<>();
        for (Tensor t : tensors) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Npy.write(bytes, NpyArray.of(t.data(), t.shape().dims()), ByteOrder.LITTLE_ENDIAN);
            byte[] npy = bytes.toByteArray();
            encoded.put(t.entry(), npy);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("entry", t.entry());
            d.put("dtype", "float32");
            d.put("shape", dimsList(t.shape()));
            d.put("sha256", sha256(npy));
            list.add(d);
        }
        return list;
    }

    private static void putEntry(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private static List<Object> dimsList(Shape shape) {
        List<Object> dims = new ArrayList<>();
        for (int d : shape.dims()) {
            dims.add(d);
        }
        return dims;
    }

    /** The jar's version, or "unknown" when the classes do not come from a jar that records it. */
    private static String libraryVersion() {
        String v = ModelFile.class.getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /**
     * A shape as {@link Shape} prints it, {@code (3, 3, 1, 6)} or {@code (6,)}, also for the
     * shapes of NumPy arrays that no {@link Shape} can hold: rank 0, {@code ()}, or a dimension
     * of 0, {@code (0, 3)}. A message about a foreign array must not fail while being written.
     */
    static String tuple(int[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            sb.append(i > 0 ? ", " : "").append(dims[i]);
        }
        return sb.append(dims.length == 1 ? ",)" : ")").toString();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }

    // ---- reading ----

    /**
     * Loads the model in {@code file}, refusing more than {@code maxBytes} of array data.
     *
     * @throws ModelFormatException naming the file and entry, for anything but a file-system error
     */
    static Sequential read(Path file, long maxBytes) throws IOException {
        if (maxBytes < 0 || maxBytes > Npy.MAX_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxBytes must be between 0 and " + Npy.MAX_BYTES_LIMIT
                    + ", found " + maxBytes);
        }
        Reader reader = new Reader(file.toString(), maxBytes);
        Sequential model;
        try (InputStream in = new BufferedInputStream(RegularFiles.newInputStream(file))) {
            model = reader.read(in);
        }
        // The entries are read as a stream of local headers; unzip and NumPy go by the central
        // directory at the end of the file instead. Both must agree.
        try {
            ZipArchives.requireCentralDirectory(file, reader.streamed);
        } catch (ZipException e) {
            throw new ModelFormatException(file + ": " + e.getMessage(), e);
        }
        return model;
    }

    /** The compile section of a manifest, parsed; nothing is allocated until the model is compiled. */
    private record Compile(Optimizer optimizer, Loss loss, Metric[] metrics, long iterations, List<Declared> state,
                           Map<String, Object> optimizerSection) {
    }

    /** One load: the file's name for messages, the byte budget, and what the manifest declared. */
    private static final class Reader {
        private final String file;
        private final long maxBytes;
        /** What may still be read, over all entries. */
        private long budget;
        private String where;
        /** The entry names in the order the stream met them, for the central directory check. */
        private final List<String> streamed = new ArrayList<>();

        Reader(String file, long maxBytes) {
            this.file = file;
            this.maxBytes = maxBytes;
            this.budget = maxBytes + MAX_MANIFEST_BYTES;
            this.where = file;
        }

        Sequential read(InputStream in) throws IOException {
            checkZipSignature(in);
            ZipInputStream zip = new ZipInputStream(in);
            try {
                ZipEntry first = nextEntry(zip);
                if (first == null || !first.getName().equals(MANIFEST)) {
                    throw error("expected '" + MANIFEST + "' as the first entry, found "
                            + (first == null ? "no entries" : "'" + first.getName() + "'"));
                }
                where = entry(MANIFEST);
                Map<String, Object> manifest = parseManifest(readEntry(zip, MAX_MANIFEST_BYTES));
                checkFormat(manifest);

                // Everything the manifest declares is held against the architecture, the caller's
                // limit and this JVM's heap before the first array is allocated.
                Blueprint blueprint = blueprint(object(manifest, "model"));
                Map<String, Declared> declared = new LinkedHashMap<>();
                List<Declared> weights = declareAll(list(manifest, "weights"), "weights", declared);
                List<Blueprint.Weight> expected = blueprint.weights();
                if (weights.size() != expected.size()) {
                    throw error("the architecture has " + expected.size() + " weight arrays, 'weights' lists "
                            + weights.size());
                }
                for (int i = 0; i < weights.size(); i++) {
                    checkShape(weights.get(i), expected.get(i).path(), expected.get(i).shape());
                }
                Compile compile = manifest.containsKey("compile")
                        ? compileSettings(object(manifest, "compile"), declared) : null;
                checkSizes(blueprint, compile, declared);

                Sequential model = build(blueprint);
                List<Parameter> params = model.weights();
                for (int i = 0; i < params.size(); i++) {
                    checkFits(weights.get(i), params.get(i).path(), params.get(i).shape());
                }
                Map<String, Float> scalars = Map.of();
                if (compile != null) {
                    try {
                        model.compile(compile.optimizer(), compile.loss(), compile.metrics());
                    } catch (IllegalArgumentException | IllegalStateException e) {
                        throw error("compile: " + e.getMessage());
                    }
                    checkState(model.optimizer().state(), compile.state());
                    scalars = scalars(compile.optimizerSection(), model.optimizer());
                }

                Map<String, float[]> data = readTensors(zip, declared);

                where = file;
                for (int i = 0; i < params.size(); i++) {
                    params.get(i).set(data.get(weights.get(i).entry()));
                }
                if (compile != null) {
                    Map<String, float[]> arrays = model.optimizer().state();
                    int i = 0;
                    for (float[] target : arrays.values()) {
                        float[] saved = data.get(compile.state().get(i++).entry());
                        System.arraycopy(saved, 0, target, 0, target.length);
                    }
                    model.optimizer().setIterations(compile.iterations());
                    model.optimizer().setScalars(scalars);
                }
                return model;
            } catch (ZipException | EOFException e) {
                // The ZIP layer's own checks: bad compressed data, bad CRC, a stream cut short.
                throw new ModelFormatException(where + ": corrupt or truncated ZIP archive: " + ZipArchives.reason(e), e);
            }
        }

        /** The next entry, recorded for the central directory check; a malformed header names its place. */
        private ZipEntry nextEntry(ZipInputStream zip) throws IOException {
            ZipEntry e;
            try {
                e = ZipArchives.nextEntry(zip);
            } catch (ZipException x) {
                throw new ModelFormatException(file + (streamed.isEmpty() ? ", first entry"
                        : ", entry after '" + streamed.get(streamed.size() - 1) + "'") + ": corrupt ZIP archive: "
                        + x.getMessage(), x);
            }
            if (e != null) {
                streamed.add(e.getName());
            }
            return e;
        }

        /**
         * The declared tensors within the caller's limit, and the model they make within the
         * heap: its weights, their gradients and optimizer state, a shard of images, and what
         * reading the tensors holds at once (every tensor decoded, and the largest entry's bytes
         * about four times over while inflating, hashing and decoding it).
         */
        private void checkSizes(Blueprint blueprint, Compile compile, Map<String, Declared> declared)
                throws ModelFormatException {
            long total = 0;
            long largestEntry = 0;
            for (Declared d : declared.values()) {
                total += 4L * d.shape().size();
                largestEntry = Math.max(largestEntry, d.maxEntryBytes());
            }
            if (total > maxBytes) {
                throw error("the tensors declare " + total + " bytes of data: expected at most the limit of "
                        + maxBytes + " bytes");
            }
            int optimizerArrays = compile == null ? 0 : compile.optimizer().stateArraysPerParameter();
            String shortfall = blueprint.memory(optimizerArrays).shortfall(BatchEngine.SHARD_SIZE,
                    total + 4 * largestEntry);
            if (shortfall != null) {
                throw error("the model " + shortfall);
            }
        }

        /** Reads every entry after the manifest: each declared once, within its declared size, with the declared content. */
        private Map<String, float[]> readTensors(ZipInputStream zip, Map<String, Declared> declared) throws IOException {
            Map<String, float[]> data = new LinkedHashMap<>();
            for (ZipEntry e = nextEntry(zip); e != null; e = nextEntry(zip)) {
                where = entry(e.getName());
                Declared d = declared.get(e.getName());
                if (d == null) {
                    throw error(e.getName().equals(MANIFEST) ? "expected one manifest, found a second"
                            : "unexpected entry: the manifest does not list it");
                }
                if (data.containsKey(d.entry())) {
                    throw error("expected each entry once, found it twice");
                }
                byte[] bytes = readEntry(zip, d.maxEntryBytes());
                String sha = sha256(bytes);
                if (!sha.equals(d.sha256())) {
                    throw error("SHA-256 mismatch: the manifest declares " + d.sha256() + ", the entry's bytes hash to "
                            + sha + " (the entry is damaged)");
                }
                NpyArray array;
                try {
                    array = Npy.read(new ByteArrayInputStream(bytes), where, 4L * d.shape().size());
                } catch (NpyFormatException x) {
                    throw new ModelFormatException(x.getMessage(), x);
                }
                if (array.dtype() != NpyArray.DType.FLOAT32 || !Arrays.equals(array.shape(), d.shape().dims())) {
                    throw error("expected float32 " + d.shape() + " as the manifest declares, found "
                            + array.dtype().numpyName() + " " + tuple(array.shape()));
                }
                float[] values = array.toFloats();
                checkFinite(values, d.shape());
                data.put(d.entry(), values);
            }
            where = file;
            for (String name : declared.keySet()) {
                if (!data.containsKey(name)) {
                    throw new ModelFormatException(entry(name) + ": missing: the manifest lists it, the archive"
                            + " does not hold it");
                }
            }
            return data;
        }

        /**
         * A weight or optimizer state of NaN or infinity makes every prediction NaN, silently:
         * such a file is refused, naming the entry and the first bad value.
         */
        private void checkFinite(float[] values, Shape shape) throws ModelFormatException {
            int count = 0;
            int first = -1;
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    count++;
                    first = first < 0 ? i : first;
                }
            }
            if (count > 0) {
                throw error("expected finite values, found " + count + " NaN or infinite (the first, " + values[first]
                        + ", at flat index " + first + " of shape " + shape + "): a model with such weights computes"
                        + " NaN for every input");
            }
        }

        /**
         * The entry's bytes, refused as soon as they exceed {@code cap} or the budget left: counted
         * as they inflate, never trusting a size the ZIP headers declare.
         */
        private byte[] readEntry(InputStream zip, long cap) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            long count = 0;
            for (int n = zip.read(buf); n >= 0; n = zip.read(buf)) {
                count += n;
                if (count > cap) {
                    throw error("expected at most " + cap + " bytes (what its declared dtype and shape need),"
                            + " found more: refusing to inflate further");
                }
                if (count > budget) {
                    throw error("the archive holds more than the limit of " + maxBytes + " bytes of data"
                            + " (plus the manifest): refusing to inflate further");
                }
                out.write(buf, 0, n);
            }
            budget -= count;
            return out.toByteArray();
        }

        private void checkZipSignature(InputStream in) throws IOException {
            in.mark(4);
            byte[] sig = in.readNBytes(4);
            in.reset();
            if (sig.length < 4 || sig[0] != 'P' || sig[1] != 'K' || sig[2] != 3 || sig[3] != 4) {
                throw error("not a model file: expected a ZIP archive starting with PK\\3\\4, found "
                        + (sig.length == 0 ? "an empty file" : "the bytes " + HexFormat.ofDelimiter(" ").formatHex(sig)));
            }
        }

        private Map<String, Object> parseManifest(byte[] bytes) throws ModelFormatException {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw error("expected UTF-8 JSON, found invalid bytes");
            }
            Object value;
            try {
                value = Json.parse(text);
            } catch (JsonFormatException e) {
                throw new ModelFormatException(where + ": " + e.getMessage(), e);
            }
            if (!(value instanceof Map<?, ?>)) {
                throw error("expected a JSON object, found " + kind(value));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) value;
            return map;
        }

        private void checkFormat(Map<String, Object> manifest) throws ModelFormatException {
            String format = string(manifest, "format");
            if (!format.equals(FORMAT)) {
                throw error("expected format '" + FORMAT + "', found '" + format + "'");
            }
            String version = string(manifest, "format_version");
            int dot = version.indexOf('.');
            int major;
            try {
                major = Integer.parseInt(version.substring(0, Math.max(dot, 0)));
                Integer.parseInt(version.substring(dot + 1));
            } catch (NumberFormatException e) {
                throw error("expected 'format_version' as MAJOR.MINOR, found '" + version + "'");
            }
            if (major != MAJOR) {
                throw error("format version " + version + (major > MAJOR ? " is newer than" : " is not")
                        + " what this version reads: expected " + MAJOR + ".x (written by library version "
                        + manifest.get("library_version") + ")");
            }
        }

        /** The architecture, with nothing built yet. */
        private Blueprint blueprint(Map<String, Object> m) throws ModelFormatException {
            List<Object> dims = list(m, "input_shape");
            int[] input = new int[dims.size()];
            for (int i = 0; i < input.length; i++) {
                input[i] = (int) toLong(dims.get(i), "model.input_shape[" + i + "]", 1, Integer.MAX_VALUE);
            }
            long seed = integer(m, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
            String name = string(m, "name");
            if (name.isBlank()) {
                throw error("model: a model name must not be empty");
            }
            Shape inputShape;
            try {
                inputShape = Shape.of(input);
            } catch (IllegalArgumentException e) {
                throw error("model.input_shape: " + e.getMessage());
            }
            List<Object> layers = list(m, "layers");
            if (layers.isEmpty()) {
                throw error("model.layers: expected at least one layer, found none");
            }
            List<Layer> unbuilt = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                if (!(layers.get(i) instanceof Map<?, ?>)) {
                    throw error("model.layers[" + i + "]: expected an object, found " + kind(layers.get(i)));
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> layer = (Map<String, Object>) layers.get(i);
                try {
                    unbuilt.add(Layers.fromConfig(string(layer, "type"), object(layer, "config")));
                } catch (IllegalArgumentException e) {
                    throw error("model.layers[" + i + "]: " + e.getMessage());
                }
            }
            try {
                return new Blueprint(seed, name, inputShape, unbuilt, optionalCount(m, "epochs_trained"),
                        optionalCount(m, "steps_trained"));
            } catch (IllegalArgumentException e) {
                throw error(e.getMessage());
            }
        }

        /** Builds the model, whose size {@link #checkSizes} has accepted. */
        private Sequential build(Blueprint blueprint) throws ModelFormatException {
            try {
                return blueprint.build();
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw error(e.getMessage());
            } catch (OutOfMemoryError e) {
                // One failed allocation of a layer's weights, which the heap survives: memory the
                // estimate counted on was taken by something else in this JVM.
                throw error("the model's weights do not fit in the memory left in this JVM (-Xmx)");
            }
        }

        /** A count written since format 1.1; 0 in older files. */
        private long optionalCount(Map<String, Object> m, String key) throws ModelFormatException {
            return m.containsKey(key) ? integer(m, key, 0, Long.MAX_VALUE) : 0;
        }

        /** The compile section: optimizer, loss and metrics made (not yet bound), the state declared. */
        private Compile compileSettings(Map<String, Object> c, Map<String, Declared> declared)
                throws ModelFormatException {
            Map<String, Object> opt = object(c, "optimizer");
            Map<String, Object> lossSection = object(c, "loss");
            List<Object> metricNames = list(c, "metrics");
            try {
                Optimizer optimizer = Optimizers.fromConfig(string(opt, "type"), object(opt, "config"));
                Loss loss = Loss.fromKerasName(string(lossSection, "name"), bool(lossSection, "from_logits"));
                if (loss instanceof Huber && lossSection.containsKey("delta")) {
                    loss = Loss.huber(number(lossSection, "delta"));
                }
                Metric[] metrics = new Metric[metricNames.size()];
                for (int i = 0; i < metrics.length; i++) {
                    if (!(metricNames.get(i) instanceof String name)) {
                        throw error("compile.metrics[" + i + "]: expected a string, found " + kind(metricNames.get(i)));
                    }
                    metrics[i] = Metric.fromKerasName(name);
                }
                long iterations = integer(opt, "iterations", 0, Long.MAX_VALUE);
                List<Declared> state = declareAll(list(opt, "state"), "compile.optimizer.state", declared);
                return new Compile(optimizer, loss, metrics, iterations, state, opt);
            } catch (IllegalArgumentException e) {
                throw error("compile: " + e.getMessage());
            }
        }

        /**
         * The optimizer's scalar state ({@code compile.optimizer.scalars}, since format 1.2), which
         * must name exactly the scalars the optimizer keeps; absent for optimizers that keep none.
         */
        private Map<String, Float> scalars(Map<String, Object> section, Optimizer opt) throws ModelFormatException {
            Set<String> expected = opt.scalars().keySet();
            Map<String, Object> saved = section.containsKey("scalars") ? object(section, "scalars") : Map.of();
            if (!saved.keySet().equals(expected)) {
                throw error("compile.optimizer.scalars: " + opt.typeName() + " keeps the scalars " + expected
                        + ", the manifest gives " + saved.keySet());
            }
            Map<String, Float> values = new LinkedHashMap<>();
            for (String name : expected) {
                double v = number(saved, name);
                if (!Double.isFinite(v)) {
                    throw error("compile.optimizer.scalars: '" + name + "' must be finite, found " + v);
                }
                values.put(name, (float) v);
            }
            return values;
        }

        private void checkState(Map<String, float[]> arrays, List<Declared> state) throws ModelFormatException {
            if (arrays.size() != state.size()) {
                throw error("the optimizer has " + arrays.size() + " state arrays " + arrays.keySet()
                        + ", 'compile.optimizer.state' lists " + state.size());
            }
            int i = 0;
            for (Map.Entry<String, float[]> e : arrays.entrySet()) {
                Declared d = state.get(i++);
                String expected = OPTIMIZER_PREFIX + e.getKey() + NPY;
                if (!d.entry().equals(expected)) {
                    throw new ModelFormatException(entry(d.entry()) + ": expected the optimizer state '" + expected
                            + "' in this place of 'compile.optimizer.state', found another entry");
                }
                if (d.shape().size() != e.getValue().length) {
                    throw new ModelFormatException(entry(d.entry()) + ": optimizer state " + e.getKey() + " has "
                            + e.getValue().length + " values, the manifest declares shape " + d.shape());
                }
            }
        }

        /** The declared weight has the shape the architecture gives it; checked before building. */
        private void checkShape(Declared d, String path, Shape shape) throws ModelFormatException {
            if (!d.shape().equals(shape)) {
                throw new ModelFormatException(entry(d.entry()) + ": the manifest declares shape " + d.shape()
                        + ", the architecture's " + path + " has shape " + shape);
            }
        }

        /** The weight entry must be the built parameter's, by name. */
        private void checkFits(Declared d, String path, Shape shape) throws ModelFormatException {
            if (!d.entry().equals(path + NPY)) {
                throw new ModelFormatException(entry(d.entry()) + ": expected the weight '" + path + NPY
                        + "' in this place of 'weights', found another entry");
            }
            checkShape(d, path, shape);
        }

        private List<Declared> declareAll(List<Object> items, String section, Map<String, Declared> into)
                throws ModelFormatException {
            List<Declared> list = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                String at = section + "[" + i + "]";
                if (!(items.get(i) instanceof Map<?, ?>)) {
                    throw error(at + ": expected an object, found " + kind(items.get(i)));
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> t = (Map<String, Object>) items.get(i);
                String name = string(t, "entry");
                String dtype = string(t, "dtype");
                if (!dtype.equals("float32")) {
                    throw new ModelFormatException(entry(name) + ": expected dtype float32, the manifest declares '"
                            + dtype + "'");
                }
                List<Object> dims = list(t, "shape");
                if (dims.isEmpty()) {
                    throw new ModelFormatException(entry(name) + ": expected a shape of rank 1 or more, found []");
                }
                int[] shape = new int[dims.size()];
                long count = 1;
                for (int k = 0; k < shape.length; k++) {
                    shape[k] = (int) toLong(dims.get(k), at + ".shape[" + k + "]", 1, Integer.MAX_VALUE);
                    // Stop multiplying once past the limit: count stays below 2^31 * 2^31, no overflow.
                    count = count > maxBytes ? count : count * shape[k];
                }
                if (4 * count > maxBytes) {
                    throw new ModelFormatException(entry(name) + ": the manifest declares float32 shape "
                            + Arrays.toString(shape).replace('[', '(').replace(']', ')') + ", "
                            + (count > maxBytes ? "more than " + maxBytes : 4 * count)
                            + " bytes: expected at most the limit of " + maxBytes + " bytes");
                }
                String sha = string(t, "sha256");
                Declared d = new Declared(name, Shape.of(shape), sha);
                if (into.put(name, d) != null || name.equals(MANIFEST)) {
                    throw new ModelFormatException(entry(name) + ": expected each entry listed once, found it twice");
                }
                list.add(d);
            }
            return list;
        }

        // ---- typed manifest access; every message says where in the manifest ----

        private Object required(Map<String, Object> m, String key) throws ModelFormatException {
            Object v = m.get(key);
            if (v == null) {
                throw error("expected key '" + key + "', found none");
            }
            return v;
        }

        @SuppressWarnings("unchecked")
        private Map<String, Object> object(Map<String, Object> m, String key) throws ModelFormatException {
            if (required(m, key) instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw error("key '" + key + "': expected an object, found " + kind(m.get(key)));
        }

        @SuppressWarnings("unchecked")
        private List<Object> list(Map<String, Object> m, String key) throws ModelFormatException {
            if (required(m, key) instanceof List<?> l) {
                return (List<Object>) l;
            }
            throw error("key '" + key + "': expected an array, found " + kind(m.get(key)));
        }

        private String string(Map<String, Object> m, String key) throws ModelFormatException {
            if (required(m, key) instanceof String s) {
                return s;
            }
            throw error("key '" + key + "': expected a string, found " + kind(m.get(key)));
        }

        private boolean bool(Map<String, Object> m, String key) throws ModelFormatException {
            if (required(m, key) instanceof Boolean b) {
                return b;
            }
            throw error("key '" + key + "': expected true or false, found " + kind(m.get(key)));
        }

        private double number(Map<String, Object> m, String key) throws ModelFormatException {
            if (required(m, key) instanceof Number n) {
                return n.doubleValue();
            }
            throw error("key '" + key + "': expected a number, found " + kind(m.get(key)));
        }

        private long integer(Map<String, Object> m, String key, long min, long max) throws ModelFormatException {
            return toLong(required(m, key), "key '" + key + "'", min, max);
        }

        private long toLong(Object v, String what, long min, long max) throws ModelFormatException {
            if (v instanceof Long l && l >= min && l <= max) {
                return l;
            }
            throw error(what + ": expected an integer from " + min + " to " + max + ", found " + kind(v));
        }

        private static String kind(Object v) {
            return v instanceof String s ? "\"" + s + "\"" : v instanceof Map<?, ?> ? "an object"
                    : v instanceof List<?> ? "an array" : String.valueOf(v);
        }

        private String entry(String name) {
            return file + " entry '" + name + "'";
        }

        private ModelFormatException error(String problem) {
            return new ModelFormatException(where + ": " + problem);
        }
    }
}
