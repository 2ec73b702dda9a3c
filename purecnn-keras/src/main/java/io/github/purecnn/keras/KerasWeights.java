package io.github.purecnn.keras;

import io.github.purecnn.layers.Layer;
import io.github.purecnn.model.Sequential;
import io.jhdf.api.Group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weight layouts of Keras's HDF5 files, read into a model's weights (the trainable ones and the
 * others, such as BatchNormalization's moving statistics, in Keras's order and shapes, see
 * {@link KerasLayerWeights}): all shapes are checked before any data is read, all data is read
 * before any weight changes, so a failure leaves the model as it was.
 * <ul>
 *   <li>Keras 2 ({@code model.save('m.h5')}'s {@code model_weights} group, or the root of
 *       {@code save_weights('w.h5')}): attribute {@code layer_names}, one group per layer with
 *       attribute {@code weight_names}, datasets at {@code <layer>/<weight name>}
 *       ({@code conv2d/conv2d/kernel:0});</li>
 *   <li>Keras 3 ({@code model.weights.h5} in a {@code .keras} archive, {@code .weights.h5}):
 *       {@code layers/<key>/vars/0, 1, ...} where the key is the layer's class in snake case,
 *       numbered {@code _1}, {@code _2} when repeated.</li>
 * </ul>
 */
final class KerasWeights {
    private KerasWeights() {
    }

    /** The Keras 3 key of each layer: {@code conv2d}, {@code conv2d_1}, ... by class, in layer order. */
    static List<String> keras3Keys(List<String> kerasClasses) {
        Map<String, Integer> used = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (String c : kerasClasses) {
            String snake = snakeCase(c);
            int n = used.merge(snake, 1, Integer::sum) - 1;
            keys.add(n == 0 ? snake : snake + "_" + n);
        }
        return keys;
    }

    /** Keras's {@code to_snake_case}: {@code MaxPooling2D} becomes {@code max_pooling2d}. */
    static String snakeCase(String className) {
        String s = className.replaceAll("\\W+", "");
        s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Reads a Keras 2 layout under {@code rootPath} ("" for the root) into {@code model}.
     *
     * @throws KerasFormatException naming the file, layer and dataset on anything that does not fit
     */
    static void readKeras2(H5Reader h5, String rootPath, Sequential model, KerasModels.Match match) throws KerasFormatException {
        Group root = h5.group(rootPath, "the model's weights");
        String prefix = rootPath.isEmpty() ? "" : rootPath + "/";
        List<String> layerNames = h5.names(root, "layer_names");
        if (layerNames.isEmpty() && !h5.hasAttribute(root, "layer_names")) {
            throw new KerasFormatException(h5.file() + ": '" + (rootPath.isEmpty() ? "/" : rootPath) + "': expected the"
                    + " attribute 'layer_names' of a Keras weights group, found none (not a Keras HDF5 file?)");
        }
        Map<String, List<String>> fileLayers = new LinkedHashMap<>();
        for (String name : layerNames) {
            Group g = h5.group(prefix + name, "the weights of layer '" + name + "' listed in 'layer_names'");
            List<String> weights = h5.names(g, "weight_names");
            if (!weights.isEmpty()) {
                fileLayers.put(name, weights);
            }
        }
        List<Layer> withWeights = layersWithWeights(model);
        List<String> fileOrder = new ArrayList<>(fileLayers.keySet());
        if (match == KerasModels.Match.BY_ORDER && fileOrder.size() != withWeights.size()) {
            throw new KerasFormatException(h5.file() + ": model '" + model.name() + "' has " + withWeights.size()
                    + " layers with weights " + names(withWeights) + ", the file has " + fileOrder.size() + " "
                    + fileOrder);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < withWeights.size(); i++) {
            Layer layer = withWeights.get(i);
            String fileLayer = match == KerasModels.Match.BY_ORDER ? fileOrder.get(i) : layer.name();
            List<String> weightNames = fileLayers.get(fileLayer);
            if (weightNames == null) {
                throw new KerasFormatException(h5.file() + ": model layer '" + layer.name() + "' (" + layer.typeName()
                        + ") has weights, the file has no layer of that name with weights: found " + fileOrder);
            }
            List<KerasLayerWeights.FileWeight> expected = KerasLayerWeights.of(layer, KerasDialect.KERAS2);
            if (weightNames.size() != expected.size()) {
                throw new KerasFormatException(h5.file() + ": layer '" + fileLayer + "' holds " + weightNames.size()
                        + " weights " + weightNames + ", model layer '" + layer.name() + "' (" + layer.typeName()
                        + ") has " + expected.size() + " " + weightNames(expected));
            }
            for (int w = 0; w < weightNames.size(); w++) {
                entries.add(new Entry(prefix + fileLayer + "/" + weightNames.get(w), expected.get(w), layer,
                        layer.typeName()));
            }
        }
        readInto(h5, entries);
    }

    /** Reads a Keras 3 layout ({@code layers/<key>/vars/<i>}) into {@code model}, whose layers came from {@code kerasClasses}. */
    static void readKeras3(H5Reader h5, Sequential model, List<String> kerasClasses) throws KerasFormatException {
        List<String> keys = keras3Keys(kerasClasses);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Layer layer = model.layers().get(i);
            String varsPath = "layers/" + keys.get(i) + "/vars";
            Group vars = h5.groupOrNull(varsPath);
            List<String> stored = vars == null ? List.of() : h5.children(vars);
            List<KerasLayerWeights.FileWeight> expected = KerasLayerWeights.of(layer, KerasDialect.KERAS3);
            if (stored.size() != expected.size()) {
                throw new KerasFormatException(h5.file() + ": '" + varsPath + "' holds " + stored.size() + " weights "
                        + stored + ", layer '" + layer.name() + "' (" + kerasClasses.get(i) + ") has " + expected.size()
                        + " " + weightNames(expected));
            }
            for (int w = 0; w < expected.size(); w++) {
                entries.add(new Entry(varsPath + "/" + w, expected.get(w), layer, kerasClasses.get(i)));
            }
        }
        readInto(h5, entries);
    }

