package io.github.purecnn.keras;

import io.github.purecnn.layers.Layer;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A purecnn model's config as Keras writes it for a Sequential model: Keras 2's
 * {@code model_config} ({@code model.to_json()}) or Keras 3's {@code config.json}, an input layer
 * first, then each layer's full config ({@link KerasLayerTable#toKerasConfig}).
 */
final class KerasModelConfig {
    /** The Keras versions whose formats the files written follow. */
    static final String KERAS2_VERSION = "2.15.0";
    static final String KERAS3_VERSION = "3.6.0";

    private KerasModelConfig() {
    }

    /**
     * The model config in {@code dialect}'s form.
     *
     * @throws IllegalArgumentException naming a layer purecnn cannot write as Keras
     */
    static Map<String, Object> of(Sequential model, KerasDialect dialect) {
        for (Layer l : model.layers()) {
            KerasLayerTable.specFor(l);
        }
        List<Object> layers = new ArrayList<>();
        layers.add(inputLayer(model, dialect));
        for (Layer l : model.layers()) {
            layers.add(layerEntry(l, dialect));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", model.name());
        if (dialect == KerasDialect.KERAS3) {
            config.put("trainable", true);
            config.put("dtype", KerasDtype.FLOAT32.serialize(dialect));
        }
        config.put("layers", layers);
        if (dialect == KerasDialect.KERAS3) {
            config.put("build_input_shape", batchShape(model.inputShape()));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        if (dialect == KerasDialect.KERAS3) {
            root.put("module", "keras");
        }
        root.put("class_name", "Sequential");
        root.put("config", config);
        if (dialect == KerasDialect.KERAS3) {
            root.put("registered_name", null);
            root.put("build_config", buildConfig(model.inputShape()));
        } else {
            root.put("keras_version", KERAS2_VERSION);
            root.put("backend", "tensorflow");
        }
        return root;
    }

    private static Map<String, Object> inputLayer(Sequential model, KerasDialect dialect) {
        Map<String, Object> config = new LinkedHashMap<>();
        if (dialect == KerasDialect.KERAS3) {
            config.put("batch_shape", batchShape(model.inputShape()));
            config.put("dtype", "float32");
            config.put("sparse", false);
            config.put("name", "input_layer");
        } else {
            config.put("batch_input_shape", batchShape(model.inputShape()));
            config.put("dtype", "float32");
            config.put("sparse", false);
            config.put("ragged", false);
            config.put("name", model.layers().get(0).name() + "_input");
        }
        return entry("InputLayer", config, dialect, null);
    }

    private static Map<String, Object> layerEntry(Layer layer, KerasDialect dialect) {
        return entry(KerasLayerTable.specFor(layer).kerasClass(), KerasLayerTable.toKerasConfig(layer, dialect), dialect,
                layer.inputShape());
    }

    private static Map<String, Object> entry(String kerasClass, Map<String, Object> config, KerasDialect dialect,
                                             Shape input) {
        Map<String, Object> e = new LinkedHashMap<>();
        if (dialect == KerasDialect.KERAS3) {
            e.put("module", "keras.layers");
        }
        e.put("class_name", kerasClass);
        e.put("config", config);
        if (dialect == KerasDialect.KERAS3) {
            e.put("registered_name", null);
            if (input != null) {
                e.put("build_config", buildConfig(input));
            }
        }
        return e;
    }

    private static Map<String, Object> buildConfig(Shape input) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("input_shape", batchShape(input));
        return b;
    }

    /** {@code [null, h, w, c]}. */
    static List<Object> batchShape(Shape shape) {
        List<Object> dims = new ArrayList<>();
        dims.add(null);
        for (int d : shape.dims()) {
            dims.add(d);
        }
        return dims;
    }
}
