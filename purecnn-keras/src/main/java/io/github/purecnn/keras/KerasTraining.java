package io.github.purecnn.keras;

import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.optimizers.SGD;
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
 * {@code compile_config}): optimizer, loss and metrics, read into a purecnn {@code compile} and
 * written back. Settings purecnn cannot reproduce (another optimizer, a learning-rate schedule,
 * gradient clipping, another loss) leave the loaded model uncompiled, with a warning saying why:
 * the architecture and weights, which is what prediction needs, are loaded all the same, as Keras
 * itself loads a model whose compile settings it cannot restore.
 */
final class KerasTraining {
    private static final Logger LOG = LoggerFactory.getLogger(KerasTraining.class);

    /** Optimizer keys that may hold only the value that means "off". */
    private static final Map<String, Object> OFF = offValues();
    /** Optimizer keys that cannot change the updates. */
    private static final Set<String> IGNORED = Set.of("name", "ema_momentum", "ema_overwrite_frequency", "jit_compile",
            "is_legacy_optimizer", "loss_scale_factor", "gradient_accumulation_steps");

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
     * @param settings the parsed {@code training_config} or {@code compile_config}; null when the file has none
     */
    static void compile(Sequential model, Object settings, KerasDialect dialect, String where) {
        if (!(settings instanceof Map<?, ?> map)) {
            return;
        }
        try {
            Object optimizerSpec = dialect == KerasDialect.KERAS2 ? map.get("optimizer_config") : map.get("optimizer");
            Optimizer optimizer = optimizer(optimizerSpec);
            Loss loss = loss(map.get("loss"));
            List<Metric> metrics = metrics(map.get("metrics"), where);
            model.compile(optimizer, loss, metrics.toArray(new Metric[0]));
        } catch (NotReproducible | IllegalArgumentException e) {
            LOG.warn("{}: the model loads uncompiled: its compile settings cannot be reproduced: {}", where,
                    e.getMessage());
        }
    }

