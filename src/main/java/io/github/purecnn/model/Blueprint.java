package io.github.purecnn.model;

import io.github.purecnn.layers.Layer;
import io.github.purecnn.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's architecture as a model file's manifest declares it, known in full before anything is
 * built: each layer unbuilt, its output shape, and the Keras shapes of the weights building it
 * would allocate. The reader checks a manifest's tensors and the model's memory against it, so
 * that a file asking for more than it may have is refused before the first weight array exists.
 */
final class Blueprint {
    /** One weight a layer will have: its Keras path ({@code dense/kernel}) and shape. */
    record Weight(String path, Shape shape) {
    }

    private final long seed;
    private final String name;
    private final long epochsTrained;
    private final long stepsTrained;
    private final Shape input;
    private final List<Layer> layers;
    private final List<Shape> outputs = new ArrayList<>();
    private final List<List<Weight>> weights = new ArrayList<>();

    /**
     * Works out every layer's output and weight shapes without building any.
     *
     * @param layers unbuilt layers, made from their configs
     * @param epochsTrained the training progress the model is built with (see {@link Sequential#epochsTrained})
     * @param stepsTrained the training steps it is built with
     * @throws IllegalArgumentException starting {@code model.layers[i]: } when layer {@code i}
     *     cannot take its input, or its weights would not fit in one array
     */
    Blueprint(long seed, String name, Shape input, List<Layer> layers, long epochsTrained, long stepsTrained) {
        this.seed = seed;
        this.name = name;
        this.epochsTrained = epochsTrained;
        this.stepsTrained = stepsTrained;
        this.input = input;
        this.layers = List.copyOf(layers);
        Shape in = input;
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            String label = l.name() != null ? l.name() : "model.layers[" + i + "]";
            try {
                Shape out = l.computeOutputShape(in);
                weights.add(kerasWeights(l, label, in));
                in = out;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("model.layers[" + i + "]: layer " + i + " '" + label + "' ("
                        + l.typeName() + ") cannot take input of shape " + in + ": " + e.getMessage(), e);
            }
            outputs.add(in);
        }
    }

    /**
     * The weights building {@code layer} on {@code input} will create, in Keras's
     * {@code get_weights()} order and layouts, from its config: Conv2D a kernel
     * {@code (kernel height, kernel width, input channels, filters)} and a bias {@code (filters,)},
     * Dense a kernel {@code (input features, units)} and a bias {@code (units,)} (each bias only
     * with {@code use_bias}); the other layer types have none. This is the model file's weight
     * layout, which the format fixes; a test holds it against what every layer type builds.
     *
     * @param input an input shape the layer takes (its {@code computeOutputShape} accepted it)
     * @throws IllegalArgumentException if a shape does not fit in one array
     */
    static List<Weight> kerasWeights(Layer layer, String label, Shape input) {
        Map<String, Object> c = layer.config();
        boolean bias = !Boolean.FALSE.equals(c.get("use_bias"));
        List<Weight> w = new ArrayList<>();
        switch (layer.typeName()) {
            case "Conv2D" -> {
                List<?> kernel = (List<?>) c.get("kernel_size");
                int filters = integer(c.get("filters"));
                w.add(new Weight(label + "/kernel", Shape.of(integer(kernel.get(0)), integer(kernel.get(1)),
                        input.dim(2), filters)));
                if (bias) {
                    w.add(new Weight(label + "/bias", Shape.of(filters)));
                }
            }
            case "Dense" -> {
                int units = integer(c.get("units"));
                w.add(new Weight(label + "/kernel", Shape.of(input.dim(input.rank() - 1), units)));
                if (bias) {
                    w.add(new Weight(label + "/bias", Shape.of(units)));
                }
            }
            case "MaxPooling2D", "AveragePooling2D", "Flatten", "Dropout", "Activation" -> {
                // no weights
            }
            default -> throw new IllegalStateException("the model file has no weight layout for layer type '"
                    + layer.typeName() + "'");
        }
        return w;
    }

    private static int integer(Object value) {
        return ((Number) value).intValue();
    }

    /** Every weight, layer by layer: the order of the manifest's {@code weights}. */
    List<Weight> weights() {
        List<Weight> all = new ArrayList<>();
        weights.forEach(all::addAll);
        return all;
    }

    /** What {@link MemoryEstimate} needs, from the shapes alone. */
    MemoryEstimate memory(int optimizerArrays) {
        List<MemoryEstimate.LayerSize> sizes = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            long parameters = 0;
            for (Weight w : weights.get(i)) {
                parameters += w.shape().size();
            }
            Layer l = layers.get(i);
            sizes.add(new MemoryEstimate.LayerSize(l.name() != null ? l.name() : "model.layers[" + i + "]",
                    l.typeName(), outputs.get(i), parameters));
        }
        return new MemoryEstimate(input, sizes, optimizerArrays);
    }

    /**
     * Builds the model: only now are the weights allocated.
     *
     * @throws IllegalArgumentException if the name or a layer is refused
     */
    Sequential build() {
        Sequential model = new Sequential(seed, input).named(name);
        for (Layer l : layers) {
            model.add(l);
        }
        model.restoreProgress(epochsTrained, stepsTrained);
        return model;
    }
}
