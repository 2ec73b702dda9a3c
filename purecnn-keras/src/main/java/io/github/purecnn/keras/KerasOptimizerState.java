package io.github.purecnn.keras;

import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.optimizers.SGD;
import io.jhdf.api.Group;
import io.jhdf.api.WritableGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An optimizer's state (its step count and slot variables: Adam's m and v, SGD's momentum) in the
 * layouts of Keras's files, so that training resumes where it stopped.
 * <ul>
 *   <li>Keras 3 ({@code model.weights.h5}): {@code optimizer/vars/0} the step count (int64
 *       scalar), {@code 1} the learning rate (float32 scalar), then the slots parameter by
 *       parameter (Adam: m and v of the first parameter, then of the second, ...);</li>
 *   <li>Keras 2 ({@code .h5}): group {@code optimizer_weights} with attribute
 *       {@code weight_names} ({@code Adam/iter:0}, then every parameter's m, then every v:
 *       {@code Adam/conv2d/kernel/m:0}), each a dataset at that path.</li>
 * </ul>
 * SGD without momentum has no slots. A file whose state does not match the compiled optimizer
 * in number is loaded without it, with a warning, as Keras does; a slot whose shape does not fit
 * its parameter is an error.
 */
final class KerasOptimizerState {
    private static final Logger LOG = LoggerFactory.getLogger(KerasOptimizerState.class);
    static final String KERAS2_GROUP = "optimizer_weights";
    static final String KERAS3_GROUP = "optimizer/vars";

    /** One slot array, for one parameter. */
    private record Slot(String kind, Parameter parameter, float[] values) {
    }

    private KerasOptimizerState() {
    }

    /** The slots in Keras 3's order, parameter by parameter; empty for SGD without momentum. */
    private static List<Slot> slots(Optimizer opt) {
        List<Slot> slots = new ArrayList<>();
        if (opt instanceof SGD && ((Number) opt.config().get("momentum")).doubleValue() == 0) {
            return slots;
        }
        for (Map.Entry<String, float[]> e : opt.state().entrySet()) {
            String key = e.getKey();
            int cut = key.lastIndexOf('/');
            String path = key.substring(0, cut);
            Parameter parameter = opt.parameters().stream().filter(p -> p.path().equals(path)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("optimizer state " + key + " has no parameter"));
            slots.add(new Slot(key.substring(cut + 1), parameter, e.getValue()));
        }
        return slots;
    }

    /** Keras 2's order: slot kind by slot kind (every m, then every v). */
    private static List<Slot> kindMajor(List<Slot> slots) {
        List<String> kinds = slots.stream().map(Slot::kind).distinct().toList();
        List<Slot> ordered = new ArrayList<>();
        for (String kind : kinds) {
            slots.stream().filter(s -> s.kind().equals(kind)).forEach(ordered::add);
        }
        return ordered;
    }

    // ---- Keras 3 ----

    static void writeKeras3(Sequential model, WritableGroup root) {
        if (!model.isCompiled()) {
            return;
        }
        Optimizer opt = model.optimizer();
        WritableGroup vars = root.putGroup("optimizer").putGroup("vars");
        vars.putDataset("0", opt.iterations());
        vars.putDataset("1", opt.learningRate());
        List<Slot> slots = slots(opt);
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            vars.putDataset(Integer.toString(i + 2), KerasArrays.shaped(s.values(), s.parameter().shape().dims()));
        }
    }

    static void readKeras3(H5Reader h5, Sequential model) throws KerasFormatException {
        Group vars = h5.groupOrNull(KERAS3_GROUP);
        if (!model.isCompiled() || vars == null) {
            return;
        }
        List<Slot> slots = slots(model.optimizer());
        int stored = h5.children(vars).size();
        if (stored != slots.size() + 2) {
            skip(h5, KERAS3_GROUP, model, stored, slots.size() + 2);
            return;
        }
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            paths.add(KERAS3_GROUP + "/" + (i + 2));
        }
        read(h5, model, KERAS3_GROUP + "/0", paths, slots);
    }

    // ---- Keras 2 ----

    static void writeKeras2(Sequential model, WritableGroup root) {
        if (!model.isCompiled()) {
            return;
        }
        Optimizer opt = model.optimizer();
        List<Slot> slots = kindMajor(slots(opt));
        WritableGroup group = root.putGroup(KERAS2_GROUP);
        List<String> names = new ArrayList<>();
        names.add(opt.typeName() + "/iter:0");
        for (Slot s : slots) {
            // tf.keras's slot names are purecnn's: m and v for Adam, momentum for SGD.
            names.add(opt.typeName() + "/" + s.parameter().path() + "/" + s.kind() + ":0");
        }
        group.putAttribute("weight_names", names.toArray(new String[0]));
        putAt(group, names.get(0), opt.iterations());
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            putAt(group, names.get(i + 1), KerasArrays.shaped(s.values(), s.parameter().shape().dims()));
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

    static void readKeras2(H5Reader h5, Sequential model) throws KerasFormatException {
        Group group = h5.groupOrNull(KERAS2_GROUP);
        if (!model.isCompiled() || group == null) {
            return;
        }
        List<String> names = h5.names(group, "weight_names");
        List<Slot> slots = kindMajor(slots(model.optimizer()));
        if (names.size() != slots.size() + 1) {
            skip(h5, KERAS2_GROUP, model, names.size(), slots.size() + 1);
            return;
        }
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            paths.add(KERAS2_GROUP + "/" + names.get(i + 1));
        }
        read(h5, model, KERAS2_GROUP + "/" + names.get(0), paths, slots);
    }

    /** Checks every slot's shape, reads them all, then sets the step count and the slots. */
    private static void read(H5Reader h5, Sequential model, String iterationsPath, List<String> paths, List<Slot> slots)
            throws KerasFormatException {
        Optimizer opt = model.optimizer();
        String owner = "the " + opt.typeName() + " optimizer's state";
        long iterations = h5.scalarLong(iterationsPath, owner);
        if (iterations < 0) {
            throw new KerasFormatException(h5.file() + ": dataset '" + iterationsPath + "' of " + owner
                    + ": expected a step count of 0 or more, found " + iterations);
        }
        float[][] values = new float[slots.size()][];
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            values[i] = h5.floats(paths.get(i), s.parameter().shape().dims(), owner + " (" + s.kind() + " of "
                    + s.parameter().path() + ")");
        }
        opt.setIterations(iterations);
        for (int i = 0; i < slots.size(); i++) {
            System.arraycopy(values[i], 0, slots.get(i).values(), 0, values[i].length);
        }
    }

    private static void skip(H5Reader h5, String group, Sequential model, int found, int expected) {
        LOG.warn("{}: '{}' holds {} optimizer variables, the {} optimizer has {}: loaded without its state,"
                + " training starts it afresh", h5.file(), group, found, model.optimizer().typeName(), expected);
    }
}
