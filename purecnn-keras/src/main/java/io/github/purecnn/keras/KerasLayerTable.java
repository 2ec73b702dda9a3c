package io.github.purecnn.keras;

import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Layers;
import io.github.purecnn.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one place where Keras layer configs meet purecnn's: for each Keras layer class, every key
 * Keras 2 and Keras 3 write, and what happens to it.
 * <ul>
 *   <li>{@link Mapped mapped}: passed to {@link Layers#fromConfig} under its Keras name (purecnn's
 *       configs use Keras's names), and written back from {@link Layer#config()};</li>
 *   <li>{@link Fixed fixed}: accepted only at the values purecnn implements (the first is the one
 *       written), because any other value would change what the layer computes or how it trains
 *       ({@code data_format}, {@code groups}, regularizers, constraints, {@code trainable});</li>
 *   <li>{@link Ignored ignored}: accepted whatever the value, because it cannot change a loaded
 *       model's outputs or training (initializers, a dropout seed); written with Keras's default.</li>
 * </ul>
 * Every layer also has {@code name} (mapped) and {@code dtype} (float32 or float64, see
 * {@link KerasDtype}). A key the table does not list is refused: it may be an argument purecnn
 * does not implement. Adding a layer the core has gained is one {@link #spec} entry; an argument
 * the core has gained moves from {@code fixed} to {@code mapped}.
 */
final class KerasLayerTable {
    /** A Keras object in a config (an initializer), written in the form of each Keras version. */
    record KerasObject(String module, String className, Map<String, Object> config) {
        Map<String, Object> serialize(KerasDialect dialect) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (dialect == KerasDialect.KERAS3) {
                m.put("module", module);
            }
            m.put("class_name", className);
            m.put("config", config);
            if (dialect == KerasDialect.KERAS3) {
                m.put("registered_name", null);
            }
            return m;
        }
    }

    /** How one config key is treated. */
    sealed interface Arg permits Mapped, Fixed, Ignored {
        String key();
    }

    /** Passed through to purecnn's config; {@code nullMeansAbsent}: a null value is purecnn's default. */
    record Mapped(String key, boolean nullMeansAbsent) implements Arg {
    }

    /**
     * Accepted only at one of {@code accepted} (compared as Keras values: 1 equals [1, 1]); the
     * first is written unless {@code written} is false (keys only recent Keras versions know,
     * which older ones would refuse).
     */
    record Fixed(String key, List<Object> accepted, String why, boolean written) implements Arg {
    }

    /** Accepted at any value; {@code written} is what export puts there. */
    record Ignored(String key, Object written) implements Arg {
    }

    /**
     * How many weight values a layer of this class has, from its (unbuilt) purecnn config and its
     * input shape: known before anything is allocated, so that a config declaring absurd sizes is
     * refused before the model is built.
     */
    @FunctionalInterface
    interface WeightCount {
        long of(Map<String, Object> config, Shape input);
    }

    /** One Keras layer class: the purecnn type it becomes, its weight count, and its keys in the order Keras writes them. */
    record Spec(String kerasClass, String purecnnType, WeightCount weights, List<Arg> args) {
        Map<String, Arg> byKey() {
            Map<String, Arg> m = new LinkedHashMap<>();
            for (Arg a : args) {
                m.put(a.key(), a);
            }
            return m;
        }
    }

    private static final KerasObject GLOROT_UNIFORM = new KerasObject("keras.initializers", "GlorotUniform",
            nullMap("seed"));
    private static final KerasObject ZEROS = new KerasObject("keras.initializers", "Zeros", Map.of());
    private static final String NO_REGULARIZERS = "purecnn has no weight regularizers or constraints yet";
    private static final String NO_FREEZING = "purecnn cannot freeze layers yet: every weight trains";

    private static final WeightCount NONE = (c, in) -> 0;

    private static final List<Spec> SPECS = List.of(
            spec("Conv2D", "Conv2D", (c, in) -> count(c, "kernel_size") * in.dim(in.rank() - 1) * count(c, "filters")
                            + bias(c, "filters"),
                    mapped("filters"), mapped("kernel_size"), mapped("strides"), mapped("padding"),
                    channelsLast(),
                    mapped("dilation_rate"),
                    fixed("groups", "purecnn's Conv2D has no grouped convolution", 1),
                    mapped("activation"), mapped("use_bias"),
                    ignored("kernel_initializer", GLOROT_UNIFORM), ignored("bias_initializer", ZEROS),
                    noRegularizer("kernel_regularizer"), noRegularizer("bias_regularizer"),
                    noRegularizer("activity_regularizer"), noRegularizer("kernel_constraint"),
                    noRegularizer("bias_constraint"), noLora()),
            spec("Dense", "Dense", (c, in) -> (long) in.size() * count(c, "units") + bias(c, "units"),
                    mapped("units"), mapped("activation"), mapped("use_bias"),
                    ignored("kernel_initializer", GLOROT_UNIFORM), ignored("bias_initializer", ZEROS),
                    noRegularizer("kernel_regularizer"), noRegularizer("bias_regularizer"),
                    noRegularizer("activity_regularizer"), noRegularizer("kernel_constraint"),
                    noRegularizer("bias_constraint"), noLora(), noQuantization()),
            spec("MaxPooling2D", "MaxPooling2D", NONE, poolingArgs()),
            spec("AveragePooling2D", "AveragePooling2D", NONE, poolingArgs()),
            spec("Flatten", "Flatten", NONE, channelsLast()),
            spec("Dropout", "Dropout", NONE, mapped("rate"), ignored("seed", null),
                    fixed("noise_shape", "purecnn's Dropout draws every value independently", (Object) null)),
            spec("Activation", "Activation", NONE, mapped("activation")));

    private static final Map<String, Spec> BY_KERAS_CLASS = SPECS.stream()
            .collect(Collectors.toMap(Spec::kerasClass, Function.identity()));
    private static final Map<String, Spec> BY_PURECNN_TYPE = SPECS.stream()
            .collect(Collectors.toMap(Spec::purecnnType, Function.identity()));

    private KerasLayerTable() {
    }

    /** The Keras layer classes purecnn reads, sorted, {@code InputLayer} included. */
    static Set<String> supportedClasses() {
        Set<String> names = new TreeSet<>(BY_KERAS_CLASS.keySet());
        names.add("InputLayer");
        return names;
    }

    /** An unbuilt purecnn layer made from a Keras config, with what it takes to check its size before building it. */
    record Translated(Layer layer, String kerasClass, KerasDtype dtype, WeightCount weights) {
        /** The number of weight values the layer will have on an input of {@code input}. */
        long weightCount(Shape input) {
            return weights.of(layer.config(), input);
        }
    }

    /**
     * The unbuilt purecnn layer for one Keras layer config; {@code batch_input_shape} and
     * {@code batch_shape} must have been taken out by the caller (they belong to the model's input).
     *
     * @throws UnsupportedKerasModelException naming the file, layer, class and key
     */
    static Translated toLayer(String file, String kerasClass, Map<String, Object> kerasConfig)
            throws UnsupportedKerasModelException {
        String name = kerasConfig.get("name") instanceof String s ? s : null;
        Spec spec = BY_KERAS_CLASS.get(kerasClass);
        if (spec == null) {
            throw new UnsupportedKerasModelException(file, name, kerasClass, null, "purecnn has no such layer;"
                    + " the layers it reads are " + supportedClasses());
        }
        Map<String, Arg> args = spec.byKey();
        Map<String, Object> canonical = new LinkedHashMap<>();
        KerasDtype dtype = KerasDtype.FLOAT32;
        for (Map.Entry<String, Object> e : kerasConfig.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (key.equals("name")) {
                canonical.put(key, value);
                continue;
            }
            if (key.equals("trainable")) {
                if (!Boolean.TRUE.equals(value)) {
                    throw new UnsupportedKerasModelException(file, name, kerasClass, key, "expected true, found "
                            + value + ": " + NO_FREEZING);
                }
                continue;
            }
            if (key.equals("dtype")) {
                dtype = KerasDtype.check(file, name, kerasClass, value);
                continue;
            }
            Arg arg = args.get(key);
            if (arg == null) {
                throw new UnsupportedKerasModelException(file, name, kerasClass, key, "an argument purecnn does not"
                        + " implement (value " + KerasValues.describe(value) + "); the arguments it reads are "
                        + new TreeSet<>(args.keySet()));
            }
            if (arg instanceof Mapped m) {
                if (value != null || !m.nullMeansAbsent()) {
                    canonical.put(key, value);
                }
            } else if (arg instanceof Fixed f && f.accepted().stream().noneMatch(a -> KerasValues.same(a, value))) {
                throw new UnsupportedKerasModelException(file, name, kerasClass, key, "expected "
                        + KerasValues.describe(f.accepted().get(0)) + ", found " + KerasValues.describe(value)
                        + ": " + f.why());
            }
            // Ignored keys cannot change a loaded model's outputs: see the class comment.
        }
        try {
            return new Translated(Layers.fromConfig(spec.purecnnType(), canonical), kerasClass, dtype, spec.weights());
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKerasModelException(file, name, kerasClass, null, e.getMessage());
        }
    }

    /**
     * The table's entry for a purecnn layer.
     *
     * @throws IllegalArgumentException for a purecnn layer type the table has no Keras class for
     */
    static Spec specFor(Layer layer) {
        Spec spec = BY_PURECNN_TYPE.get(layer.typeName());
        if (spec == null) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' (" + layer.typeName()
                    + ") has no Keras equivalent in this version; the layers written are " + BY_PURECNN_TYPE.keySet());
        }
        return spec;
    }

    /** The Keras config of {@code layer}: name, trainable, dtype, then the class's keys in Keras's order. */
    static Map<String, Object> toKerasConfig(Layer layer, KerasDialect dialect) {
        Spec spec = specFor(layer);
        Map<String, Object> own = layer.config();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", layer.name());
        c.put("trainable", true);
        c.put("dtype", KerasDtype.FLOAT32.serialize(dialect));
        for (Arg arg : spec.args()) {
            if (arg instanceof Mapped m) {
                if (!own.containsKey(m.key())) {
                    throw new IllegalStateException(layer.typeName() + " config lacks '" + m.key() + "': " + own.keySet());
                }
                c.put(m.key(), own.get(m.key()));
            } else if (arg instanceof Fixed f) {
                if (f.written()) {
                    c.put(f.key(), f.accepted().get(0));
                }
            } else if (arg instanceof Ignored i) {
                c.put(i.key(), i.written() instanceof KerasObject o ? o.serialize(dialect) : i.written());
            }
        }
        return c;
    }

    /** The product of a config's integer or list of integers ({@code kernel_size [3, 3]} is 9). */
    private static long count(Map<String, Object> config, String key) {
        Object v = config.get(key);
        long product = 1;
        for (Object n : v instanceof List<?> l ? l : List.of(v)) {
            product *= ((Number) n).longValue();
        }
        return product;
    }

    private static long bias(Map<String, Object> config, String sizeKey) {
        return Boolean.TRUE.equals(config.get("use_bias")) ? count(config, sizeKey) : 0;
    }

    private static Spec spec(String kerasClass, String purecnnType, WeightCount weights, Object... args) {
        List<Arg> list = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof Arg arg) {
                list.add(arg);
            } else {
                for (Object inner : (Object[]) a) {
                    list.add((Arg) inner);
                }
            }
        }
        return new Spec(kerasClass, purecnnType, weights, List.copyOf(list));
    }

    private static Arg[] poolingArgs() {
        return new Arg[] {mapped("pool_size"), mapped("padding"), new Mapped("strides", true), channelsLast()};
    }

    private static Mapped mapped(String key) {
        return new Mapped(key, false);
    }

    private static Fixed fixed(String key, String why, Object... accepted) {
        return new Fixed(key, Arrays.asList(accepted), why, true);
    }

    private static Ignored ignored(String key, Object written) {
        return new Ignored(key, written);
    }

    /** Keras resolves a null data_format to its global setting, channels_last unless changed. */
    private static Fixed channelsLast() {
        return fixed("data_format", "purecnn lays images out as (height, width, channels) only", "channels_last",
                null);
    }

    private static Fixed noRegularizer(String key) {
        return fixed(key, NO_REGULARIZERS, (Object) null);
    }

    /** Keras 3.5+: low-rank adaptation of the kernel, off by default. */
    private static Fixed noLora() {
        return new Fixed("lora_rank", Arrays.asList((Object) null), "purecnn has no low-rank adaptation", false);
    }

    /** Keras 3.10+: quantized kernels, off by default. */
    private static Fixed noQuantization() {
        return new Fixed("quantization_config", Arrays.asList((Object) null), "purecnn computes in float32 only",
                false);
    }

    private static Map<String, Object> nullMap(String key) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, null);
        return m;
    }
}
