package io.github.purecnn.model;

import io.github.purecnn.layers.Layer;
import io.github.purecnn.tensor.Shape;

import java.util.ArrayList;
import java.util.List;

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
     * {@code get_weights()} order and layouts, as the layer declares them
     * ({@link Layer#weightShapes}): the model file's weight layout.
     *
     * @param input an input shape the layer takes (its {@code computeOutputShape} accepted it)
     * @throws IllegalArgumentException if a shape does not fit in one array
     */
    static List<Weight> kerasWeights(Layer layer, String label, Shape input) {
        List<Weight> w = new ArrayList<>();
        for (Layer.WeightShape shape : layer.weightShapes(input)) {
            w.add(new Weight(label + "/" + shape.name(), shape.shape()));
        }
        return w;
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
        Shape in = input;
        for (int i = 0; i < layers.size(); i++) {
            long parameters = 0;
            long state = 0;
            Layer l = layers.get(i);
            for (Layer.WeightShape w : l.weightShapes(in)) {
                if (w.trainable()) {
                    parameters += w.shape().size();
                } else {
                    state += w.shape().size();
                }
            }
            sizes.add(new MemoryEstimate.LayerSize(l.name() != null ? l.name() : "model.layers[" + i + "]",
                    l.typeName(), outputs.get(i), parameters, state));
            in = outputs.get(i);
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
