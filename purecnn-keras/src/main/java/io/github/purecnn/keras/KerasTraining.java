package io.github.purecnn.keras;

import io.github.purecnn.losses.Huber;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.optimizers.Optimizers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The compile settings of a Keras file (Keras 2's {@code training_config}, Keras 3's
 * {@code compile_config}): optimizer (any of purecnn's, with its learning-rate schedule, weight
 * decay and gradient clipping), loss and metrics, read into a purecnn {@code compile} and written
 * back. Settings purecnn cannot reproduce leave the loaded model uncompiled, with a warning saying
 * why: the architecture and weights, which is what prediction needs, are loaded all the same, as
 * Keras itself loads a model whose compile settings it cannot restore.
 *
 * <p>purecnn's optimizers compute as Keras 3's, which tf.keras 2.11+'s optimizers do too (their
 * configs say {@code is_legacy_optimizer: false}). tf.keras's older optimizers (Keras 2.1 to 2.10,
 * and the legacy ones since) compute some updates otherwise, and those are not reproduced: their
 * Nadam (its momentum schedule decays by {@code 0.96^(0.004 t)}, not {@code 0.96^t}), their
 * Adagrad and their RMSprop without momentum (epsilon outside the square root). Their {@code decay}
 * ({@code lr / (1 + decay * t)}) is Keras 3's {@code InverseTimeDecay(lr, 1, decay)}. Written
 * {@code .h5} files use the older form, which every Keras 2 reads, where it computes what purecnn
 * computes (SGD, Adam, Adamax, RMSprop with momentum, all without weight decay), and tf.keras
 * 2.11+'s form otherwise ({@link #legacyForm}).
 */
final class KerasTraining {
    private static final Logger LOG = LoggerFactory.getLogger(KerasTraining.class);

    /** Optimizer keys that may hold only the value that means "off". */
    private static final Map<String, Object> OFF = offValues();
    /** Optimizer keys that cannot change the updates. */
    private static final Set<String> IGNORED = Set.of("name", "ema_momentum", "ema_overwrite_frequency", "jit_compile",
            "is_legacy_optimizer");
    /** Common optimizer keys whose null means "not set". */
    private static final Set<String> NULL_MEANS_ABSENT = Set.of("weight_decay", "clipnorm", "global_clipnorm",
            "clipvalue", "epsilon");

    /** Why a compile setting cannot be reproduced; the model then loads uncompiled. */
    private static final class NotReproducible extends Exception {
        private static final long serialVersionUID = 1L;

        NotReproducible(String message) {
            super(message, null, false, false);
        }
    }

    private KerasTraining() {
    }

    /**
     * Compiles {@code model} as the file's settings say, or leaves it uncompiled with a warning
     * naming the file and the setting purecnn cannot reproduce.
     *
     * @param settings the parsed {@code training_config} (its optimizer under {@code optimizer_config})
     *                 or {@code compile_config} ({@code optimizer}); null when the file has none
     * @param writer   which Keras wrote the file, whose optimizers the settings mean
     */
    static void compile(Sequential model, Object settings, KerasDialect writer, String where) {
        if (!(settings instanceof Map<?, ?> map)) {
            return;
        }
        try {
            Object optimizerSpec = map.containsKey("optimizer_config") ? map.get("optimizer_config") : map.get("optimizer");
            Optimizer optimizer = optimizer(optimizerSpec, writer);
            Loss loss = loss(map.get("loss"));
            checkLossWeights(map.get("loss_weights"));
            List<Metric> metrics = metrics(map.get("metrics"), where);
            model.compile(optimizer, loss, metrics.toArray(new Metric[0]));
        } catch (NotReproducible | IllegalArgumentException e) {
            LOG.warn("{}: the model loads uncompiled: its compile settings cannot be reproduced: {}", where,
                    e.getMessage());
        }
    }

    /**
     * Whether a Keras 2 {@code training_config}'s optimizer is one of tf.keras's older ones
     * (Keras 2.1 to 2.10, and the legacy ones since 2.11), whose state has the legacy layout.
     */
    static boolean legacyOptimizer(Object settings) {
        return !(settings instanceof Map<?, ?> map && map.get("optimizer_config") instanceof Map<?, ?> spec
                && spec.get("config") instanceof Map<?, ?> config
                && Boolean.FALSE.equals(config.get("is_legacy_optimizer")));
    }

