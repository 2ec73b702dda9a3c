package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.regularizers.Regularizer;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.runtime.WeightShape;
import io.github.purecnn.tensor.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A layer, with the Keras lifecycle: made from its arguments, then built once by its model when
 * its input shape is known, after which it knows its output shape and owns its weights.
 * Shapes here are per sample, without the batch dimension.
 *
 * <p>The layers are the classes of this package; a layer of your own extends {@link CustomLayer},
 * the one subclass open outside the package (the constructor here is package-private). The
 * members marked {@link Internal} are how the model runs a layer (its step, with the kernel
 * plans chosen for its exact shapes and per shard of a batch the caches and gradient buffers that
 * shard needs); they are not part of the API. A layer never looks at its neighbours: fusing
 * layers is planned above them, by the model.
 */
public abstract class Layer {
    private String name;
    private Shape inputShape;
    private Shape outputShape;
    private List<Parameter> parameters = List.of();
    private List<Parameter> nonTrainable = List.of();
    private boolean trainable = true;
    /** Weight name to regularizer, in the order they were given: Keras's {@code kernel_regularizer} and so on. */
    private final Map<String, Regularizer> regularizers = new LinkedHashMap<>();

    /** Only the layers of this package extend Layer directly; others extend {@link CustomLayer}. */
    Layer() {
    }

    /**
     * The Keras class name shown by {@code summary()}, such as {@code "Conv2D"}.
     *
     * @return the Keras class name, such as {@code "Conv2D"}, also the {@code class_name} of the layer's
     *     entry in a saved model
     */
    public abstract String typeName();

    /**
     * The layer's name: given with {@link #named}, or assigned by the model as Keras does ({@code conv2d_1}).
     *
     * @return the name, or null before one is given or the layer is built
     */
    public String name() {
        return name;
    }

    /**
     * Names the layer; the name must be unique within its model.
     *
     * @param newName the name: non-empty and without {@code '/'} (a weight's path is {@code layer/weight})
     * @return this layer
     * @throws IllegalArgumentException if {@code newName} is null, blank or contains {@code '/'}
     * @throws IllegalStateException once the layer is built
     */
    public Layer named(String newName) {
        requireUnbuilt("rename");
        if (newName == null || newName.isBlank() || newName.contains("/")) {
            throw new IllegalArgumentException("a layer name must be non-empty and contain no '/', found '" + newName + "'");
        }
        this.name = newName;
        return this;
    }

