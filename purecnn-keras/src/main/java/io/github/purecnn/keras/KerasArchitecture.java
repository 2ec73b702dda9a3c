package io.github.purecnn.keras;

import io.github.purecnn.io.internal.Json;
import io.github.purecnn.io.internal.JsonFormatException;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras model config (the {@code model_config} of an {@code .h5} file, {@code model.to_json()},
 * or the {@code config.json} of a {@code .keras} archive) read into the purecnn layers it
 * describes, unbuilt: Sequential models in Keras 2.1's list form, Keras 2's and Keras 3's object
 * form, and functional models whose graph is one chain from an {@code InputLayer} to the output.
 * Everything purecnn cannot represent is refused here, before any weight is read.
 *
 * @param name      the model's name
 * @param input     the per-sample input shape
 * @param layers    the layers in order, with the Keras class each came from
 * @param dialect   which Keras wrote the config
 * @param expectedInputs for each layer, the input shape the config itself states (Keras 3's
 *                  {@code build_config} and functional tensors' shapes), or null where it states none
 */
record KerasArchitecture(String name, Shape input, List<KerasLayerTable.Translated> layers, KerasDialect dialect,
                         List<Shape> expectedInputs) {
    /** A config of even a thousand layers is a few MB; this stops a runaway attribute or entry. */
    static final int MAX_CONFIG_CHARS = 64 << 20;
    private static final Set<String> MODEL_CLASSES = Set.of("Sequential", "Model", "Functional");
    private static final Set<String> INPUT_LAYER_KEYS = Set.of("name", "batch_input_shape", "batch_shape",
            "dtype", "sparse", "ragged", "optional");

    /**
     * Parses config JSON text.
     *
     * @param where the file (and entry or attribute) the text came from, for messages
     * @throws KerasFormatException when the text is not JSON or not a model config
     * @throws UnsupportedKerasModelException when purecnn cannot represent the model
     */
    static KerasArchitecture parse(String where, String file, String json, KerasDialect written)
            throws KerasFormatException {
        return of(where, file, parseJson(where, json), written);
    }

    /**
     * Reads a parsed model config; see {@link #parse}.
     *
     * @param written the Keras version that wrote the file, where the file says (Keras 3 writes
     *     {@code .h5} files in Keras 2's config form); a config in Keras 3's form is Keras 3's whatever this says
     */
    static KerasArchitecture of(String where, String file, Object root, KerasDialect written) throws KerasFormatException {
        return new Reader(where, file, written).model(root);
    }

    /** Parses JSON text of at most {@link #MAX_CONFIG_CHARS} characters; {@code where} names its origin in messages. */
    static Object parseJson(String where, String json) throws KerasFormatException {
        if (json.length() > MAX_CONFIG_CHARS) {
            throw new KerasFormatException(where + ": expected a config of at most " + MAX_CONFIG_CHARS
                    + " characters, found " + json.length());
        }
        try {
            return Json.parse(json);
        } catch (JsonFormatException e) {
            throw new KerasFormatException(where + ": expected JSON, found text that is not: " + e.getMessage(), e);
        }
    }

    /** The Keras class of each layer, in order. */
    List<String> kerasClasses() {
        return layers.stream().map(KerasLayerTable.Translated::kerasClass).toList();
    }

    /**
     * Builds the model with {@code seed}, after checking that its weights take at most
     * {@code maxBytes} as float32, so that no config can make the model allocate without bound.
     */
    Sequential build(String where, long seed, long maxBytes) throws KerasFormatException {
        Shape shape = input;
        long total = 0;
        for (KerasLayerTable.Translated t : layers) {
            String layer = t.layer().name();
            Shape out;
            try {
                out = t.layer().computeOutputShape(shape);
            } catch (IllegalArgumentException e) {
                throw new UnsupportedKerasModelException(where, layer, t.kerasClass(), null, "cannot take input of"
                        + " shape " + shape + ": " + e.getMessage());
            }
            String limit = "expected the model's weights within the limit of " + maxBytes + " bytes";
            long count;
            try {
                count = t.weightCount(shape);
            } catch (IllegalArgumentException e) {
                throw new KerasFormatException(where + ": layer '" + layer + "' (" + t.kerasClass() + ") on input "
                        + shape + ": " + e.getMessage() + ": " + limit);
            }
            total += count;
            if (4 * total > maxBytes) {
                throw new KerasFormatException(where + ": layer '" + layer + "' (" + t.kerasClass() + ") on input "
                        + shape + " would have " + count + " weights: " + limit);
            }
            shape = out;
        }
        Sequential model = new Sequential(seed, input);
        if (name != null && !name.isBlank()) {
            model.named(name);
        }
        for (int i = 0; i < layers.size(); i++) {
            KerasLayerTable.Translated t = layers.get(i);
            try {
                model.add(t.layer());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new UnsupportedKerasModelException(where, t.layer().name(), t.kerasClass(), null, e.getMessage());
            }
            Shape stated = expectedInputs.get(i);
            if (stated != null && !stated.equals(t.layer().inputShape())) {
                throw new KerasFormatException(where + ": layer '" + t.layer().name() + "' (" + t.kerasClass()
                        + "): the config states input shape " + stated + ", the layers before it give "
                        + t.layer().inputShape());
            }
        }
        return model;
    }

    /** One parse, with the file for messages. */
    private static final class Reader {
        private final String where;
        private final String file;
        private KerasDialect dialect;

        Reader(String where, String file, KerasDialect written) {
            this.where = where;
            this.file = file;
            this.dialect = written;
        }

        KerasArchitecture model(Object root) throws KerasFormatException {
            Map<String, Object> top = object(root, "the model config");
            String modelClass = string(top, "class_name", "the model config");
            checkNotCustom(top, null, modelClass, "keras", "keras.models", "keras.src.models.functional",
                    "keras.src.models.sequential");
            if (top.containsKey("module") || top.containsKey("registered_name")) {
                dialect = KerasDialect.KERAS3;
            }
            if (!MODEL_CLASSES.contains(modelClass)) {
                throw new UnsupportedKerasModelException(file, null, modelClass, null, "expected a Sequential or"
                        + " functional model (Model, Functional), found a model class purecnn does not know"
                        + " (a subclassed model or custom object?)");
            }
            Object config = top.get("config");
            List<Object> entries;
            String name = null;
            boolean frozen = false;
            if (config instanceof List<?> list) {
                entries = cast(list);
            } else {
                Map<String, Object> c = object(config, "the model config's 'config'");
                entries = list(c.get("layers"), "the model config's 'layers'");
                name = c.get("name") instanceof String s ? s : null;
                frozen = Boolean.FALSE.equals(c.get("trainable"));
                if (c.containsKey("dtype")) {
                    KerasDtype.check(file, null, modelClass, c.get("dtype"));
                }
                if (!modelClass.equals("Sequential")) {
                    entries = chain(entries, c, modelClass);
                }
            }
            if (entries.isEmpty()) {
                throw new KerasFormatException(where + ": expected at least one layer, found none");
            }
            List<Map<String, Object>> layerEntries = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                layerEntries.add(object(entries.get(i), "layer " + i));
            }
            Shape input = null;
            int first = 0;
            Map<String, Object> firstEntry = layerEntries.get(0);
            if ("InputLayer".equals(firstEntry.get("class_name"))) {
                input = inputLayer(firstEntry);
                first = 1;
            }
            List<KerasLayerTable.Translated> layers = new ArrayList<>();
            List<Shape> expected = new ArrayList<>();
            for (int i = first; i < layerEntries.size(); i++) {
                Map<String, Object> entry = layerEntries.get(i);
                String kerasClass = string(entry, "class_name", "layer " + i);
                Map<String, Object> layerConfig = new LinkedHashMap<>(object(entry.get("config"), "layer " + i
                        + "'s 'config'"));
                String layerName = layerConfig.get("name") instanceof String s ? s : null;
                checkNotCustom(entry, layerName, kerasClass, "keras.layers");
                Object batchShape = layerConfig.containsKey("batch_shape") ? layerConfig.remove("batch_shape")
                        : layerConfig.remove("batch_input_shape");
                if (input == null && batchShape != null) {
                    input = batchShape(batchShape, layerName, kerasClass);
                }
                if (kerasClass.equals("InputLayer")) {
                    throw new UnsupportedKerasModelException(file, layerName, kerasClass, null, "expected the input"
                            + " layer first and only there, found it as layer " + i);
                }
                if (frozen) {
                    // Keras freezes every layer of a frozen model (and writes each as frozen too).
                    layerConfig.put("trainable", false);
                }
                layers.add(KerasLayerTable.toLayer(file, kerasClass, layerConfig, dialect));
                expected.add(statedInput(entry, layerName, kerasClass));
            }
            if (input == null) {
                throw new UnsupportedKerasModelException(file, null, modelClass, "batch_input_shape", "the model"
                        + " config states no input shape (a Sequential model never built in Keras): purecnn builds"
                        + " every layer from it");
            }
            if (layers.isEmpty()) {
                throw new KerasFormatException(where + ": expected at least one layer after the input, found none");
            }
            return new KerasArchitecture(name, input, List.copyOf(layers), dialect, expected);
        }

        private Shape inputLayer(Map<String, Object> entry) throws KerasFormatException {
            Map<String, Object> config = object(entry.get("config"), "the InputLayer's 'config'");
            String layerName = config.get("name") instanceof String s ? s : null;
            checkNotCustom(entry, layerName, "InputLayer", "keras.layers");
            for (Map.Entry<String, Object> e : config.entrySet()) {
                String key = e.getKey();
                if (!INPUT_LAYER_KEYS.contains(key)) {
                    throw new UnsupportedKerasModelException(file, layerName, "InputLayer", key, "an argument purecnn"
                            + " does not implement; the arguments it reads are " + INPUT_LAYER_KEYS);
                }
                if ((key.equals("sparse") || key.equals("ragged") || key.equals("optional"))
                        && !Boolean.FALSE.equals(e.getValue())) {
                    throw new UnsupportedKerasModelException(file, layerName, "InputLayer", key, "expected false, found "
                            + KerasValues.describe(e.getValue()) + ": purecnn takes dense tensors only");
                }
            }
            if (config.containsKey("dtype")) {
                KerasDtype.check(file, layerName, "InputLayer", config.get("dtype"));
            }
            Object shape = config.containsKey("batch_shape") ? config.get("batch_shape") : config.get("batch_input_shape");
            if (shape == null) {
                throw new KerasFormatException(where + ": layer '" + layerName + "' (InputLayer): expected"
                        + " 'batch_shape' or 'batch_input_shape', found neither");
            }
            return batchShape(shape, layerName, "InputLayer");
        }

        /** {@code [null, h, w, c]}: the batch size free, every other size fixed. */
        private Shape batchShape(Object value, String layer, String kerasClass) throws KerasFormatException {
            String at = "layer '" + layer + "' (" + kerasClass + ") batch shape";
            List<Object> dims = list(value, at);
            if (dims.size() < 2) {
                throw new KerasFormatException(where + ": " + at + ": expected [batch, sizes...], found "
                        + KerasValues.describe(value));
            }
            int[] sizes = new int[dims.size() - 1];
            for (int i = 1; i < dims.size(); i++) {
                Object d = dims.get(i);
                if (d == null) {
                    throw new UnsupportedKerasModelException(file, layer, kerasClass, "batch_shape", "expected every"
                            + " size but the batch's fixed, found " + KerasValues.describe(value)
                            + ": purecnn builds each layer for one input size");
                }
                sizes[i - 1] = dimension(d, at);
            }
            try {
                return Shape.of(sizes);
            } catch (IllegalArgumentException e) {
                throw new KerasFormatException(where + ": " + at + ": " + e.getMessage(), e);
            }
        }

        private int dimension(Object d, String at) throws KerasFormatException {
            if (d instanceof Long l && l >= 1 && l <= Integer.MAX_VALUE) {
                return l.intValue();
            }
            throw new KerasFormatException(where + ": " + at + ": expected sizes from 1 to " + Integer.MAX_VALUE
                    + ", found " + KerasValues.describe(d));
        }

        /** What a Keras 3 config says a layer takes: its {@code build_config}, else the shape of its input tensor. */
        private Shape statedInput(Map<String, Object> entry, String layer, String kerasClass) throws KerasFormatException {
            Object shape = null;
            if (entry.get("build_config") instanceof Map<?, ?> build) {
                shape = build.get("input_shape");
            }
            if (shape == null) {
                for (Map<String, Object> tensor : tensors(entry.get("inbound_nodes"))) {
                    if (tensor.get("config") instanceof Map<?, ?> c) {
                        shape = c.get("shape");
                    }
                }
            }
            if (!(shape instanceof List<?> dims) || dims.size() < 2 || dims.subList(1, dims.size()).contains(null)) {
                return null;
            }
            return batchShape(shape, layer, kerasClass);
        }

        /**
         * The layers of a functional model in the order data flows through them, after checking
         * that they form one chain: each layer called once, on the output of the one before.
         */
        private List<Object> chain(List<Object> entries, Map<String, Object> config, String modelClass)
                throws KerasFormatException {
            Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
            Map<String, String> inboundOf = new HashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                Map<String, Object> entry = object(entries.get(i), "layer " + i);
                object(entry.get("config"), "layer " + i + "'s 'config'");
                String layerName = nameOf(entry);
                String kerasClass = string(entry, "class_name", "layer " + i);
                if (layerName == null) {
                    throw new KerasFormatException(where + ": layer " + i + " (" + kerasClass + "): expected a name,"
                            + " found none");
                }
                if (byName.put(layerName, entry) != null) {
                    throw new KerasFormatException(where + ": layer '" + layerName + "': expected each layer name"
                            + " once, found it twice");
                }
                List<Object> nodes = entry.get("inbound_nodes") == null ? List.of()
                        : list(entry.get("inbound_nodes"), "layer '" + layerName + "' inbound_nodes");
                if (kerasClass.equals("InputLayer")) {
                    if (!nodes.isEmpty()) {
                        throw branching(layerName, kerasClass, "an input layer called on other layers");
                    }
                    continue;
                }
                if (nodes.size() != 1) {
                    throw branching(layerName, kerasClass, nodes.isEmpty() ? "a layer no other layer feeds"
                            : "a layer called " + nodes.size() + " times (shared)");
                }
                List<String> sources = new ArrayList<>();
                for (Map<String, Object> tensor : tensors(nodes)) {
                    sources.add(historyLayer(tensor, layerName));
                }
                if (sources.size() != 1) {
                    throw branching(layerName, kerasClass, "a layer of " + sources.size() + " inputs " + sources);
                }
                inboundOf.put(layerName, sources.get(0));
            }
            List<String> inputs = endpointNames(config.get("input_layers"), "input_layers");
            List<String> outputs = endpointNames(config.get("output_layers"), "output_layers");
            if (inputs.size() != 1 || outputs.size() != 1) {
                throw new UnsupportedKerasModelException(file, null, modelClass, inputs.size() != 1 ? "input_layers"
                        : "output_layers", "expected one input and one output, found inputs " + inputs
                        + " and outputs " + outputs + ": purecnn models are single chains");
            }
            List<Object> ordered = new ArrayList<>();
            String at = outputs.get(0);
            while (at != null) {
                Map<String, Object> entry = byName.get(at);
                if (entry == null) {
                    throw new KerasFormatException(where + ": expected a layer named '" + at + "', found none");
                }
                if (ordered.size() > byName.size()) {
                    throw new KerasFormatException(where + ": the layers' inbound nodes form a cycle through '" + at
                            + "'");
                }
                ordered.add(0, entry);
                at = inboundOf.get(at);
            }
            String first = nameOf(object(ordered.get(0), "layer 0"));
            if (!first.equals(inputs.get(0))) {
                throw new KerasFormatException(where + ": the output '" + outputs.get(0) + "' traces back to '"
                        + first + "', not to the input '" + inputs.get(0) + "'");
            }
            if (ordered.size() != byName.size()) {
                List<String> unused = new ArrayList<>(byName.keySet());
                for (Object o : ordered) {
                    unused.remove(nameOf(object(o, "layer")));
                }
                throw branching(unused.get(0), string(byName.get(unused.get(0)), "class_name", "layer"),
                        "a layer off the chain from '" + inputs.get(0) + "' to '" + outputs.get(0) + "'");
            }
            return ordered;
        }

        /** A functional layer's name: the entry's, else its config's (Keras 2 and 3 write both). */
        private static String nameOf(Map<String, Object> entry) {
            if (entry.get("name") instanceof String s) {
                return s;
            }
            return entry.get("config") instanceof Map<?, ?> c && c.get("name") instanceof String s ? s : null;
        }

        private UnsupportedKerasModelException branching(String layer, String kerasClass, String what) {
            return new UnsupportedKerasModelException(file, layer, kerasClass, "inbound_nodes", "the graph branches"
                    + " here (" + what + "): purecnn reads functional models that are a single chain only");
        }

        /**
         * The tensors a layer is called on, in both forms: Keras 2's nodes
         * {@code [[["conv2d", 0, 0, {}]]]} become {@code {"keras_history": [...]}}, Keras 3's
         * {@code [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": [...]}}]}]}
         * are found anywhere in a node's args and kwargs.
         */
        private List<Map<String, Object>> tensors(Object nodes) {
            List<Map<String, Object>> found = new ArrayList<>();
            if (nodes instanceof List<?> list) {
                for (Object node : list) {
                    if (node instanceof List<?> keras2) {
                        for (Object input : keras2) {
                            if (input instanceof List<?> history) {
                                Map<String, Object> config = new LinkedHashMap<>();
                                config.put("keras_history", history);
                                Map<String, Object> tensor = new LinkedHashMap<>();
                                tensor.put("config", config);
                                found.add(tensor);
                            }
                        }
                    } else {
                        collectTensors(node, found, 0);
                    }
                }
            }
            return found;
        }

        private void collectTensors(Object value, List<Map<String, Object>> into, int depth) {
            if (depth > Json.MAX_DEPTH) {
                return;
            }
            if (value instanceof Map<?, ?> map) {
                if ("__keras_tensor__".equals(map.get("class_name"))) {
                    into.add(cast(map));
                    return;
                }
                for (Object v : map.values()) {
                    collectTensors(v, into, depth + 1);
                }
            } else if (value instanceof List<?> list) {
                for (Object v : list) {
                    collectTensors(v, into, depth + 1);
                }
            }
        }

        private String historyLayer(Map<String, Object> tensor, String layer) throws KerasFormatException {
            if (tensor.get("config") instanceof Map<?, ?> c && c.get("keras_history") instanceof List<?> h
                    && !h.isEmpty() && h.get(0) instanceof String source) {
                return source;
            }
            throw new KerasFormatException(where + ": layer '" + layer + "': expected its inbound tensors to name"
                    + " their layer (keras_history), found " + KerasValues.describe(tensor));
        }

        /** {@code [["input_1", 0, 0]]} (a list of endpoints) or {@code ["input_1", 0, 0]} (one). */
        private List<String> endpointNames(Object value, String key) throws KerasFormatException {
            List<Object> list = list(value, "the model config's '" + key + "'");
            List<String> names = new ArrayList<>();
            if (!list.isEmpty() && list.get(0) instanceof String s) {
                names.add(s);
                return names;
            }
            for (Object o : list) {
                if (o instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String s) {
                    names.add(s);
                } else {
                    throw new KerasFormatException(where + ": the model config's '" + key + "': expected"
                            + " [layer name, node, tensor] entries, found " + KerasValues.describe(o));
                }
            }
            return names;
        }

        /**
         * Built-in Keras objects have no registered name (or their class name) and, in Keras 3,
         * a module under {@code keras}; anything else is a custom object purecnn cannot know.
         */
        private void checkNotCustom(Map<String, Object> entry, String layer, String kerasClass, String... modules)
                throws UnsupportedKerasModelException {
            Object registered = entry.get("registered_name");
            Object module = entry.get("module");
            boolean builtIn = (registered == null || registered.equals(kerasClass))
                    && (module == null || module instanceof String m && (List.of(modules).contains(m)
                    || m.startsWith("keras.")));
            if (entry.containsKey("module")) {
                dialect = KerasDialect.KERAS3;
            }
            if (!builtIn) {
                throw new UnsupportedKerasModelException(file, layer, kerasClass, null, "a custom object (module "
                        + KerasValues.describe(module) + ", registered name " + KerasValues.describe(registered)
                        + "): purecnn reads Keras's built-in layers only, which are " + KerasLayerTable.supportedClasses());
            }
        }

        // ---- typed access, with messages that say where ----

        private Map<String, Object> object(Object value, String what) throws KerasFormatException {
            if (value instanceof Map<?, ?> map) {
                return cast(map);
            }
            throw new KerasFormatException(where + ": " + what + ": expected a JSON object, found "
                    + KerasValues.describe(value));
        }

        private List<Object> list(Object value, String what) throws KerasFormatException {
            if (value instanceof List<?> list) {
                return cast(list);
            }
            throw new KerasFormatException(where + ": " + what + ": expected a JSON array, found "
                    + KerasValues.describe(value));
        }

        private String string(Map<String, Object> m, String key, String what) throws KerasFormatException {
            if (m.get(key) instanceof String s) {
                return s;
            }
            throw new KerasFormatException(where + ": " + what + ": expected '" + key + "' as a string, found "
                    + KerasValues.describe(m.get(key)));
        }

        @SuppressWarnings("unchecked")
        private static <T> T cast(Object o) {
            return (T) o;
        }
    }
}
