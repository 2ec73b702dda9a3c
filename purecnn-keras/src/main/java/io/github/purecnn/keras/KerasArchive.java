package io.github.purecnn.keras;

import io.github.purecnn.io.internal.AtomicFiles;
import io.github.purecnn.io.internal.Json;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.model.Sequential;
import io.jhdf.api.WritableGroup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Keras 3's {@code .keras} archive: a ZIP of {@code metadata.json}, {@code config.json} (the model
 * config with {@code compile_config}) and {@code model.weights.h5} (the weights in the layout
 * {@link KerasWeights#readKeras3} reads, with a root {@code vars} group as Keras writes it, and the
 * optimizer's state, see {@link KerasOptimizerState}), all
 * stored uncompressed, as Keras's {@code saving_lib} writes them.
 */
final class KerasArchive {
    static final String METADATA = "metadata.json";
    static final String CONFIG = "config.json";
    static final String WEIGHTS = "model.weights.h5";
    /** Keras's metadata is a version and a date; this stops a runaway entry. */
    private static final int MAX_METADATA_BYTES = 1 << 16;
    /** Fixed entry times, so the same model makes the same entries. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private KerasArchive() {
    }

    /** Reads a {@code .keras} archive whose weights take at most {@code maxBytes}. */
    static Sequential read(Path path, long seed, long maxBytes) throws IOException {
        String file = path.toString();
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (IOException e) {
            throw new KerasFormatException(file + ": not a readable ZIP archive (truncated or corrupt?): " + e.getMessage(),
                    e);
        }
        try (zip) {
            ZipEntry configEntry = zip.getEntry(CONFIG);
            if (configEntry == null) {
                throw new KerasFormatException(file + ": expected the entry '" + CONFIG + "' of a Keras archive, found "
                        + names(zip));
            }
            String where = file + " entry '" + CONFIG + "'";
            String configText = utf8(read(zip, configEntry, KerasArchitecture.MAX_CONFIG_CHARS, file), where);
            Object config = KerasArchitecture.parseJson(where, configText);
            KerasArchitecture architecture = KerasArchitecture.of(where, file, config, KerasDialect.KERAS3);
            Sequential model = architecture.build(file, seed, maxBytes);

            ZipEntry weightsEntry = zip.getEntry(WEIGHTS);
            if (weightsEntry == null) {
                throw new KerasFormatException(file + ": expected the entry '" + WEIGHTS + "', found " + names(zip)
                        + (zip.getEntry("model.weights.npz") != null ? ": weights saved as .npz are not read" : ""));
            }
            // HDF5 overhead (headers, names, heaps) on top of the weights; Keras's files carry a few KB per layer.
            long limit = 4 * model.countParams() + (1L << 20) + 4096L * model.layers().size();
            byte[] weights = read(zip, weightsEntry, limit, file);
            if (config instanceof Map<?, ?> root) {
                KerasTraining.compile(model, root.get("compile_config"), KerasDialect.KERAS3, file);
            }
            try (H5Reader h5 = H5Reader.open(weights, file + " entry '" + WEIGHTS + "'")) {
                KerasWeights.readKeras3(h5, model, architecture.kerasClasses());
                KerasOptimizerState.readKeras3(h5, model, KerasOptimizerState.Layout.keras3(kerasVersion(zip, file)));
            }
            return model;
        }
    }

    /** The Keras version {@code metadata.json} names, or null when there is none (Keras's own archives always have one). */
    private static String kerasVersion(ZipFile zip, String file) throws KerasFormatException {
        ZipEntry entry = zip.getEntry(METADATA);
        if (entry == null) {
            return null;
        }
        String where = file + " entry '" + METADATA + "'";
        Object metadata = KerasArchitecture.parseJson(where, utf8(read(zip, entry, MAX_METADATA_BYTES, file), where));
        if (!(metadata instanceof Map<?, ?> m) || m.get("keras_version") != null && !(m.get("keras_version") instanceof String)) {
            throw new KerasFormatException(where + ": expected an object with a string 'keras_version', found "
                    + KerasValues.describe(metadata));
        }
        return (String) m.get("keras_version");
    }

    /** An entry's bytes, refusing more than {@code limit} whatever its header declares. */
    private static byte[] read(ZipFile zip, ZipEntry entry, long limit, String file) throws KerasFormatException {
        String where = file + " entry '" + entry.getName() + "'";
        long declared = entry.getSize();
        if (declared > limit) {
            throw new KerasFormatException(where + ": declares " + declared + " bytes, expected at most " + limit
                    + " for this model");
        }
        int cap = (int) Math.min(limit, Integer.MAX_VALUE - 16);
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(cap);
            if (in.read() >= 0) {
                throw new KerasFormatException(where + ": holds more than " + cap + " bytes, expected at most that"
                        + " for this model");
            }
            if (declared >= 0 && bytes.length != declared) {
                throw new KerasFormatException(where + ": declares " + declared + " bytes, holds " + bytes.length);
            }
            return bytes;
        } catch (KerasFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new KerasFormatException(where + ": cannot be read (truncated or corrupt ZIP?): " + e.getMessage(), e);
        }
    }

    private static String utf8(byte[] bytes, String where) throws KerasFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new KerasFormatException(where + ": expected UTF-8 text, found bytes that are not", e);
        }
    }

    private static List<String> names(ZipFile zip) {
        List<String> names = new ArrayList<>();
        zip.stream().limit(20).forEach(e -> names.add(e.getName()));
        return names;
    }

    /** Writes {@code model} as a Keras 3 archive, replacing {@code path} atomically. */
    static void write(Sequential model, Path path) throws IOException {
        Map<String, Object> config = KerasModelConfig.of(model, KerasDialect.KERAS3);
        config.put("compile_config", KerasTraining.settings(model, KerasDialect.KERAS3));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("keras_version", KerasModelConfig.KERAS3_VERSION);
        metadata.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
        byte[] metadataBytes = Json.write(metadata).getBytes(StandardCharsets.UTF_8);
        byte[] configBytes = Json.write(config).getBytes(StandardCharsets.UTF_8);
        byte[] weights = H5Writer.toBytes(root -> writeWeights(model, root));
        AtomicFiles.write(path, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                putStored(zip, METADATA, metadataBytes);
                putStored(zip, CONFIG, configBytes);
                putStored(zip, WEIGHTS, weights);
            }
        });
    }

    /**
     * Keras 3's weights layout: {@code layers/<key>/vars/0, 1, ...} for every layer (an empty
     * {@code vars} for layers without weights), each {@code vars} naming its layer in attribute
     * {@code name}, and the model's own empty {@code vars} at the root.
     */
    private static void writeWeights(Sequential model, WritableGroup root) {
        WritableGroup layers = root.putGroup("layers");
        List<String> classes = new ArrayList<>();
        for (Layer l : model.layers()) {
            classes.add(KerasLayerTable.specFor(l).kerasClass());
        }
        List<String> keys = KerasWeights.keras3Keys(classes);
        for (int i = 0; i < keys.size(); i++) {
            Layer l = model.layers().get(i);
            WritableGroup vars = layers.putGroup(keys.get(i)).putGroup("vars");
            vars.putAttribute("name", l.name());
            List<KerasLayerWeights.FileWeight> weights = KerasLayerWeights.of(l, KerasDialect.KERAS3);
            for (int w = 0; w < weights.size(); w++) {
                vars.putDataset(Integer.toString(w), KerasLayerWeights.data(weights.get(w)));
            }
        }
        root.putGroup("vars");
        KerasOptimizerState.writeKeras3(model, root);
    }

    private static void putStored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        CRC32 crc = new CRC32();
        crc.update(content);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }
}