    /**
     * The snake_case prefix Keras derives from the class name: {@code AveragePooling2D -> average_pooling2d}.
     *
     * @return the name the model assigns to the first layer of this type, then with {@code _1}, {@code _2}... appended
     */
    @Internal
    public String defaultNamePrefix() {
        String s = typeName().replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether the layer has been built: its input shape is known and its weights exist.
     *
     * @return true once a model has built the layer
     */
    public boolean isBuilt() {
        return outputShape != null;
    }

    /**
     * The input shape without batch dimension; fails before the layer is built.
     *
     * @return the shape of one input sample
     * @throws IllegalStateException before the layer is built
     */
    public Shape inputShape() {
        requireBuilt();
        return inputShape;
    }

    /**
     * The output shape without batch dimension; fails before the layer is built.
     *
     * @return the shape of one output sample
     * @throws IllegalStateException before the layer is built
     */
    public Shape outputShape() {
        requireBuilt();
        return outputShape;
    }

    /**
     * The weights created trainable, kernels then biases, in Keras's order; empty for layers
     * without them. A frozen layer keeps them here but does not train them ({@link #trainableWeights}).
     *
     * @return the parameters, unmodifiable; empty before the layer is built
     */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * The weights the optimizer updates (Keras's {@code trainable_weights}): the parameters while
     * the layer is trainable, none while it is frozen.
     *
     * @return the parameters, or an empty list while the layer is frozen
     */
    public List<Parameter> trainableWeights() {
        return trainable ? parameters : List.of();
    }

    /**
     * Keras's non-trainable weights: state the layer keeps (statistics), which no optimizer updates.
     *
     * @return the non-trainable weights, unmodifiable; empty for most layers and before the layer is built
     */
    public List<Parameter> nonTrainableWeights() {
        return nonTrainable;
    }

    /**
     * All weights in Keras's {@code layer.weights} order: the parameters, then the non-trainable weights.
     *
     * @return the parameters followed by the non-trainable weights, unmodifiable
     */
    public List<Parameter> weights() {
        return nonTrainable.isEmpty() ? parameters : Collections.unmodifiableList(concat(parameters, nonTrainable));
    }

    /**
     * The number of values in all the layer's weights, trainable or not, as Keras's
     * {@code count_params()} and the summary's "Param #".
     *
     * @return the number of values, 0 for layers without weights or before the layer is built
     */
    public long countParams() {
        return count(parameters) + count(nonTrainable);
    }

    /**
     * The number of values the optimizer updates: the parameters', 0 while the layer is frozen.
     *
     * @return the number of values trained, 0 when frozen
     */
    public long countTrainableParams() {
        return count(trainableWeights());
    }

    static long count(List<Parameter> ps) {
        long total = 0;
        for (Parameter p : ps) {
            total += p.size();
        }
        return total;
    }

    /**
     * Freezes the layer ({@code false}) or unfreezes it, as Keras's {@code layer.trainable = ...}:
     * a frozen layer's weights are not updated and it computes no gradients for them; a frozen
     * BatchNormalization also runs in inference mode, as in Keras 3. Allowed at any time, before or
     * after building (fine-tuning freezes the layers of a loaded model); a compiled model must be
     * compiled again before it trains with the change, as in Keras, and {@code fit} says so.
     *
     * @param value {@code true} (the default) to train the layer's weights, {@code false} to freeze them
     * @return this layer
     */
    public Layer trainable(boolean value) {
        this.trainable = value;
        return this;
    }

    /**
     * Whether the layer trains; see {@link #trainable(boolean)}.
     *
     * @return true unless frozen with {@code trainable(false)}
     */
    public boolean isTrainable() {
        return trainable;
    }

    /**
     * Checks that this layer can train on batches of {@code samples} samples; the model asks
     * before the first training step, for every batch size an epoch uses. Nothing by default.
     *
     * @param samples the number of samples in a training batch
     * @throws IllegalArgumentException naming the layer, its input shape and why it cannot
     */
    @Internal
    public void checkTrainingBatch(int samples) {
    }

    /**
     * The layer's arguments under their Keras names, in Keras's order, with the name first; then
     * {@code "trainable": false} when the layer is frozen (absent means trainable, so that the
     * configs of trainable layers read as before); the regularizers that are set last
     * ({@code "kernel_regularizer": {"class_name": "L2", ...}}).
     *
     * @return the config, unmodifiable, in the order Keras writes it
     */
    public final Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        if (!trainable) {
            c.put("trainable", false);
        }
        c.putAll(arguments());
        for (Map.Entry<String, Regularizer> e : regularizers.entrySet()) {
            c.put(e.getKey() + "_regularizer", e.getValue().serialize());
        }
        return Collections.unmodifiableMap(c);
    }

    /**
     * The names of the weights that take a regularizer, as Keras's {@code <name>_regularizer}
     * arguments: a layer opts in by naming them ({@code "kernel"}, {@code "bias"}) and offering
     * setters that call {@link #regularize}; the rest (config, build, the loss and gradient
     * terms in training) is shared. None by default.
     *
     * @return the weight names that accept a regularizer
     */
    protected List<String> regularizableWeights() {
        return List.of();
    }

    /**
     * Gives weight {@code weight} a regularizer (null removes it). A weight the layer does not
     * create (a bias with {@code use_bias} off) ignores it, as in Keras.
     *
     * @param weight the weight's name, one of {@link #regularizableWeights()}
     * @param r the regularizer, or null for none
     * @throws IllegalArgumentException for a weight that takes no regularizer
     * @throws IllegalStateException once the layer is built
     */
    protected final void regularize(String weight, Regularizer r) {
        requireUnbuilt("change the regularizers of");
        if (!regularizableWeights().contains(weight)) {
            throw new IllegalArgumentException(typeName() + " has no " + weight + "_regularizer, expected one of "
                    + regularizableWeights());
        }
        if (r == null) {
            regularizers.remove(weight);
        } else {
            regularizers.put(weight, r);
        }
    }

    /**
     * The regularizer of weight {@code weight}, or null.
     *
     * @param weight the weight's name, such as {@code "kernel"}
     * @return the regularizer set for that weight, or null when none is set
     */
    public final Regularizer regularizer(String weight) {
        return regularizers.get(weight);
    }

    /**
     * The layer's own arguments under their Keras names.
     *
     * @return the arguments, in Keras's order, without the name, {@code trainable} or the regularizers (which
     *     {@link #config()} adds)
     */
    protected abstract Map<String, Object> arguments();

    /**
     * Builds the layer for an input of the given shape: checks that it can take that input,
     * computes its output shape, and creates and initialises its parameters from {@code rng}.
     * Called once, by the model.
     *
     * @param input the shape of one input sample
     * @param index the layer's position in its model, for error messages
     * @param assignedName the name the model assigns, used only if none was given with {@link #named}
     * @param rng the model's seeded random source, which initialises the weights
     * @throws IllegalArgumentException naming the layer, its index, the input shape and the reason
     * @throws IllegalStateException if the layer is already built (a layer instance belongs to one model),
     *     or it creates two weights of one name
     */
    @Internal
    public final void build(Shape input, int index, String assignedName, SplittableRandom rng) {
        if (isBuilt()) {
            throw new IllegalStateException("layer '" + name + "' is already built (for input " + inputShape
                    + "): a layer instance belongs to one model");
        }
        if (name == null) {
            name = assignedName;
        }
        Shape out;
        List<Parameter> params = new ArrayList<>();
        List<Parameter> state = new ArrayList<>();
        try {
            out = computeOutputShape(input);
            createParameters(input, params, rng);
            createNonTrainableWeights(input, state);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("layer " + index + " '" + name + "' (" + typeName()
                    + ") cannot take input of shape " + input + ": " + e.getMessage(), e);
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Parameter p : concat(params, state)) {
            if (!seen.add(p.name())) {
                throw new IllegalStateException("layer " + index + " '" + name + "' (" + typeName()
                        + ") created two weights named '" + p.name() + "'");
            }
            p.attachTo(name);
            if (p.trainable()) {
                p.regularizer(regularizers.get(p.name()));
            }
        }
        this.inputShape = input;
        this.outputShape = out;
        this.parameters = List.copyOf(params);
        this.nonTrainable = List.copyOf(state);
    }

    /**
     * The output shape for an input shape, without running anything.
     *
     * @param input the shape of one input sample
     * @return the shape of one output sample
     * @throws IllegalArgumentException saying why this layer cannot take the input
     */
    public abstract Shape computeOutputShape(Shape input);

    /**
     * Adds this layer's parameters, initialised, to {@code into}; the default has none.
     *
     * @param input the shape of one input sample
     * @param into the list the parameters are added to, in Keras's order
     * @param rng the model's seeded random source, for the initialisers
     */
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
    }

