package io.github.purecnn.optimizers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.OptimizerUpdates;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.optimizers.schedules.LearningRateSchedule;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Updates parameters from their reduced gradients, as Keras 3's {@code BaseOptimizer}. The
 * optimizer owns its state (slot arrays such as Adam's moments, and the step count), one slot
 * array per parameter in the model's parameter order; layers know nothing of learning rates.
 *
 * <p>Besides each optimizer's own arguments, every optimizer takes Keras's common ones:
 * <ul>
 *   <li>a learning rate that is a number ({@link #setLearningRate} changes it, as callbacks do)
 *       or a {@link LearningRateSchedule}, asked before each step for the rate at the iteration
 *       count (0 for the first step);</li>
 *   <li>{@link #weightDecay}: before the update, each value becomes {@code p - p * wd * lr};</li>
 *   <li>at most one of {@link #clipnorm} (each parameter's gradient scaled to an L2 norm of at
 *       most the bound: {@code g * c / max(norm, c)}), {@link #globalClipnorm} (all gradients
 *       scaled together: {@code g * c * min(1 / norm, 1 / c)}, NaN when the global norm is not
 *       finite) and {@link #clipvalue} (each gradient value clipped to {@code [-c, c]}).</li>
 * </ul>
 * Set them before the optimizer is compiled with a model:
 * {@code new AdamW(0.001).clipnorm(1.0)}. Keras 2's {@code decay} argument
 * ({@code lr / (1 + decay * iterations)}) is gone from Keras 3; {@code InverseTimeDecay(lr, 1, decay)}
 * computes it.
 *
 * <p>The optimizers are the classes of this package (the constructor here is package-private).
 * The members marked {@link Internal} are how the model drives an optimizer, not part of the API.
 * A step is: {@link #beginStep()} once; then, when {@link #needsGradientNorms()}, the sums of
 * squares of every parameter's gradient given to {@link #gradientSquares} (the global norm is
 * their sum in parameter order: the model computes them over fixed ranges in a fixed order, so
 * the clipping factor does not depend on the thread count); then {@link #update} over disjoint
 * ranges of each parameter, possibly from several threads at once. Each update clips the range's
 * gradient, applies the weight decay and then the optimizer's own rule, element by element, the
 * same scalar operations on every kernel path ({@link OptimizerUpdates}).
 *
 * <p>Floating-point detail follows Keras: hyper-parameters are Python floats there, so
 * expressions of them alone ({@code 1 - beta_1}) are computed in double and rounded to float32 once;
 * everything that involves a variable is float32. The step's scalars (bias corrections and the
 * like) are computed once per step, in float32 as Keras computes them.
 */
public abstract class Optimizer {
    private float learningRate;
    private final LearningRateSchedule schedule;
    /** NaN when off, as each of the clipping bounds: Keras's None. */
    private double weightDecay = Double.NaN;
    private double clipnorm = Double.NaN;
    private double globalClipnorm = Double.NaN;
    private double clipvalue = Double.NaN;

    private List<Parameter> params;
    /** [slot][parameter]: the state arrays, each of its parameter's size. */
    private float[][][] slots;
    private long iterations;

    // the current step
    private float stepLearningRate;
    private boolean normsGiven;
    /** [parameter]: {@code max(norm, c)}, by which clipnorm divides that parameter's {@code g * c}. */
    private float[] clipDivisor;
    private float globalScale;

    /** An optimizer with a constant learning rate, which {@link #setLearningRate} may change. */
    Optimizer(double learningRate) {
        this.learningRate = requireRate(learningRate);
        this.schedule = null;
    }

    /** An optimizer whose learning rate follows a schedule. */
    Optimizer(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "learning-rate schedule");
    }

    /**
     * The Keras class name, such as {@code "Adam"}.
     *
     * @return the name Keras files store under {@code class_name}, which {@link Optimizers#fromConfig} reads
     */
    public abstract String typeName();

    /**
     * The names of the state arrays each parameter gets, in order, as Keras 2 named its slots
     * ({@code "m"}, {@code "v"}; {@code "momentum"}); they depend on the configuration only.
     *
     * @return the slot names; slot {@code k} of {@link #slot} is the {@code k}-th name
     */
    protected abstract List<String> slotNames();

    /**
     * The value every element of a new slot array starts at: 0, except Adagrad's accumulator.
     *
     * @param slot the slot's index in {@link #slotNames()}
     * @return the initial value of every element of that slot's arrays; 0 unless overridden
     */
    protected float slotInitialValue(int slot) {
        return 0f;
    }

    /**
     * The optimizer's own hyper-parameters under their Keras names, in Keras's order.
     *
     * @return a new map of the arguments other than the learning rate and the common ones, which
     *     {@link #config()} puts between them
     */
    protected abstract Map<String, Object> arguments();

    /**
     * Work shared by all updates of step {@code t} (1 for the first step): the step's scalars.
     *
     * @param t            the step's number, counted from 1 (Keras's {@code iterations + 1}), the
     *     exponent of bias corrections
     * @param learningRate the step's learning rate, float32
     */
    protected void prepareStep(long t, float learningRate) {
    }

    /**
     * The optimizer's own rule over values {@code [from, to)} of parameter {@code index}, whose
     * gradient is already clipped and whose values are already decayed.
     *
     * @param index the parameter's position in the model's parameter order, which selects its
     *     {@link #slot} arrays
     * @param value the parameter's values; written
     * @param grad  its gradient; read
     * @param from  the first element to update, inclusive
     * @param to    the end of the range, exclusive
     */
    protected abstract void apply(int index, float[] value, float[] grad, int from, int to);

    /**
     * State that is one number rather than an array per parameter (Nadam's running product), by
     * name, for saving; empty for most optimizers.
     *
     * @return the scalars by name, in float32 as the optimizer keeps them
     */
    @Internal
    public Map<String, Float> scalars() {
        return Map.of();
    }

    /**
     * Puts back what {@link #scalars()} gave, when restoring saved state.
     *
     * @param values the scalars by name, exactly the names {@link #scalars()} gives
     * @throws IllegalArgumentException naming the names expected and given when they differ
     */
    @Internal
    public void setScalars(Map<String, Float> values) {
        if (!values.keySet().equals(scalars().keySet())) {
            throw new IllegalArgumentException(typeName() + " keeps the scalars " + scalars().keySet() + ", given "
                    + values.keySet());
        }
    }

    // ---- the common arguments ----

    /**
     * Keras's {@code config}: {@code learning_rate} (a number, or a schedule as
     * {@code {"class_name": ..., "config": ...}}), the optimizer's own arguments, then those of
     * {@code weight_decay}, {@code clipnorm}, {@code global_clipnorm} and {@code clipvalue} that are set.
     *
     * @return a new mutable map in that order, which {@link Optimizers#fromConfig} turns back into an
     *     optimizer with the same arguments (without its state)
     */
    public final Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("learning_rate", schedule != null ? schedule.serialize() : (Object) (double) learningRate);
        c.putAll(arguments());
        putIfSet(c, "weight_decay", weightDecay);
        putIfSet(c, "clipnorm", clipnorm);
        putIfSet(c, "global_clipnorm", globalClipnorm);
        putIfSet(c, "clipvalue", clipvalue);
        return c;
    }

    private static void putIfSet(Map<String, Object> c, String key, double value) {
        if (!Double.isNaN(value)) {
            c.put(key, value);
        }
    }

    /**
     * Decoupled weight decay: before each update {@code p = p - p * wd * lr}, as Keras applies
     * {@code weight_decay} in every optimizer.
     *
     * @param wd the decay per unit of learning rate (Keras's {@code weight_decay}), finite and at least 0;
     *     each step shrinks every value by the fraction {@code wd * lr}
     * @return this optimizer
     * @throws IllegalArgumentException unless {@code wd} is finite and at least 0
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public Optimizer weightDecay(double wd) {
        requireUnbuilt("weight_decay");
        weightDecay = requireAtLeastZero("weight_decay", wd);
        return this;
    }

    /**
     * Clips each parameter's gradient to an L2 norm of at most {@code bound}.
     *
     * @param bound the largest L2 norm each parameter's gradient keeps (Keras's {@code clipnorm}), positive and finite
     * @return this optimizer
     * @throws IllegalArgumentException unless {@code bound} is positive, or if another clipping is set
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public Optimizer clipnorm(double bound) {
        requireUnbuilt("clipnorm");
        clipnorm = requireBound("clipnorm", bound);
        return this;
    }

    /**
     * Clips all gradients together to a global L2 norm of at most {@code bound}.
     *
     * @param bound the largest L2 norm of all gradients taken as one vector (Keras's {@code global_clipnorm}),
     *     positive and finite
     * @return this optimizer
     * @throws IllegalArgumentException unless {@code bound} is positive, or if another clipping is set
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public Optimizer globalClipnorm(double bound) {
        requireUnbuilt("global_clipnorm");
        globalClipnorm = requireBound("global_clipnorm", bound);
        return this;
    }

    /**
     * Clips each gradient value to {@code [-bound, bound]}.
     *
     * @param bound the largest magnitude a gradient value keeps (Keras's {@code clipvalue}), positive and finite
     * @return this optimizer
     * @throws IllegalArgumentException unless {@code bound} is positive, or if another clipping is set
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    public Optimizer clipvalue(double bound) {
        requireUnbuilt("clipvalue");
        clipvalue = requireBound("clipvalue", bound);
        return this;
    }

    /**
     * The weight decay, or NaN when there is none.
     *
     * @return what {@link #weightDecay(double)} set, or NaN (Keras's {@code None})
     */
    public final double weightDecay() {
        return weightDecay;
    }

    /**
     * The schedule the learning rate follows, or null for a number.
     *
     * @return the schedule given to the constructor, or null when the learning rate is a number
     */
    public final LearningRateSchedule schedule() {
        return schedule;
    }

    /**
     * The learning rate the next step uses, float32: the number, or the schedule's rate at the
     * current iteration count.
     *
     * @return the rate, rounded to float32
     */
    public final float learningRate() {
        return schedule != null ? (float) schedule.at(iterations) : learningRate;
    }

    /**
     * Sets the learning rate, as Keras's {@code optimizer.learning_rate = value} (rounded to float32).
     *
     * @param rate the new rate, finite and at least 0, used from the next step on
     * @throws IllegalStateException when the learning rate follows a schedule, which cannot be set
     * @throws IllegalArgumentException unless the rate is finite and at least 0
     */
    public final void setLearningRate(double rate) {
        if (schedule != null) {
            throw new IllegalStateException(typeName() + "'s learning rate follows a " + schedule.typeName()
                    + " schedule, so it cannot be set: give the optimizer a number as its learning rate instead");
        }
        learningRate = requireRate(rate);
    }

    // ---- binding and state ----

    /**
     * Binds the optimizer to a model's parameters and creates its state. Binding again to the
     * same parameters (compiling the model again) resets the state; an optimizer serves one model only.
     *
     * @param parameters the model's trainable parameters, in the model's order (copied)
     * @throws IllegalStateException when the optimizer is already bound to other parameters
     */
    @Internal
    public final void build(List<Parameter> parameters) {
        if (params != null && !params.equals(parameters)) {
            // Its state and its updates would go to the first model's parameters.
            throw new IllegalStateException("this " + typeName() + " is already bound to other parameters (another "
                    + "model, or this one before layers were added): give each compile an optimizer of its own");
        }
        this.params = List.copyOf(parameters);
        this.iterations = 0;
        List<String> names = slotNames();
        slots = new float[names.size()][params.size()][];
        for (int k = 0; k < slots.length; k++) {
            for (int i = 0; i < params.size(); i++) {
                slots[k][i] = new float[params.get(i).size()];
                Arrays.fill(slots[k][i], slotInitialValue(k));
            }
        }
        clipDivisor = new float[params.size()];
        stateCreated();
    }

    /** After {@link #build} created the slot arrays: scalar state is reset. */
    protected void stateCreated() {
    }

    /**
     * How many arrays of each parameter's size the state holds (Adam: its two moments), known before
     * they are made, so that a model's memory can be checked before the state is created.
     *
     * @return the number of slot arrays per parameter, 0 or more
     */
    @Internal
    public final int stateArraysPerParameter() {
        return slotNames().size();
    }

    /**
     * The parameters this optimizer is built for.
     *
     * @return the parameters given to {@link #build}, unmodifiable, in the model's order
     * @throws IllegalStateException when the optimizer is not bound to a model yet
     */
    public final List<Parameter> parameters() {
        if (params == null) {
            throw new IllegalStateException(typeName() + " is not bound to a model: compile the model first");
        }
        return params;
    }

    /**
     * Slot {@code k}'s array of parameter {@code index}, shared.
     *
     * @param k     the slot's index in {@link #slotNames()}
     * @param index the parameter's position in the model's parameter order
     * @return the state array itself, of the parameter's size, which {@link #apply} reads and writes
     */
    protected final float[] slot(int k, int index) {
        return slots[k][index];
    }

    /**
     * The state arrays by Keras-like names, parameter by parameter, slot by slot
     * ({@code "conv2d/kernel/m"}, {@code "conv2d/kernel/v"}, ...), for saving and resuming
     * training (the step count is {@link #iterations()}). Arrays are shared, not copied.
     *
     * @return a new map, in that order, from name to the live state array
     * @throws IllegalStateException when the optimizer is not bound to a model yet
     */
    public final Map<String, float[]> state() {
        List<Parameter> ps = parameters();
        List<String> names = slotNames();
        Map<String, float[]> s = new LinkedHashMap<>();
        for (int i = 0; i < ps.size(); i++) {
            for (int k = 0; k < names.size(); k++) {
                s.put(ps.get(i).path() + "/" + names.get(k), slots[k][i]);
            }
        }
        return s;
    }

    /**
     * The number of steps taken since the state was created.
     *
     * @return Keras's {@code optimizer.iterations}: 0 before the first step
     */
    public final long iterations() {
        return iterations;
    }

    /**
     * Sets the step count, when restoring saved state.
     *
     * @param count the number of steps already taken, at least 0
     * @throws IllegalArgumentException when the count is negative
     * @throws IllegalStateException when the optimizer is not bound to a model yet
     */
    @Internal
    public final void setIterations(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("iterations must be at least 0, found " + count);
        }
        parameters();
        iterations = count;
    }

    // ---- a step ----

    /**
     * Starts a step: takes its learning rate and advances the step count; call once per training step,
     * before the updates.
     *
     * @throws IllegalStateException when the optimizer is not bound to a model yet
     */
    @Internal
    public final void beginStep() {
        parameters();
        // Keras reads the rate (a schedule at the count so far) before it counts the step.
        stepLearningRate = learningRate();
        iterations++;
        normsGiven = false;
        prepareStep(iterations, stepLearningRate);
    }

    /**
     * The current step's learning rate, float32, for {@link #apply}.
     *
     * @return the rate {@link #beginStep()} took for this step
     */
    protected final float stepLearningRate() {
        return stepLearningRate;
    }

    /**
     * Whether this step's updates need {@link #gradientSquares} first: with clipnorm or global_clipnorm.
     *
     * @return true when clipnorm or global_clipnorm is set
     */
    @Internal
    public final boolean needsGradientNorms() {
        return !Double.isNaN(clipnorm) || !Double.isNaN(globalClipnorm);
    }

    /**
     * Takes the sums of squares of the step's gradients, one per parameter in order, and sets the
     * clipping factors. The global norm is {@code sqrt} of their sum in that order, rounded to float32.
     *
     * @param sumsOfSquares the sum of squares of each parameter's whole gradient, one per parameter in
     *     the model's order; read
     * @throws IllegalArgumentException when there is not one sum per parameter
     * @throws IllegalStateException when the optimizer is not bound to a model yet
     */
    @Internal
    public final void gradientSquares(double[] sumsOfSquares) {
        if (sumsOfSquares.length != parameters().size()) {
            throw new IllegalArgumentException(typeName() + " has " + params.size() + " parameters, given "
                    + sumsOfSquares.length + " sums of squares");
        }
        if (!Double.isNaN(clipnorm)) {
            float c = (float) clipnorm;
            for (int i = 0; i < clipDivisor.length; i++) {
                clipDivisor[i] = Math.max((float) Math.sqrt((float) sumsOfSquares[i]), c);
            }
        } else if (!Double.isNaN(globalClipnorm)) {
            double total = 0;
            for (double s : sumsOfSquares) {
                total += s;
            }
            float norm = (float) Math.sqrt((float) total);
            float c = (float) globalClipnorm;
            // Keras: c * min(1 / norm, 1 / c), made NaN by (norm - norm) when the norm is not finite.
            globalScale = c * Math.min(1f / norm, (float) (1.0 / globalClipnorm)) + (norm - norm);
        }
        normsGiven = true;
    }

    /**
     * Updates values {@code [from, to)} of parameter number {@code index} from its gradient, which it clips in place.
     *
     * @param index the parameter's position in the model's parameter order
     * @param from  the first element to update, inclusive
     * @param to    the end of the range, exclusive; ranges updated at once must not overlap
     * @throws IllegalStateException when the optimizer clips by norm and this step's
     *     {@link #gradientSquares} were not given
     */
    @Internal
    public final void update(int index, int from, int to) {
        if (needsGradientNorms() && !normsGiven) {
            throw new IllegalStateException(typeName() + " clips by norm: give the step's gradientSquares before update");
        }
        Parameter p = params.get(index);
        float[] g = p.grad();
        float[] value = p.value();
        if (!Double.isNaN(clipnorm)) {
            OptimizerUpdates.clipByNorm(g, from, to, (float) clipnorm, clipDivisor[index]);
        } else if (!Double.isNaN(globalClipnorm)) {
            OptimizerUpdates.scale(g, from, to, globalScale);
        } else if (!Double.isNaN(clipvalue)) {
            OptimizerUpdates.clipByValue(g, from, to, (float) clipvalue);
        }
        if (!Double.isNaN(weightDecay)) {
            OptimizerUpdates.decay(value, from, to, (float) weightDecay, stepLearningRate);
        }
        apply(index, value, g, from, to);
    }

    // ---- checks ----

    /**
     * Fails once the optimizer is compiled with a model: its arguments are fixed from then on.
     *
     * @param what the Keras name of the argument being set, for the message
     * @throws IllegalStateException once the optimizer is compiled with a model
     */
    protected final void requireUnbuilt(String what) {
        if (params != null) {
            throw new IllegalStateException("cannot set " + what + " of this " + typeName()
                    + ": it is already compiled with a model; give the model a new optimizer");
        }
    }

    private double requireBound(String what, double bound) {
        if (!(bound > 0) || Double.isInfinite(bound)) {
            throw new IllegalArgumentException(what + " must be a positive finite number, found " + bound);
        }
        String other = !Double.isNaN(clipnorm) && !what.equals("clipnorm") ? "clipnorm"
                : !Double.isNaN(globalClipnorm) && !what.equals("global_clipnorm") ? "global_clipnorm"
                : !Double.isNaN(clipvalue) && !what.equals("clipvalue") ? "clipvalue" : null;
        if (other != null) {
            throw new IllegalArgumentException("only one of clipnorm, clipvalue and global_clipnorm can be set (as"
                    + " Keras): " + other + " is set, given " + what + " " + bound);
        }
        return bound;
    }

    private static float requireRate(double rate) {
        return (float) requireAtLeastZero("learning rate", rate);
    }

    static double requireAtLeastZero(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number of at least 0, found " + value);
        }
        return value;
    }

    static double requirePositive(String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be a positive finite number, found " + value);
        }
        return value;
    }

    /** A hyper-parameter in {@code [0, 1)}, as the moments' decay rates must be. */
    static double requireFraction(String what, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), found " + value);
        }
        return value;
    }

    /** Keras's {@code ops.power} of float32 operands, rounded once from the exact power. */
    static float powf(float base, long exponent) {
        return (float) StrictMath.pow(base, (float) exponent);
    }

    @Override
    public String toString() {
        return typeName() + config();
    }
}
