package io.github.purecnn.keras;

import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Optimizer;
import io.jhdf.api.Group;
import io.jhdf.api.WritableGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An optimizer's state (its step count, its learning rate, its slot variables such as Adam's m
 * and v, and Nadam's running product) in the layouts of Keras's files, so that training resumes
 * where it stopped. Each Keras version orders the variables its own way ({@link Layout}):
 * <ul>
 *   <li>Keras 3 ({@code model.weights.h5}, group {@code optimizer/vars}, datasets {@code 0},
 *       {@code 1}, ...): the step count (int64 scalar); the learning rate (float32 scalar), unless
 *       it follows a schedule; then the slots as each optimizer's {@code build} creates them:
 *       Adam, AdamW, Adamax and Nadam interleave their two moments parameter by parameter
 *       (m and v of the first parameter, then of the second, ...) and Adam's AMSGrad maxima follow
 *       all of them; RMSprop's kinds come one after the other (every rms, every momentum, every
 *       mean gradient); SGD with momentum and Adagrad have one per parameter, SGD without
 *       momentum none. Nadam's running product (float32 scalar) comes before the slots up to
 *       Keras 3.9 and after them from 3.10 on;</li>
 *   <li>Keras 2 ({@code .h5}, group {@code optimizer_weights} with attribute
 *       {@code weight_names}, one dataset at each name's path): tf.keras's optimizers through
 *       2.10, the legacy ones since, have the step count and then each slot kind for every
 *       parameter ({@code Adam/iter:0}, every {@code Adam/conv2d/kernel/m:0}, then every v); the
 *       optimizers of tf.keras 2.11+ ({@code is_legacy_optimizer: false}) the step count and the
 *       slots in Keras 3's order, without the learning rate or Nadam's product (which purecnn
 *       writes last, so that a Nadam's training resumes here; tf.keras then finds one variable
 *       more and, as it does for any state that does not fit, starts the optimizer afresh).</li>
 * </ul>
 * A file whose state does not match the compiled optimizer in number is loaded without it, with a
 * warning, as Keras does; a variable whose shape does not fit is an error.
 */
final class KerasOptimizerState {
    private static final Logger LOG = LoggerFactory.getLogger(KerasOptimizerState.class);
    static final String KERAS2_GROUP = "optimizer_weights";
    static final String KERAS3_GROUP = "optimizer/vars";
    /** The optimizers whose first two slot kinds Keras 3 creates parameter by parameter, interleaved. */
    private static final Set<String> INTERLEAVED = Set.of("Adam", "AdamW", "Adamax", "Nadam");

    /** How a Keras version orders an optimizer's variables. */
    enum Layout {
        /** Keras 3 up to 3.9 (the version purecnn writes): Nadam's product before the slots. */
        KERAS3(true, true, true),
        /** Keras 3.10 and later: Nadam's product after the slots. */
        KERAS3_10(true, false, true),
        /**
         * tf.keras's optimizers through 2.10 (legacy ones since): every slot kind in turn (a
         * legacy Nadam's momentum cache, another algorithm's, would come first; purecnn neither
         * reads nor writes one).
         */
        KERAS2_LEGACY(false, true, false),
        /** tf.keras 2.11+'s optimizers: Keras 3's slot order, no learning rate. */
        KERAS2(false, false, true);

        private final boolean learningRate;
        private final boolean productFirst;
        private final boolean interleaved;

        Layout(boolean learningRate, boolean productFirst, boolean interleaved) {
            this.learningRate = learningRate;
            this.productFirst = productFirst;
            this.interleaved = interleaved;
        }

        /** The Keras 3 layout of a file written by {@code kerasVersion} ("3.6.0"); before 3.10 when unknown. */
        static Layout keras3(String kerasVersion) {
            return KerasDialect.atLeast(kerasVersion, 3, 10) ? KERAS3_10 : KERAS3;
        }
    }

    /** One optimizer variable: what it holds. */
    private sealed interface Var permits Iterations, LearningRate, Scalar, Slot {
    }

    private record Iterations() implements Var {
    }

    private record LearningRate() implements Var {
    }

    /** State that is one number (Nadam's running product). */
    private record Scalar(String name) implements Var {
    }

    /** One slot array of one parameter: {@code kind} as purecnn and Keras 2 name it ({@code m}, {@code v}). */
    private record Slot(String kind, Parameter parameter, float[] values) implements Var {
    }

    private KerasOptimizerState() {
    }

    /** The optimizer's variables in {@code layout}'s order. */
    private static List<Var> vars(Optimizer opt, Layout layout) {
        List<Var> vars = new ArrayList<>();
        vars.add(new Iterations());
        if (layout.learningRate && opt.schedule() == null) {
            vars.add(new LearningRate());
        }
        List<Var> scalars = new ArrayList<>();
        for (String name : opt.scalars().keySet()) {
            scalars.add(new Scalar(name));
        }
        if (layout.productFirst) {
            vars.addAll(scalars);
        }
        vars.addAll(slots(opt, layout));
        if (!layout.productFirst) {
            vars.addAll(scalars);
        }
        return vars;
    }

    /**
     * The slots in the layout's order: the first kinds parameter by parameter where the layout
     * interleaves them, then each further kind for every parameter; none for SGD without
     * momentum, which Keras gives none.
     */
    private static List<Var> slots(Optimizer opt, Layout layout) {
        List<Var> slots = new ArrayList<>();
        List<Parameter> params = opt.parameters();
        if (params.isEmpty() || opt.typeName().equals("SGD")
                && ((Number) opt.config().get("momentum")).doubleValue() == 0) {
            return slots;
        }
        Map<String, float[]> state = opt.state();
        List<String> kinds = new ArrayList<>();
        String first = params.get(0).path() + "/";
        for (String key : state.keySet()) {
            if (key.startsWith(first) && key.indexOf('/', first.length()) < 0) {
                kinds.add(key.substring(first.length()));
            }
        }
        int together = layout.interleaved && INTERLEAVED.contains(opt.typeName()) ? Math.min(2, kinds.size()) : 1;
        for (Parameter p : params) {
            for (String kind : kinds.subList(0, together)) {
                slots.add(new Slot(kind, p, state.get(p.path() + "/" + kind)));
            }
        }
        for (String kind : kinds.subList(together, kinds.size())) {
            for (Parameter p : params) {
                slots.add(new Slot(kind, p, state.get(p.path() + "/" + kind)));
            }
        }
        return slots;
    }

    /** A variable's name in a Keras 2 file, which is also the dataset's path in the group. */
    private static String keras2Name(Optimizer opt, Var v, Layout layout) {
        String type = opt.typeName();
        if (v instanceof Iterations) {
            return type + (layout == Layout.KERAS2_LEGACY ? "/iter:0" : "/iteration:0");
        }
        if (v instanceof Scalar s) {
            return type + "/" + s.name() + ":0";
        }
        Slot s = (Slot) v;
        // tf.keras's slot names are purecnn's: m and v for Adam, momentum for SGD, rms for RMSprop.
        return layout == Layout.KERAS2_LEGACY ? type + "/" + s.parameter().path() + "/" + s.kind() + ":0"
                : type + "/" + s.kind() + "/" + s.parameter().path() + ":0";
    }

    private static Object data(Optimizer opt, Var v) {
        if (v instanceof Iterations) {
            return opt.iterations();
        }
        if (v instanceof LearningRate) {
            return opt.learningRate();
        }
        if (v instanceof Scalar s) {
            return opt.scalars().get(s.name());
        }
        Slot s = (Slot) v;
        return KerasArrays.shaped(s.values(), s.parameter().shape().dims());
    }

    // ---- writing ----

    /** Writes a compiled model's optimizer state as Keras 3 up to 3.9 does (the version purecnn's archives name). */
    static void writeKeras3(Sequential model, WritableGroup root) {
        writeKeras3(model, root, Layout.KERAS3);
    }

    /** Writes a compiled model's optimizer state in {@code layout}, one of Keras 3's. */
    static void writeKeras3(Sequential model, WritableGroup root, Layout layout) {
        if (!model.isCompiled()) {
            return;
        }
        Optimizer opt = model.optimizer();
        WritableGroup group = root.putGroup("optimizer").putGroup("vars");
        List<Var> vars = vars(opt, layout);
        for (int i = 0; i < vars.size(); i++) {
            group.putDataset(Integer.toString(i), data(opt, vars.get(i)));
        }
    }

    /** Writes a compiled model's optimizer state as Keras 2 does, in {@code layout} (one of Keras 2's). */
    static void writeKeras2(Sequential model, WritableGroup root, Layout layout) {
        if (!model.isCompiled()) {
            return;
        }
        Optimizer opt = model.optimizer();
        List<Var> vars = vars(opt, layout);
        WritableGroup group = root.putGroup(KERAS2_GROUP);
        List<String> names = new ArrayList<>();
        for (Var v : vars) {
            names.add(keras2Name(opt, v, layout));
        }
        group.putAttribute("weight_names", names.toArray(new String[0]));
        for (int i = 0; i < vars.size(); i++) {
            putAt(group, names.get(i), data(opt, vars.get(i)));
        }
    }

    /** A dataset at a path of groups, as h5py makes one for a name with slashes. */
    private static void putAt(WritableGroup root, String path, Object data) {
        String[] parts = path.split("/");
        WritableGroup g = root;
        for (int i = 0; i < parts.length - 1; i++) {
            g = g.getChild(parts[i]) instanceof WritableGroup existing ? existing : g.putGroup(parts[i]);
        }
        g.putDataset(parts[parts.length - 1], data);
    }

    // ---- reading ----

    /** Reads the state of a Keras 3 file written in {@code layout} into the compiled model's optimizer. */
    static void readKeras3(H5Reader h5, Sequential model, Layout layout) throws KerasFormatException {
        Group group = h5.groupOrNull(KERAS3_GROUP);
        if (!model.isCompiled() || group == null) {
            return;
        }
        List<Var> vars = vars(model.optimizer(), layout);
        int stored = h5.children(group).size();
        if (stored != vars.size()) {
            skip(h5, KERAS3_GROUP, model, stored, vars.size());
            return;
        }
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            paths.add(KERAS3_GROUP + "/" + i);
        }
        read(h5, model, vars, paths);
    }

    /** Reads the state of a Keras 2 file written in {@code layout} into the compiled model's optimizer. */
    static void readKeras2(H5Reader h5, Sequential model, Layout layout) throws KerasFormatException {
        Group group = h5.groupOrNull(KERAS2_GROUP);
        if (!model.isCompiled() || group == null) {
            return;
        }
        List<String> names = h5.names(group, "weight_names");
        List<Var> vars = vars(model.optimizer(), layout);
        if (names.size() != vars.size()) {
            skip(h5, KERAS2_GROUP, model, names.size(), vars.size());
            return;
        }
        List<String> paths = new ArrayList<>();
        for (String name : names) {
            paths.add(KERAS2_GROUP + "/" + name);
        }
        read(h5, model, vars, paths);
    }

    /** Reads every variable, checking its shape, then sets them all. */
    private static void read(H5Reader h5, Sequential model, List<Var> vars, List<String> paths)
            throws KerasFormatException {
        Optimizer opt = model.optimizer();
        String owner = "the " + opt.typeName() + " optimizer's state";
        long iterations = 0;
        Float learningRate = null;
        Map<String, Float> scalars = new LinkedHashMap<>();
        float[][] slotValues = new float[vars.size()][];
        for (int i = 0; i < vars.size(); i++) {
            Var v = vars.get(i);
            String path = paths.get(i);
            if (v instanceof Iterations) {
                iterations = h5.scalarLong(path, owner);
                if (iterations < 0) {
                    throw new KerasFormatException(h5.file() + ": dataset '" + path + "' of " + owner
                            + ": expected a step count of 0 or more, found " + iterations);
                }
            } else if (v instanceof LearningRate) {
                learningRate = finiteScalar(h5, path, owner + " (learning rate)");
            } else if (v instanceof Scalar s) {
                scalars.put(s.name(), finiteScalar(h5, path, owner + " (" + s.name() + ")"));
            } else if (v instanceof Slot s) {
                slotValues[i] = h5.floats(path, s.parameter().shape().dims(), owner + " (" + s.kind() + " of "
                        + s.parameter().path() + ")");
            }
        }
        try {
            if (learningRate != null) {
                opt.setLearningRate(learningRate);
            }
        } catch (IllegalArgumentException e) {
            throw new KerasFormatException(h5.file() + ": " + owner + ": " + e.getMessage(), e);
        }
        opt.setIterations(iterations);
        if (!scalars.isEmpty()) {
            opt.setScalars(scalars);
        }
        for (int i = 0; i < vars.size(); i++) {
            if (vars.get(i) instanceof Slot s) {
                System.arraycopy(slotValues[i], 0, s.values(), 0, slotValues[i].length);
            }
        }
    }

    private static float finiteScalar(H5Reader h5, String path, String owner) throws KerasFormatException {
        float value = h5.floats(path, new int[0], owner)[0];
        if (!Float.isFinite(value)) {
            throw new KerasFormatException(h5.file() + ": dataset '" + path + "' of " + owner
                    + ": expected a finite number, found " + value);
        }
        return value;
    }

    private static void skip(H5Reader h5, String group, Sequential model, int found, int expected) {
        LOG.warn("{}: '{}' holds {} optimizer variables, the {} optimizer has {}: loaded without its state,"
                + " training starts it afresh", h5.file(), group, found, model.optimizer().typeName(), expected);
    }
}
