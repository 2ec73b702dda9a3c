package io.github.purecnn.optimizers;

import io.github.purecnn.layers.Parameter;

import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their reduced gradients. The optimizer owns its state (moments, step
 * count), one slot per parameter in the model's parameter order; layers know nothing of
 * learning rates. A step is {@link #beginStep()} once, then {@link #update} over disjoint
 * ranges of each parameter, possibly from several threads at once.
 */
public abstract class Optimizer {
    private List<Parameter> params;
    private long iterations;

    /** The Keras class name, such as {@code "Adam"}. */
    public abstract String typeName();

    /** The hyper-parameters under their Keras names. */
    public abstract Map<String, Object> config();

    /**
     * Binds the optimizer to a model's parameters and creates its state, zeroed. Binding again
     * to the same parameters (compiling the model again) resets the state; an optimizer serves
     * one model only.
     */
    public final void build(List<Parameter> parameters) {
        if (params != null && !params.equals(parameters)) {
            // Its state and its updates would go to the first model's parameters.
            throw new IllegalStateException("this " + typeName() + " is already bound to other parameters (another "
                    + "model, or this one before layers were added): give each compile an optimizer of its own");
        }
        this.params = List.copyOf(parameters);
        this.iterations = 0;
        createState(params);
    }

    protected abstract void createState(List<Parameter> parameters);

    /**
     * How many arrays of each parameter's size {@link #createState} makes (Adam: its two moments),
     * known before it runs, so that a model's memory can be checked before the state is created.
     *
     * @return the number of state arrays per parameter
     */
    public abstract int stateArraysPerParameter();

    /** The parameters this optimizer is built for. */
    public final List<Parameter> parameters() {
        if (params == null) {
            throw new IllegalStateException(typeName() + " is not bound to a model: compile the model first");
        }
        return params;
    }

    /** Advances the step count; call once per training step, before the updates. */
    public final void beginStep() {
        parameters();
        iterations++;
        prepareStep(iterations);
    }

    /** Work shared by all updates of step {@code t} (1 for the first step). */
    protected void prepareStep(long t) {
    }

    /** Updates values {@code [from, to)} of parameter number {@code index} from its gradient. */
    public abstract void update(int index, int from, int to);

    /**
     * The state arrays, by Keras-like names ({@code "conv2d/kernel/m"}), for saving and resuming
     * training (the step count is {@link #iterations()}). Arrays are shared, not copied.
     */
    public abstract Map<String, float[]> state();

    /** The number of steps taken since the state was created. */
    public final long iterations() {
        return iterations;
    }

    /** Sets the step count, when restoring saved state. */
    public final void setIterations(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("iterations must be at least 0, found " + count);
        }
        iterations = count;
    }

    static float requirePositive(String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be a positive finite number, found " + value);
        }
        return (float) value;
    }
}