    private static Optimizer optimizer(Object spec) throws NotReproducible {
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
        Map<String, Object> args = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : config.entrySet()) {
            String key = String.valueOf(e.getKey());
            Object value = e.getValue();
            if (IGNORED.contains(key)) {
                continue;
            }
            if (OFF.containsKey(key)) {
                if (value != null && !KerasValues.same(OFF.get(key), value)) {
                    throw new NotReproducible("optimizer " + className + " argument '" + key + "' is "
                            + KerasValues.describe(value) + ": purecnn has no " + key + " yet");
                }
                continue;
            }
            args.put(key.equals("lr") ? "learning_rate" : key, value);
        }
        switch (className.toLowerCase(Locale.ROOT)) {
            case "adam" -> {
                requireKeys(className, args, Set.of("learning_rate", "beta_1", "beta_2", "epsilon", "amsgrad"));
                if (Boolean.TRUE.equals(args.get("amsgrad"))) {
                    throw new NotReproducible("optimizer Adam argument 'amsgrad' is true: purecnn has no AMSGrad");
                }
                return new Adam(number(args, "learning_rate", 0.001), number(args, "beta_1", 0.9),
                        number(args, "beta_2", 0.999), number(args, "epsilon", 1e-7));
            }
            case "sgd" -> {
                requireKeys(className, args, Set.of("learning_rate", "momentum", "nesterov"));
                return new SGD(number(args, "learning_rate", 0.01), number(args, "momentum", 0),
                        Boolean.TRUE.equals(args.get("nesterov")));
            }
            default -> throw new NotReproducible("optimizer " + className + ": purecnn has Adam and SGD");
        }
    }

    private static void requireKeys(String optimizer, Map<String, Object> args, Set<String> known)
            throws NotReproducible {
        for (String key : args.keySet()) {
            if (!known.contains(key)) {
                throw new NotReproducible("optimizer " + optimizer + " argument '" + key + "' ("
                        + KerasValues.describe(args.get(key)) + "): purecnn does not implement it");
            }
        }
    }

    private static double number(Map<String, Object> args, String key, double absent) throws NotReproducible {
        Object v = args.get(key);
        if (v == null) {
            return absent;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new NotReproducible("optimizer argument '" + key + "' is " + KerasValues.describe(v)
                + ": purecnn takes a number (no schedules yet)");
    }

    private static Loss loss(Object spec) throws NotReproducible {
        if (spec instanceof String name) {
            return Loss.fromKerasName(name, false);
        }
        if (spec instanceof Map<?, ?> m && m.get("class_name") instanceof String c) {
            boolean logits = m.get("config") instanceof Map<?, ?> cfg && Boolean.TRUE.equals(cfg.get("from_logits"));
            return Loss.fromKerasName(KerasWeights.snakeCase(c), logits);
        }
        throw new NotReproducible("expected a loss, found " + KerasValues.describe(spec));
    }

    /** Metrics purecnn has; others are left out with a warning, since they do not change training. */
    private static List<Metric> metrics(Object spec, String where) {
        List<String> names = new ArrayList<>();
        collectMetricNames(spec, names, 0);
        List<Metric> metrics = new ArrayList<>();
        for (String name : names) {
            try {
                Metric m = Metric.fromKerasName(name);
                if (!metrics.contains(m)) {
                    metrics.add(m);
                }
            } catch (IllegalArgumentException e) {
                LOG.warn("{}: metric '{}' left out: {}", where, name, e.getMessage());
            }
        }
        return metrics;
    }

    /** Metric names from Keras's forms: {@code ["accuracy"]}, {@code [["acc"]]}, {@code [{"class_name": ..., "config": {"name": ...}}]}. */
    private static void collectMetricNames(Object spec, List<String> into, int depth) {
        if (depth > 8) {
            return;
        }
        if (spec instanceof String s) {
            into.add(s);
        } else if (spec instanceof List<?> list) {
            for (Object o : list) {
                collectMetricNames(o, into, depth + 1);
            }
        } else if (spec instanceof Map<?, ?> m) {
            if (m.get("config") instanceof Map<?, ?> cfg && cfg.get("name") instanceof String n) {
                into.add(n);
            } else if (m.get("class_name") instanceof String c) {
                into.add(KerasWeights.snakeCase(c));
            }
        }
    }

    // ---- writing ----

    /** The compile settings of a compiled model as {@code dialect} writes them, or null for an uncompiled model. */
    static Map<String, Object> settings(Sequential model, KerasDialect dialect) {
        if (!model.isCompiled()) {
            return null;
        }
        Optimizer opt = model.optimizer();
        Map<String, Object> config = new LinkedHashMap<>();
        if (dialect == KerasDialect.KERAS3) {
            config.put("name", opt.typeName().toLowerCase(Locale.ROOT));
            config.put("learning_rate", opt.config().get("learning_rate"));
            for (String key : OFF.keySet()) {
                if (!key.equals("decay")) {
                    config.put(key, OFF.get(key));
                }
            }
            config.put("ema_momentum", 0.99);
            config.put("ema_overwrite_frequency", null);
            config.put("loss_scale_factor", null);
            config.put("gradient_accumulation_steps", null);
        } else {
            config.put("name", opt.typeName());
            config.put("learning_rate", opt.config().get("learning_rate"));
            config.put("decay", 0.0);
        }
        // the optimizer's own values (its weight decay and clipping included) over the defaults above
        config.putAll(opt.config());
        if (opt instanceof Adam) {
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

    private static Object lossSpec(Loss loss, KerasDialect dialect) {
        if (!loss.fromLogits()) {
            return loss.kerasName();
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", loss.kerasName());
        config.put("reduction", dialect == KerasDialect.KERAS3 ? "sum_over_batch_size" : "auto");
        config.put("from_logits", true);
        String className = switch (loss.kerasName()) {
            case "sparse_categorical_crossentropy" -> "SparseCategoricalCrossentropy";
            case "categorical_crossentropy" -> "CategoricalCrossentropy";
            default -> throw new IllegalStateException("loss " + loss.kerasName() + " has no logits form");
        };
        return new KerasLayerTable.KerasObject("keras.losses", className, config).serialize(dialect);
    }

    private static Map<String, Object> offValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("weight_decay", null);
        m.put("clipnorm", null);
        m.put("global_clipnorm", null);
        m.put("clipvalue", null);
        m.put("use_ema", false);
        m.put("decay", 0.0);
        return m;
    }
}