    /**
     * The weights building this layer on {@code input} creates, in Keras's order (trainable first),
     * worked out without allocating them: a model file's weights are checked against these before
     * any array exists. Every layer with weights overrides it; a test holds it against what
     * building creates, for every layer type.
     *
     * @param input the shape of one input sample
     * @return the names and shapes of the weights, trainable first; empty by default
     * @throws IllegalArgumentException if the layer cannot take the input, or a weight does not fit in one
     *     array
     */
    @Internal
    public List<WeightShape> weightShapes(Shape input) {
        return List.of();
    }

    /**
     * Adds this layer's non-trainable weights, initialised, to {@code into}; the default has none.
     *
     * @param input the shape of one input sample
     * @param into the list the weights are added to, in Keras's order
     */
    protected void createNonTrainableWeights(Shape input, List<Parameter> into) {
    }

    /**
     * The activation applied last in this layer, for the fused softmax/cross-entropy gradient.
     *
     * @return the activation, {@link Activation#LINEAR} by default and for layers without one
     */
    @Internal
    public Activation outputActivation() {
        return Activation.LINEAR;
    }

    /**
     * Whether the output is the input seen with another shape (Flatten): the model then lets
     * both share one buffer and runs nothing.
     *
     * @return true for a layer that only changes the shape; false by default
     */
    @Internal
    public boolean reshapesOnly() {
        return false;
    }

    /**
     * How this layer runs, on the given kernels: the engine makes one step per layer (or per group
     * of layers the planner fused) when a model is built for a batch size.
     *
     * @param kernels the kernels the model runs on (plain Java or the Vector API)
     * @param lossGivesPreActivationGradient the layer is the model's last and the loss hands its backward
     *     pass the gradient with respect to the input of its activation (a softmax fused with cross-entropy), so
     *     the step skips the activation's backward
     * @return a new step for this built layer
     */
    @Internal
    public abstract Step newStep(Kernels kernels, boolean lossGivesPreActivationGradient);

    private static List<Parameter> concat(List<Parameter> a, List<Parameter> b) {
        List<Parameter> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** {@code value}, checked to be at least 1; the message starts with {@code what}. */
    static int atLeastOne(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, found " + value);
        }
        return value;
    }

    /**
     * Throws IllegalStateException, naming this layer and the action, once the layer is built: its arguments are fixed then.
     *
     * @param action the verb the message shows, as in "cannot {@code action} layer 'x'"
     * @throws IllegalStateException once the layer is built
     */
    protected final void requireUnbuilt(String action) {
        if (isBuilt()) {
            throw new IllegalStateException("cannot " + action + " layer '" + name + "': it is already built");
        }
    }

    private void requireBuilt() {
        if (!isBuilt()) {
            throw new IllegalStateException(typeName() + " layer" + (name == null ? "" : " '" + name + "'")
                    + " is not built yet: add it to a model first");
        }
    }

    @Override
    public String toString() {
        return typeName() + (name == null ? "" : " '" + name + "'") + config();
    }

}
