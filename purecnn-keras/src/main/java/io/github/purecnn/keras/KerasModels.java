package io.github.purecnn.keras;

import io.github.purecnn.io.Npy;
import io.github.purecnn.model.Sequential;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Keras model files in and out.
 * <pre>{@code
 * Sequential model = KerasModels.load(Path.of("model.h5"));      // or a .keras archive: decided by content
 * KerasModels.save(model, Path.of("model.keras"));               // Keras 3 archive; .h5 gives Keras 2's layout
 * KerasModels.loadWeights(LeNet.create(0), Path.of("w.h5"), KerasModels.Match.BY_NAME);
 * }</pre>
 * Reading accepts Keras 2 / tf.keras HDF5 model files and Keras 3 {@code .keras} archives of
 * Sequential models and of functional models that are a single chain, made of the layers purecnn
 * has (see {@link KerasLayerTable}), with their compile settings when purecnn can reproduce them.
 * Whatever purecnn cannot represent is refused with an {@link UnsupportedKerasModelException}
 * naming the file, layer, class and argument before any weight is read; a damaged or hostile file
 * with a {@link KerasFormatException} naming the file, layer and dataset. Nothing is ever returned
 * half loaded. A loaded model's seed, which drives shuffling and dropout if it trains on, is
 * {@link #SEED}. A compiled model's optimizer state (step count and slot variables) is written and,
 * when the file's compile settings are reproduced, read back, so that training resumes where it
 * stopped; the epoch and step counts from which purecnn draws each epoch's shuffle are not part of
 * Keras's files.
 */
public final class KerasModels {
    /** The seed of loaded models (Keras files have none). */
    public static final long SEED = 0;
    /** The default limit on a file's weights, as for purecnn's own model files: 1 GiB of float32. */
    public static final long DEFAULT_MAX_BYTES = Npy.DEFAULT_MAX_BYTES;

    /** How a Keras 2 weights file's layers are matched with a model's, in {@link #loadWeights}. */
    public enum Match {
        /** The n-th layer with weights in the file goes to the model's n-th layer with weights, as Keras's {@code load_weights}. */
        BY_ORDER,
        /** Each model layer with weights takes the file's layer of the same name; the file's other layers are ignored. */
        BY_NAME
    }

    /** The Keras file kinds, as told by their first bytes. */
    enum Kind {
        HDF5, ARCHIVE, JSON, OTHER
    }

    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    /** A local ZIP header's fixed part; the first entry's name follows it. */
    private static final int ZIP_HEADER = 30;

    private KerasModels() {
    }

    /** Loads a Keras model file ({@code .h5} or {@code .keras}, told apart by content), with at most {@link #DEFAULT_MAX_BYTES} of weights. */
    public static Sequential load(Path file) throws IOException {
        return load(file, DEFAULT_MAX_BYTES);
    }

    /**
     * Loads a Keras model file whose weights take at most {@code maxBytes} as float32.
     *
     * @throws UnsupportedKerasModelException when purecnn cannot represent the model
     * @throws KerasFormatException when the file is not a Keras model file, is damaged, or its
     *     parts do not fit each other
     */
    public static Sequential load(Path file, long maxBytes) throws IOException {
        Objects.requireNonNull(file, "file");
        checkLimit(maxBytes);
        return switch (kind(head(file))) {
            case HDF5 -> KerasH5File.read(file, SEED, maxBytes);
            case ARCHIVE -> KerasArchive.read(file, SEED, maxBytes);
            case JSON -> throw new KerasFormatException(file + ": a model architecture (JSON) without weights: load it"
                    + " with KerasModels.load(architecture, weights)");
            case OTHER -> throw new KerasFormatException(file + ": expected a Keras model file (HDF5 .h5 or .keras"
                    + " archive), found neither");
        };
    }

    /**
     * Loads a model from its architecture, as {@code model.to_json()} writes it, and a weights
     * file, as {@code model.save_weights()} writes it (Keras 2's layout, matched by order, or
     * Keras 3's {@code .weights.h5}).
     */
    public static Sequential load(Path architectureJson, Path weights) throws IOException {
        Objects.requireNonNull(architectureJson, "architectureJson");
        Objects.requireNonNull(weights, "weights");
        String file = architectureJson.toString();
        long size = Files.size(architectureJson);
        if (size > KerasArchitecture.MAX_CONFIG_CHARS) {
            throw new KerasFormatException(file + ": expected a model architecture of at most "
                    + KerasArchitecture.MAX_CONFIG_CHARS + " bytes, found " + size);
        }
        String json = new String(Files.readAllBytes(architectureJson), StandardCharsets.UTF_8);
        KerasArchitecture architecture = KerasArchitecture.parse(file, file, json, KerasDialect.KERAS2);
        Sequential model = architecture.build(file, SEED, DEFAULT_MAX_BYTES);
        readWeights(model, weights, Match.BY_ORDER, architecture);
        return model;
    }

    /**
     * Sets the weights of {@code model} from a Keras weights file: {@code save_weights} in Keras
     * 2's layout (or the weights of a full {@code .h5} model file), matched {@code match}, or
     * Keras 3's {@code .weights.h5}, matched by layer order and class. Everything is checked and
     * read before any weight changes.
     *
     * @throws KerasFormatException naming the file, layer and dataset on any mismatch; the model is then unchanged
     */
    public static void loadWeights(Sequential model, Path weights, Match match) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(match, "match");
        readWeights(model, weights, match, null);
    }

    private static void readWeights(Sequential model, Path weights, Match match, KerasArchitecture architecture)
            throws IOException {
        String file = weights.toString();
        if (kind(head(weights)) != Kind.HDF5) {
            throw new KerasFormatException(file + ": expected a Keras weights file (HDF5), found another kind of file");
        }
        try (H5Reader h5 = H5Reader.open(weights, file)) {
            if (h5.groupOrNull(KerasH5File.MODEL_WEIGHTS) != null) {
                KerasWeights.readKeras2(h5, KerasH5File.MODEL_WEIGHTS, model, match);
            } else if (h5.hasAttribute(h5.root(), "layer_names")) {
                KerasWeights.readKeras2(h5, "", model, match);
            } else if (h5.groupOrNull("layers") != null) {
                KerasWeights.readKeras3(h5, model, architecture != null ? architecture.kerasClasses()
                        : model.layers().stream().map(l -> KerasLayerTable.specFor(l).kerasClass()).toList());
            } else {
                throw new KerasFormatException(file + ": expected Keras weights (attribute 'layer_names', group"
                        + " 'model_weights' or group 'layers'), found none");
            }
        }
    }

    /**
     * Saves {@code model} as a Keras file, replacing {@code file} atomically: {@code .keras} a
     * Keras 3 archive, {@code .h5} or {@code .hdf5} a Keras 2 HDF5 model file.
     *
     * @throws IllegalArgumentException for another file name, or a layer Keras files cannot hold
     */
    public static void save(Sequential model, Path file) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(file, "file");
        if (model.layers().isEmpty()) {
            throw new IllegalStateException("model '" + model.name() + "' has no layers");
        }
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".keras")) {
            KerasArchive.write(model, file);
        } else if (name.endsWith(".h5") || name.endsWith(".hdf5")) {
            KerasH5File.write(model, file);
        } else {
            throw new IllegalArgumentException(file + ": expected a name ending in .keras (Keras 3 archive) or .h5"
                    + " (Keras 2 HDF5 model file)");
        }
    }

    /** What kind of Keras file begins with {@code head}. */
    static Kind kind(byte[] head) {
        if (head.length >= HDF5_SIGNATURE.length
                && Arrays.equals(head, 0, HDF5_SIGNATURE.length, HDF5_SIGNATURE, 0, HDF5_SIGNATURE.length)) {
            return Kind.HDF5;
        }
        if (head.length >= ZIP_HEADER && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            int nameLength = (head[26] & 0xff) | (head[27] & 0xff) << 8;
            if (ZIP_HEADER + nameLength <= head.length) {
                String first = new String(head, ZIP_HEADER, nameLength, StandardCharsets.UTF_8);
                if (first.equals(KerasArchive.METADATA) || first.equals(KerasArchive.CONFIG)
                        || first.equals(KerasArchive.WEIGHTS)) {
                    return Kind.ARCHIVE;
                }
            }
            return Kind.OTHER;
        }
        for (byte b : head) {
            if (b == '{') {
                return Kind.JSON;
            }
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
        }
        return Kind.OTHER;
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(512);
        }
    }

    private static void checkLimit(long maxBytes) {
        if (maxBytes < 0 || maxBytes > Npy.MAX_BYTES_LIMIT) {
            throw new IllegalArgumentException("maxBytes must be between 0 and " + Npy.MAX_BYTES_LIMIT + ", found "
                    + maxBytes);
        }
    }
}
