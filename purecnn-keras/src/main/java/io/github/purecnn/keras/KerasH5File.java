package io.github.purecnn.keras;

import io.github.purecnn.io.internal.Json;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.model.Sequential;
import io.jhdf.api.WritableGroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras 2's HDF5 model file ({@code model.save('m.h5')}, tf.keras's {@code .h5}): root attributes
 * {@code keras_version}, {@code backend}, {@code model_config} (JSON) and, when compiled,
 * {@code training_config} (JSON); the weights in group {@code model_weights} in the layout
 * {@link KerasWeights} reads, and then the optimizer's state in group {@code optimizer_weights}
 * ({@link KerasOptimizerState}).
 */
final class KerasH5File {
    static final String MODEL_WEIGHTS = "model_weights";

    private KerasH5File() {
    }

    /** Reads a full model file: architecture, weights and, when purecnn can reproduce them, the compile settings. */
    static Sequential read(Path path, long seed, long maxBytes) throws IOException {
        String file = path.toString();
        try (H5Reader h5 = H5Reader.open(path, file)) {
            String modelConfig = h5.stringAttributeOrNull(h5.root(), "model_config");
            if (modelConfig == null) {
                boolean weightsOnly = h5.hasAttribute(h5.root(), "layer_names") || h5.groupOrNull("layers") != null;
                throw new KerasFormatException(file + ": expected the root attribute 'model_config' of a Keras model"
                        + " file, found none" + (weightsOnly ? ": a weights-only file (save_weights); load it into a"
                        + " model with KerasModels.loadWeights, or with its architecture with"
                        + " KerasModels.load(architecture.json, weights.h5)" : " (not a Keras HDF5 model?)"));
            }
            String where = file + " attribute 'model_config'";
            // Keras 3 writes .h5 files too, in Keras 2's layout but with its own meanings.
            String version = h5.stringAttributeOrNull(h5.root(), "keras_version");
            KerasDialect writer = KerasDialect.of(version);
            KerasArchitecture architecture = KerasArchitecture.parse(where, file, modelConfig, writer);
            Sequential model = architecture.build(file, seed, maxBytes);
            KerasWeights.readKeras2(h5, MODEL_WEIGHTS, model, KerasModels.Match.BY_ORDER);
            String training = h5.stringAttributeOrNull(h5.root(), "training_config");
            if (training != null) {
                Object settings = KerasArchitecture.parseJson(file + " attribute 'training_config'", training);
                KerasTraining.compile(model, settings, writer, file);
                KerasOptimizerState.readKeras2(h5, model, writer == KerasDialect.KERAS3
                        ? KerasOptimizerState.Layout.keras3(version) : KerasTraining.legacyOptimizer(settings)
                        ? KerasOptimizerState.Layout.KERAS2_LEGACY : KerasOptimizerState.Layout.KERAS2);
            }
            return model;
        }
    }

    /** Writes {@code model} as Keras 2 writes a full model file, replacing {@code path} atomically. */
    static void write(Sequential model, Path path) throws IOException {
        String modelConfig = Json.write(KerasModelConfig.of(model, KerasDialect.KERAS2));
        Map<String, Object> training = KerasTraining.settings(model, KerasDialect.KERAS2);
        H5Writer.writeAtomically(path, root -> {
            root.putAttribute("backend", "tensorflow");
            root.putAttribute("keras_version", KerasModelConfig.KERAS2_VERSION);
            root.putAttribute("model_config", modelConfig);
            if (training != null) {
                root.putAttribute("training_config", Json.write(training));
            }
            WritableGroup weights = root.putGroup(MODEL_WEIGHTS);
            writeWeights(model, weights);
            if (model.isCompiled()) {
                KerasOptimizerState.writeKeras2(model, root, KerasTraining.legacyForm(model.optimizer())
                        ? KerasOptimizerState.Layout.KERAS2_LEGACY : KerasOptimizerState.Layout.KERAS2);
            }
        });
    }

    /**
     * The Keras 2 weights layout: {@code layer_names}, {@code backend} and {@code keras_version}
     * on the group, one group per layer with {@code weight_names}, the datasets in a sub-group of
     * the layer's name. A layer without weights gets its group without {@code weight_names}:
     * jHDF cannot write an empty array, and Keras reads an absent list as empty
     * ({@code load_attributes_from_hdf5_group}).
     */
    static void writeWeights(Sequential model, WritableGroup group) {
        List<String> layerNames = new ArrayList<>();
        for (Layer l : model.layers()) {
            layerNames.add(l.name());
        }
        group.putAttribute("backend", "tensorflow");
        group.putAttribute("keras_version", KerasModelConfig.KERAS2_VERSION);
        group.putAttribute("layer_names", layerNames.toArray(new String[0]));
        for (Layer l : model.layers()) {
            WritableGroup layerGroup = group.putGroup(l.name());
            List<KerasLayerWeights.FileWeight> weights = KerasLayerWeights.of(l, KerasDialect.KERAS2);
            if (weights.isEmpty()) {
                continue;
            }
            List<String> weightNames = new ArrayList<>();
            WritableGroup inner = layerGroup.putGroup(l.name());
            for (KerasLayerWeights.FileWeight w : weights) {
                weightNames.add(l.name() + "/" + w.name() + ":0");
                inner.putDataset(w.name() + ":0", KerasLayerWeights.data(w));
            }
            layerGroup.putAttribute("weight_names", weightNames.toArray(new String[0]));
        }
    }
}