    private static Optimizer optimizer(Object spec, KerasDialect writer) throws NotReproducible {
        String className;
        Map<?, ?> config = Map.of();
        if (spec instanceof String s) {
            className = s;
        } else if (spec instanceof Map<?, ?> m && m.get("class_name") instanceof String c) {
            className = c;
            if (m.get("config") instanceof Map<?, ?> cfg) {
                config = cfg;
            }
            if (m.get("registered_name") != null && !c.equals(m.get("registered_name"))) {
                throw new NotReproducible("a custom optimizer " + KerasValues.describe(m.get("registered_name")));
            }
        } else {
            throw new NotReproducible("expected an optimizer, found " + KerasValues.describe(spec));
        }
        String type = Optimizers.TYPES.stream().filter(t -> t.equalsIgnoreCase(className)).findFirst()
                .orElseThrow(() -> new NotReproducible("optimizer " + className + ": purecnn has "
                        + new java.util.TreeSet<>(Optimizers.TYPES)));
        boolean legacy = writer == KerasDialect.KERAS2 && !Boolean.FALSE.equals(config.get("is_legacy_optimizer"));
        Map<String, Object> args = new LinkedHashMap<>();
        double decay = 0;
        for (Map.Entry<?, ?> e : config.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            if (IGNORED.contains(key) || value == null && NULL_MEANS_ABSENT.contains(key)) {
                continue;
            }
            if (OFF.containsKey(key)) {
                if (value != null && !KerasValues.same(OFF.get(key), value)) {
                    throw new NotReproducible("optimizer " + type + " argument '" + key + "' is "
                            + KerasValues.describe(value) + ": purecnn has no " + key);
                }
                continue;
            }
            if (key.equals("decay")) {
                // Keras 3 ignores it (with a warning); Keras 2's older optimizers decay the rate by it.
                decay = legacy && value instanceof Number n ? n.doubleValue() : 0;
                continue;
            }
            args.put(key.equals("lr") ? "learning_rate" : key, value);
        }
        if (legacy) {
            checkLegacyComputesAsPurecnn(type, args, decay);
        }
        if (decay != 0) {
            args.put("learning_rate", inverseTimeDecay(type, args.get("learning_rate"), decay));
        }
        try {
            return Optimizers.fromConfig(type, args);
        } catch (IllegalArgumentException e) {
            throw new NotReproducible(e.getMessage());
        }
    }

    /** tf.keras's older optimizers whose updates are not Keras 3's; see the class comment. */
    private static void checkLegacyComputesAsPurecnn(String type, Map<String, Object> args, double decay)
            throws NotReproducible {
        String why = switch (type) {
            case "Nadam" -> "Keras 2's Nadam decays its momentum schedule by 0.96^(0.004 t) (its 'decay' "
                    + decay + " is that schedule's), Keras 3's and purecnn's by 0.96^t";
            case "Adagrad" -> "Keras 2's Adagrad adds epsilon outside the square root, Keras 3's and purecnn's inside";
            case "RMSprop" -> args.get("momentum") instanceof Number m && m.doubleValue() > 0 ? null
                    : "Keras 2's RMSprop without momentum adds epsilon outside the square root, Keras 3's and"
                    + " purecnn's inside";
            default -> null;
        };
        if (why != null) {
            throw new NotReproducible("optimizer " + type + ": " + why);
        }
    }