    /** A dataset to read, the weight it holds and its layer, for messages. */
    private record Entry(String path, KerasLayerWeights.FileWeight weight, Layer layer, String kerasClass) {
        String owner() {
            return "layer '" + layer.name() + "' (" + kerasClass + ") weight '" + weight.name() + "'";
        }
    }

    /** Checks every dataset's shape (and reads Normalization's count), then reads them all, then sets the weights. */
    private static void readInto(H5Reader h5, List<Entry> entries) throws KerasFormatException {
        for (Entry e : entries) {
            if (e.weight().isCount()) {
                long count = h5.scalarLong(e.path(), e.owner());
                if (count < 0) {
                    throw new KerasFormatException(h5.file() + ": dataset '" + e.path() + "' of " + e.owner()
                            + ": expected a count of 0 or more, found " + count);
                }
                continue;
            }
            int[] expected = e.weight().shape();
            int[] found = h5.shape(e.path(), e.owner());
            if (!java.util.Arrays.equals(expected, found)) {
                throw new KerasFormatException(h5.file() + ": dataset '" + e.path() + "' of " + e.owner()
                        + ": expected shape " + H5Reader.tuple(expected) + " (Keras layout), found "
                        + H5Reader.tuple(found));
            }
        }
        float[][] values = new float[entries.size()][];
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (!e.weight().isCount()) {
                values[i] = h5.floats(e.path(), e.weight().shape(), e.owner());
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                entries.get(i).weight().parameter().set(values[i]);
            }
        }
    }

    private static List<Layer> layersWithWeights(Sequential model) {
        List<Layer> list = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (!l.weights().isEmpty()) {
                list.add(l);
            }
        }
        return list;
    }

    private static List<String> names(List<Layer> layers) {
        return layers.stream().map(Layer::name).toList();
    }

    private static List<String> weightNames(List<KerasLayerWeights.FileWeight> weights) {
        return weights.stream().map(KerasLayerWeights.FileWeight::name).toList();
    }
}
