package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.runtime.WeightShape;
import io.github.purecnn.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The base of a layer you write yourself, as a Keras {@code Layer} subclass: with its own weights,
 * a forward and a backward pass over flat arrays, an output shape and a config, running in the
 * model's engine like any built-in layer (in shards, on the model's threads) without touching the
 * kernels. Implement:
 * <ul>
 *   <li>{@link #typeName()}: the name it is saved and registered under;</li>
 *   <li>{@link #arguments()}: its config, values that JSON can hold (numbers, strings, booleans,
 *       lists, maps), from which its factory makes it again;</li>
 *   <li>{@link #computeOutputShape(Shape)}: its output shape per sample, without running;</li>
 *   <li>{@link #buildWeights(Shape, Weights)}: its weights, with {@link Weights#add} (optional);</li>
 *   <li>{@link #forward} and {@link #backward}.</li>
 * </ul>
 * Then register a factory once, {@code Layers.register("Scale", c -> new Scale(c.number("initial")))},
 * so that models containing it save and load (see {@link Layers#register}).
 *
 * <p>Arrays are flat and row-major, batch first: a shard of n samples, each of the input (or
 * output) shape. The engine calls forward and backward for different shards at the same time, on
 * different threads: they must not write the layer's fields or its weights, only their output
 * arrays; the weights' values ({@link Parameter#value()}) are read-only during a step. Trainable
 * weights are updated by the model's optimizer from the gradients backward writes; weights that
 * are not trainable are the layer's own business, outside forward and backward.
 *
 * <pre>{@code
 * // y = x * w per channel, w trainable, starting at `initial`
 * final class Scale extends CustomLayer {
 *     private final double initial;
 *     private Parameter w;
 *     Scale(double initial) { this.initial = initial; }
 *     public String typeName() { return "Scale"; }
 *     protected Map<String, Object> arguments() { return Map.of("initial", initial); }
 *     public Shape computeOutputShape(Shape input) { return input; }
 *     protected void buildWeights(Shape input, Weights weights) {
 *         w = weights.add("w", Shape.of(input.dim(input.rank() - 1)), true, Initializer.ONES);
 *         java.util.Arrays.fill(w.value(), (float) initial);
 *     }
 *     protected void forward(float[] out, float[] in, int n, boolean training, long noiseSeed) {
 *         int c = w.size();
 *         for (int i = 0; i < n * inputShape().size(); i++) out[i] = in[i] * w.value()[i % c];
 *     }
 *     protected void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Gradients grads) {
 *         int c = w.size();
 *         float[] dw = grads.of(w);               // null while the layer is frozen
 *         if (dw != null) java.util.Arrays.fill(dw, 0f);
 *         for (int i = 0; i < n * inputShape().size(); i++) {
 *             if (dw != null) dw[i % c] += in[i] * dOut[i];
 *             if (dIn != null) dIn[i] = dOut[i] * w.value()[i % c];
 *         }
 *     }
 * }
 * }</pre>
 */
public abstract class CustomLayer extends Layer {

    /** For subclasses: a custom layer's arguments go to its own constructor. */
    protected CustomLayer() {
    }

    /** Creates the layer's weights while it is built; see {@link CustomLayer#buildWeights}. */
    public static final class Weights {
        private final List<Parameter> trainable;
        private final List<Parameter> state = new ArrayList<>();
        private final SplittableRandom rng;

        Weights(List<Parameter> trainable, SplittableRandom rng) {
            this.trainable = trainable;
            this.rng = rng;
        }

        /**
         * A new weight of the layer, as Keras's {@code add_weight}: its values drawn by
         * {@code init} from the model's seed; trainable ones are updated by the optimizer. The
         * layer's weights keep Keras's order: the trainable ones first, each group in the order added.
         *
         * @param name unique within the layer, without '/'
         * @param shape the weight's shape, in the layout forward and backward read it
         * @param trainable {@code true} for a weight the optimizer trains (backward gives its gradient);
         *     {@code false} for state the layer keeps
         * @param init how the values start, such as {@link Initializer#GLOROT_UNIFORM} or
         *     {@link Initializer#ZEROS}
         * @return the new weight: keep it, to read its values in forward and backward
         * @throws NullPointerException if {@code shape} or {@code init} is null
         * @throws IllegalArgumentException if {@code name} is null, blank or contains '/'
         */
        public Parameter add(String name, Shape shape, boolean trainable, Initializer init) {
            Objects.requireNonNull(shape, "shape");
            Objects.requireNonNull(init, "initializer");
            if (name == null || name.isBlank() || name.contains("/")) {
                throw new IllegalArgumentException("a weight name must be non-empty and contain no '/', found '" + name + "'");
            }
            Parameter p = new Parameter(name, shape, trainable);
            init.fill(p.value(), shape, rng);
            (trainable ? this.trainable : state).add(p);
            return p;
        }
    }

    /** Where backward writes the gradients of one shard, one array per weight that trains. */
    public static final class Gradients {
        private final List<Parameter> training;
        private final float[][] arrays;

        Gradients(List<Parameter> training, float[][] arrays) {
            this.training = training;
            this.arrays = arrays;
        }

        /**
         * The array (the weight's size) that backward must write whole with the gradient of
         * {@code weight}, overwriting what it holds; null when the weight does not train (not
         * trainable, or the layer is frozen), so that its gradient need not be computed.
         *
         * @param weight one of the layer's weights
         * @return the array for that weight's gradient, of {@code weight.size()} values, or null
         */
        public float[] of(Parameter weight) {
            for (int i = 0; i < arrays.length; i++) {
                if (training.get(i) == weight) {
                    return arrays[i];
                }
            }
            return null;
        }
    }

    /**
     * Adds the layer's weights for an input of {@code input} (per sample), when the model builds
     * the layer; a model file being read also calls it once before, to learn the weights' shapes,
     * and drops what it made then, so it should only make weights and keep references to them.
     * None by default.
     *
     * @param input the shape of one input sample
     * @param weights where to add the weights, with {@link Weights#add}
     */
    protected void buildWeights(Shape input, Weights weights) {
    }

    /** The weights buildWeights made that do not train, between the two halves of building. */
    private List<Parameter> pendingState = List.of();

    /**
     * The weights {@link #buildWeights} makes for {@code input}: once built, the layer's own; before,
     * found by calling buildWeights on weights that are then dropped (building calls it again), so
     * buildWeights must only make weights and keep references to them.
     *
     * @param input the shape of one input sample
     * @return the names, shapes and trainability of the weights, in the layer's order
     * @throws IllegalArgumentException if {@link #computeOutputShape} refuses the input
     */
    @Internal
    @Override
    public final List<WeightShape> weightShapes(Shape input) {
        List<Parameter> made;
        if (isBuilt()) {
            made = weights();
        } else {
            computeOutputShape(input);
            Weights dry = new Weights(new ArrayList<>(), new SplittableRandom(0));
            buildWeights(input, dry);
            made = new ArrayList<>(dry.trainable);
            made.addAll(dry.state);
        }
        return made.stream().map(p -> new WeightShape(p.name(), p.shape(), p.trainable())).toList();
    }

    @Override
    protected final void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        Weights weights = new Weights(into, rng);
        buildWeights(input, weights);
        pendingState = weights.state;
    }

    @Override
    protected final void createNonTrainableWeights(Shape input, List<Parameter> into) {
        into.addAll(pendingState);
        pendingState = List.of();
    }

    /**
     * out (n, output shape) writes: the layer's output for in (n, input shape).
     *
     * @param out the output, {@code n} samples of the output shape, written whole
     * @param in the input, {@code n} samples of the input shape; read only
     * @param n the number of samples in this shard
     * @param training  true in {@code fit}, false in evaluate and predict
     * @param noiseSeed a seed for randomness in training, fixed by the model's seed, the step and the shard:
     *     draw from it, not from a generator of your own, and results stay the same whatever the number of
     *     threads
     */
    protected abstract void forward(float[] out, float[] in, int n, boolean training, long noiseSeed);

    /**
     * The gradients of the loss, given dOut (n, output shape), the gradient with respect to the
     * output, which may be overwritten: dIn (n, input shape) writes the gradient with respect to
     * the input, unless null (nobody needs it); {@link Gradients#of} each trainable weight writes
     * its gradient summed over the n samples.
     *
     * @param dIn the gradient with respect to the input, written whole; or null
     * @param dOut the gradient with respect to the output; may be overwritten
     * @param in  the input of the last forward pass of this shard
     * @param out its output
     * @param n the number of samples in this shard
     * @param grads the arrays for the weights' gradients, one per trainable weight
     */
    protected abstract void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Gradients grads);

    /**
     * How the engine runs a custom layer: its forward and backward, per shard; no kernels involved.
     *
     * @param kernels unused: a custom layer runs its own code
     * @param lossGivesPreActivationGradient unused: a custom layer has no activation the loss fuses with
     * @return a new step calling {@link #forward} and {@link #backward}
     */
    @Internal
    @Override
    public final Step newStep(Kernels kernels, boolean lossGivesPreActivationGradient) {
        List<Parameter> training = new ArrayList<>(trainableWeights());
        return new Step() {
            @Override
            public String describe() {
                return name() + ": custom layer " + typeName();
            }

            @Override
            public Step.Shard newShard(int capacity) {
                float[][] arrays = new float[training.size()][];
                for (int i = 0; i < arrays.length; i++) {
                    arrays[i] = new float[training.get(i).size()];
                }
                Gradients grads = new Gradients(training, arrays);
                return new Step.Shard() {
                    @Override
                    public void forward(float[] out, float[] in, int n, boolean isTraining, long noiseSeed, Scratch scratch) {
                        CustomLayer.this.forward(out, in, n, isTraining, noiseSeed);
                    }

                    @Override
                    public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                        CustomLayer.this.backward(dIn, dOut, in, out, n, grads);
                    }

                    @Override
                    public float[][] grads() {
                        return arrays;
                    }
                };
            }
        };
    }
}