    /** Keras 2's {@code lr / (1 + decay * iterations)} as Keras 3's schedule. */
    private static Map<String, Object> inverseTimeDecay(String type, Object learningRate, double decay)
            throws NotReproducible {
        if (learningRate != null && !(learningRate instanceof Number)) {
            throw new NotReproducible("optimizer " + type + ": a learning-rate schedule and a decay of " + decay
                    + " together, which purecnn cannot combine");
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("initial_learning_rate", learningRate == null ? 0.01 : learningRate);
        config.put("decay_steps", 1);
        config.put("decay_rate", decay);
        Map<String, Object> schedule = new LinkedHashMap<>();
        schedule.put("class_name", "InverseTimeDecay");
        schedule.put("config", config);
        return schedule;
    }

    private static Loss loss(Object spec) throws NotReproducible {
        if (spec instanceof String name) {
            return Loss.fromKerasName(name, false);
        }
        if (spec instanceof Map<?, ?> m && m.get("class_name") instanceof String c) {
            if (c.equals("function") && m.get("config") instanceof String function) {
                // Keras 3's form of a loss function given by reference: keras.losses.huber.
                return Loss.fromKerasName(function, false);
            }
            Map<?, ?> config = m.get("config") instanceof Map<?, ?> cfg ? cfg : Map.of();
            boolean logits = false;
            double delta = 1;
            for (Map.Entry<?, ?> e : config.entrySet()) {
                String key = String.valueOf(e.getKey());
                Object value = e.getValue();
                boolean fits = switch (key) {
                    case "name", "dtype" -> true;
                    case "reduction" -> value == null || value.equals("auto") || value.equals("sum_over_batch_size");
                    case "from_logits" -> {
                        logits = Boolean.TRUE.equals(value);
                        yield value instanceof Boolean;
                    }
                    case "label_smoothing" -> KerasValues.same(0, value);
                    case "axis" -> KerasValues.same(-1, value);
                    case "ignore_class" -> value == null;
                    case "delta" -> {
                        delta = value instanceof Number n ? n.doubleValue() : Double.NaN;
                        yield c.equals("Huber");
                    }
                    default -> false;
                };
                if (!fits) {
                    throw new NotReproducible("loss " + c + " argument '" + key + "' is " + KerasValues.describe(value)
                            + ": purecnn's losses reduce with sum_over_batch_size, without label smoothing or"
                            + " ignored classes, over the last axis");
                }
            }
            return c.equals("Huber") ? Loss.huber(delta) : Loss.fromKerasName(KerasWeights.snakeCase(c), logits);
        }
        throw new NotReproducible("expected a loss, found " + KerasValues.describe(spec));
    }

    /** One output, so a loss weight other than 1 would scale the loss. */
    private static void checkLossWeights(Object weights) throws NotReproducible {
        Object only = weights instanceof List<?> l && l.size() == 1 ? l.get(0)
                : weights instanceof Map<?, ?> m && m.size() == 1 ? m.values().iterator().next() : weights;
        if (only != null && !KerasValues.same(1, only)) {
            throw new NotReproducible("loss_weights " + KerasValues.describe(weights) + ": purecnn weighs its one loss by 1");
        }
    }

    /** Metrics purecnn has; others are left out with a warning, since they do not change training. */
    private static List<Metric> metrics(Object spec, String where) {
        List<List<String>> names = new ArrayList<>();
        collectMetricNames(spec, names, 0);
        List<Metric> metrics = new ArrayList<>();
        for (List<String> candidates : names) {
            Metric m = null;
            String problem = null;
            for (String name : candidates) {
                try {
                    m = Metric.fromKerasName(name);
                    break;
                } catch (IllegalArgumentException e) {
                    problem = e.getMessage();
                }
            }
            if (m == null) {
                LOG.warn("{}: metric '{}' left out: {}", where, candidates.get(0), problem);
            } else if (!metrics.contains(m)) {
                metrics.add(m);
            }
        }
        return metrics;
    }

    /**
     * Metric names from Keras's forms, each with the names to try in turn: {@code ["accuracy"]},
     * {@code [["acc"]]}, {@code [{"class_name": "SparseCategoricalAccuracy", "config": {"name": "acc"}}]}
     * (the class first, then the name); a top-k metric with another k than purecnn's is left out.
     */
    private static void collectMetricNames(Object spec, List<List<String>> into, int depth) {
        if (depth > 8) {
            return;
        }
        if (spec instanceof String s) {
            into.add(List.of(s));
        } else if (spec instanceof List<?> list) {
            for (Object o : list) {
                collectMetricNames(o, into, depth + 1);
            }
        } else if (spec instanceof Map<?, ?> m) {
            List<String> candidates = new ArrayList<>();
            Map<?, ?> config = m.get("config") instanceof Map<?, ?> cfg ? cfg : Map.of();
            if (config.containsKey("k") && !KerasValues.same(Metric.TOP_K, config.get("k"))) {
                candidates.add("top-k with k " + config.get("k"));
            } else {
                if (m.get("class_name") instanceof String c) {
                    candidates.add(KerasWeights.snakeCase(c));
                }
                if (config.get("name") instanceof String n) {
                    candidates.add(n);
                }
            }
            if (!candidates.isEmpty()) {
                into.add(candidates);
            }
        }
    }

    // ---- writing ----

    /**
     * Whether a Keras 2 file holds this optimizer in tf.keras's older form, which every Keras 2
     * reads: when the older optimizer computes what purecnn's does (see the class comment).
     */
    static boolean legacyForm(Optimizer opt) {
        if (!Double.isNaN(opt.weightDecay())) {
            return false;
        }
        return switch (opt.typeName()) {
            case "SGD", "Adam", "Adamax" -> true;
            case "RMSprop" -> ((Number) opt.config().get("momentum")).doubleValue() > 0;
            default -> false;
        };
    }

    /** The compile settings of a compiled model as {@code dialect} writes them, or null for an uncompiled model. */
    static Map<String, Object> settings(Sequential model, KerasDialect dialect) {
        if (!model.isCompiled()) {
            return null;
        }
        Optimizer opt = model.optimizer();
        Map<String, Object> config = new LinkedHashMap<>();
        if (dialect == KerasDialect.KERAS3) {
            config.put("name", opt.typeName().toLowerCase(Locale.ROOT));
            config.put("learning_rate", null);
            putOptimizerDefaults(config);
            config.put("loss_scale_factor", null);
            config.put("gradient_accumulation_steps", null);
        } else if (legacyForm(opt)) {
            config.put("name", opt.typeName());
            config.put("learning_rate", null);
            config.put("decay", 0.0);
        } else {
            // tf.keras 2.11+'s optimizers, which compute as Keras 3's.
            config.put("name", opt.typeName());
            putOptimizerDefaults(config);
            config.put("jit_compile", false);
            config.put("is_legacy_optimizer", false);
        }
        // the optimizer's own values (its schedule, weight decay and clipping included) over the defaults above
        config.putAll(opt.config());
        if (opt.schedule() != null) {
            Map<String, Object> schedule = opt.schedule().serialize();
            config.put("learning_rate", new KerasLayerTable.KerasObject("keras.optimizers.schedules",
                    (String) schedule.get("class_name"), cast(schedule.get("config"))).serialize(dialect));
        }
        if (opt.typeName().startsWith("Adam") && !opt.typeName().equals("Adamax")) {
            config.putIfAbsent("amsgrad", false);
        }
        Map<String, Object> optimizer = new KerasLayerTable.KerasObject("keras.optimizers", opt.typeName(), config)
                .serialize(dialect);
        Object loss = lossSpec(model.loss(), dialect);
        List<Object> metrics = new ArrayList<>();
        for (Metric m : model.metrics()) {
            metrics.add(m.kerasName());
        }
        Map<String, Object> s = new LinkedHashMap<>();
        if (dialect == KerasDialect.KERAS3) {
            s.put("optimizer", optimizer);
            s.put("loss", loss);
            s.put("loss_weights", null);
            s.put("metrics", metrics);
            s.put("weighted_metrics", null);
            s.put("run_eagerly", false);
            s.put("steps_per_execution", 1);
            s.put("jit_compile", false);
        } else {
            s.put("loss", loss);
            s.put("metrics", metrics);
            s.put("weighted_metrics", null);
            s.put("loss_weights", null);
            s.put("sample_weight_mode", null);
            s.put("optimizer_config", optimizer);
        }
        return s;
    }

    /** The common keys of Keras 3's (and tf.keras 2.11+'s) optimizer configs, at their "off" values. */
    private static void putOptimizerDefaults(Map<String, Object> config) {
        for (String key : List.of("weight_decay", "clipnorm", "global_clipnorm", "clipvalue")) {
            config.put(key, null);
        }
        config.put("use_ema", false);
        config.put("ema_momentum", 0.99);
        config.put("ema_overwrite_frequency", null);
    }

    /** A loss by name, or as an object where it has arguments besides its defaults (logits, Huber's delta). */
    private static Object lossSpec(Loss loss, KerasDialect dialect) {
        boolean huberDelta = loss instanceof Huber h && h.delta() != 1;
        if (!loss.fromLogits() && !huberDelta) {
            return loss.kerasName();
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", huberDelta ? "huber_loss" : loss.kerasName());
        config.put("reduction", dialect == KerasDialect.KERAS3 ? "sum_over_batch_size" : "auto");
        String className;
        if (loss instanceof Huber h) {
            className = "Huber";
            config.put("delta", h.delta());
        } else {
            config.put("from_logits", true);
            className = switch (loss.kerasName()) {
                case "sparse_categorical_crossentropy" -> "SparseCategoricalCrossentropy";
                case "categorical_crossentropy" -> "CategoricalCrossentropy";
                case "binary_crossentropy" -> "BinaryCrossentropy";
                default -> throw new IllegalStateException("loss " + loss.kerasName() + " has no logits form");
            };
            if (className.equals("SparseCategoricalCrossentropy")) {
                config.put("ignore_class", null);
            } else {
                config.put("label_smoothing", 0.0);
                config.put("axis", -1);
            }
        }
        return new KerasLayerTable.KerasObject("keras.losses", className, config).serialize(dialect);
    }

    private static Map<String, Object> offValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("use_ema", false);
        m.put("loss_scale_factor", null);
        m.put("gradient_accumulation_steps", null);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
