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
 *   <li>{@link Mapped mapped}: passed to {@link Layers#fromConfig} under its Keras 3 name
 *       (purecnn's configs use Keras's names; Keras 2 may spell it otherwise, as LeakyReLU's
 *       {@code alpha}), and written back from {@link Layer#config()}; activations and regularizers
 *       are spelled as each Keras version spells them ({@link KerasActivations}, {@link KerasObject});</li>
 *   <li>{@link Keras3Mapped Keras 3 only}: mapped, but Keras 2's layer has no such key and behaves
 *       as one value of it, which a Keras 2 file can therefore only hold;</li>
 *   <li>{@link Fixed fixed}: accepted only at the values purecnn implements (the first is the one
 *       written), because any other value would change what the layer computes or how it trains
 *       ({@code data_format}, {@code groups}, constraints, an activity regularizer);</li>
 *   <li>{@link Ignored ignored}: accepted whatever the value, because it cannot change a loaded
 *       model's outputs or training (initializers, a random layer's seed: purecnn draws from the
 *       model's seed); written with Keras's default.</li>
 * </ul>
 * Every layer also has {@code name} (mapped), {@code trainable} (mapped: a frozen layer) and
 * {@code dtype} (float32 or float64, see {@link KerasDtype}). A key the table does not list is
 * refused: it may be an argument purecnn does not implement. Fixed and ignored keys are written
 * in the Keras versions that have them ({@link Written}). Each entry also says how the layer's
 * weights are laid out in Keras's files ({@link KerasLayerWeights}).
 */
final class KerasLayerTable {
    /** A Keras object in a config (an initializer, a regularizer), written in the form of each Keras version. */
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

    /** Which Keras versions' configs have a key, and so which files it is written to. */
    enum Written {
        BOTH, KERAS2, KERAS3, NEVER;

        boolean in(KerasDialect dialect) {
            return this == BOTH || this == KERAS2 && dialect == KerasDialect.KERAS2
                    || this == KERAS3 && dialect == KerasDialect.KERAS3;
        }
    }

    /** How a mapped value is spelled in Keras files. */
    enum Form {
        /** As purecnn's config holds it. */
        PLAIN,
        /** An activation name: Keras 2 and 3 name some differently ({@link KerasActivations}). */
        ACTIVATION,
        /** A regularizer object ({@code {"class_name": "L2", ...}}), with Keras 3's module. */
        REGULARIZER
    }

    /** How one config key is treated. */
    sealed interface Arg permits Mapped, Keras3Mapped, Fixed, Ignored {
        String key();
    }

    /**
     * Passed through to purecnn's config. {@code keras2Key}: Keras 2's name for it (null: the
     * same); {@code optional}: purecnn's config may lack it (a regularizer not set: written as
     * null) and a null read means absent (purecnn's default).
     */
    record Mapped(String key, String keras2Key, Form form, boolean optional) implements Arg {
        String keyIn(KerasDialect dialect) {
            return dialect == KerasDialect.KERAS2 && keras2Key != null ? keras2Key : key;
        }
    }

    /** Mapped; Keras 2's layer has no such key and computes as with {@code keras2Value}. */
    record Keras3Mapped(String key, Object keras2Value) implements Arg {
    }

    /**
     * Accepted only at one of {@code accepted} (compared as Keras values: 1 equals [1, 1]); the
     * first is written in the versions {@code written} names.
     */
    record Fixed(String key, List<Object> accepted, String why, Written written) implements Arg {
    }

    /** Accepted at any value; {@code value} is what export puts there, in the versions {@code written} names. */
    record Ignored(String key, Object value, Written written) implements Arg {
    }

    /**
     * One Keras layer class: the purecnn type it becomes, its keys in the order Keras 3 writes
     * them, how its weights are laid out, and whether its Keras 3 config has {@code trainable}
     * (Keras 3's spatial dropout layers write and take none).
     */
    record Spec(String kerasClass, String purecnnType, List<Arg> args, KerasLayerWeights.Layout weights,
                boolean keras3Trainable) {
        /** The args by every key they are read under: Keras 3's, and Keras 2's spelling where it differs. */
        Map<String, Arg> byKey() {
            Map<String, Arg> m = new LinkedHashMap<>();
            for (Arg a : args) {
                m.put(a.key(), a);
                if (a instanceof Mapped mapped && mapped.keras2Key() != null) {
                    m.put(mapped.keras2Key(), a);
                }
            }
            return m;
        }
    }

    private static final KerasObject GLOROT_UNIFORM = new KerasObject("keras.initializers", "GlorotUniform",
            nullMap("seed"));
    private static final KerasObject ZEROS = new KerasObject("keras.initializers", "Zeros", Map.of());
    private static final KerasObject ONES = new KerasObject("keras.initializers", "Ones", Map.of());
    private static final String NO_CONSTRAINTS = "purecnn has no weight constraints";
    private static final String NO_ACTIVITY_REGULARIZER = "purecnn has no activity regularizers";
    private static final String RANDOM_SEED = "seed";

    private static final List<Spec> SPECS = List.of(
            spec("Conv2D", "Conv2D", KerasLayerWeights.STANDARD,
                    mapped("filters"), mapped("kernel_size"), mapped("strides"), mapped("padding"), channelsLast(),
                    mapped("dilation_rate"),
                    fixed("groups", "purecnn's Conv2D has no grouped convolution", 1),
                    activation(), mapped("use_bias"),
                    ignored("kernel_initializer", GLOROT_UNIFORM), ignored("bias_initializer", ZEROS),
                    regularizer("kernel_regularizer"), regularizer("bias_regularizer"), noActivityRegularizer(),
                    noConstraint("kernel_constraint"), noConstraint("bias_constraint"), noLora()),
            spec("DepthwiseConv2D", "DepthwiseConv2D", KerasLayerWeights.depthwiseKernel("kernel"),
                    mapped("depth_multiplier"), mapped("kernel_size"), mapped("strides"), mapped("padding"),
                    channelsLast(), mapped("dilation_rate"), activation(), mapped("use_bias"),
                    ignored("depthwise_initializer", GLOROT_UNIFORM), ignored("bias_initializer", ZEROS),
                    noRegularizer("depthwise_regularizer", "DepthwiseConv2D"),
                    noRegularizer("bias_regularizer", "DepthwiseConv2D"), noActivityRegularizer(),
                    noConstraint("depthwise_constraint"), noConstraint("bias_constraint")),
            spec("SeparableConv2D", "SeparableConv2D", KerasLayerWeights.STANDARD,
                    mapped("depth_multiplier"), mapped("filters"), mapped("kernel_size"), mapped("strides"),
                    mapped("padding"), channelsLast(), mapped("dilation_rate"), activation(), mapped("use_bias"),
                    ignored("depthwise_initializer", GLOROT_UNIFORM), ignored("pointwise_initializer", GLOROT_UNIFORM),
                    ignored("bias_initializer", ZEROS),
                    noRegularizer("depthwise_regularizer", "SeparableConv2D"),
                    noRegularizer("pointwise_regularizer", "SeparableConv2D"),
                    noRegularizer("bias_regularizer", "SeparableConv2D"), noActivityRegularizer(),
                    noConstraint("depthwise_constraint"), noConstraint("pointwise_constraint"),
                    noConstraint("bias_constraint"),
                    // tf.keras 2.x writes its convolution base's kernel_* keys too, which the layer never uses.
                    new Ignored("kernel_initializer", GLOROT_UNIFORM, Written.KERAS2),
                    new Fixed("kernel_regularizer", nulls(), "tf.keras's SeparableConv2D has no such kernel",
                            Written.KERAS2),
                    new Fixed("kernel_constraint", nulls(), "tf.keras's SeparableConv2D has no such kernel",
                            Written.KERAS2)),
            spec("Dense", "Dense", KerasLayerWeights.STANDARD,
                    mapped("units"), activation(), mapped("use_bias"),
                    ignored("kernel_initializer", GLOROT_UNIFORM), ignored("bias_initializer", ZEROS),
                    regularizer("kernel_regularizer"), regularizer("bias_regularizer"),
                    // Keras 3's Dense writes it only when set (its base Layer's get_config), Keras 2's always.
                    new Fixed("activity_regularizer", nulls(), NO_ACTIVITY_REGULARIZER, Written.KERAS2),
                    noConstraint("kernel_constraint"), noConstraint("bias_constraint"), noLora(), noQuantization()),
            spec("BatchNormalization", "BatchNormalization", KerasLayerWeights.STANDARD,
                    mapped("axis"), mapped("momentum"), mapped("epsilon"), mapped("center"), mapped("scale"),
                    ignored("beta_initializer", ZEROS), ignored("gamma_initializer", ONES),
                    ignored("moving_mean_initializer", ZEROS), ignored("moving_variance_initializer", ONES),
                    noRegularizer("beta_regularizer", "BatchNormalization"),
                    noRegularizer("gamma_regularizer", "BatchNormalization"),
                    noConstraint("beta_constraint"), noConstraint("gamma_constraint"),
                    // One device: synchronized statistics are the batch's own.
                    new Ignored("synchronized", false, Written.KERAS3),
                    new Fixed("renorm", List.of(false), "purecnn has no batch renormalization", Written.NEVER),
                    new Fixed("renorm_clipping", nulls(), "purecnn has no batch renormalization", Written.NEVER),
                    new Ignored("renorm_momentum", null, Written.NEVER),
                    new Fixed("virtual_batch_size", nulls(), "purecnn normalizes over the whole batch",
                            Written.NEVER),
                    // Which of TensorFlow's implementations runs: the same computation.
                    new Ignored("fused", null, Written.NEVER)),
            spec("MaxPooling2D", "MaxPooling2D", KerasLayerWeights.STANDARD, poolingArgs()),
            spec("AveragePooling2D", "AveragePooling2D", KerasLayerWeights.STANDARD, poolingArgs()),
            spec("GlobalAveragePooling2D", "GlobalAveragePooling2D", KerasLayerWeights.STANDARD, channelsLast(),
                    new Mapped("keepdims", null, Form.PLAIN, true)),
            spec("GlobalMaxPooling2D", "GlobalMaxPooling2D", KerasLayerWeights.STANDARD, channelsLast(),
                    new Mapped("keepdims", null, Form.PLAIN, true)),
            spec("ZeroPadding2D", "ZeroPadding2D", KerasLayerWeights.STANDARD, mapped("padding"), channelsLast()),
            spec("Cropping2D", "Cropping2D", KerasLayerWeights.STANDARD, mapped("cropping"), channelsLast()),
            spec("UpSampling2D", "UpSampling2D", KerasLayerWeights.STANDARD, mapped("size"), channelsLast(),
                    new Mapped("interpolation", null, Form.PLAIN, true)),
            spec("Flatten", "Flatten", KerasLayerWeights.STANDARD, channelsLast()),
            spec("Reshape", "Reshape", KerasLayerWeights.STANDARD, mapped("target_shape")),
            spec("Dropout", "Dropout", KerasLayerWeights.STANDARD, mapped("rate"), ignored(RANDOM_SEED, null),
                    fixed("noise_shape", "purecnn's Dropout draws every value independently", (Object) null)),
            // tf.keras's SpatialDropout2D writes Dropout's keys (noise_shape, unused) and not its data_format.
            new Spec("SpatialDropout2D", "SpatialDropout2D", List.of(mapped("rate"), ignored(RANDOM_SEED, null),
                    keras3ChannelsLast(), new Fixed("noise_shape", nulls(), "purecnn's SpatialDropout2D drops whole"
                            + " channels", Written.KERAS2)), KerasLayerWeights.STANDARD, false),
            spec("Activation", "Activation", KerasLayerWeights.STANDARD, activation()),
            spec("LeakyReLU", "LeakyReLU", KerasLayerWeights.STANDARD, new Mapped("negative_slope", "alpha",
                    Form.PLAIN, false)),
            spec("Rescaling", "Rescaling", KerasLayerWeights.STANDARD, mapped("scale"), mapped("offset")),
            spec("Normalization", "Normalization", KerasLayerWeights.NORMALIZATION,
                    mapped("axis"), new Mapped("invert", null, Form.PLAIN, true), new Mapped("mean", null, Form.PLAIN,
                            true), new Mapped("variance", null, Form.PLAIN, true)),
            spec("Resizing", "Resizing", KerasLayerWeights.STANDARD,
                    mapped("height"), mapped("width"), mapped("interpolation"), mapped("crop_to_aspect_ratio"),
                    new Fixed("pad_to_aspect_ratio", List.of(false), "purecnn's Resizing does not pad",
                            Written.KERAS3),
                    // Used only to fill what padding adds.
                    new Ignored("fill_mode", "constant", Written.KERAS3), new Ignored("fill_value", 0.0, Written.KERAS3),
                    keras3ChannelsLast(),
                    new Fixed("antialias", List.of(false), "purecnn's Resizing does not antialias", Written.NEVER)),
            spec("RandomFlip", "RandomFlip", KerasLayerWeights.STANDARD, ignored(RANDOM_SEED, null), mapped("mode"),
                    keras3ChannelsLast()),
            spec("RandomTranslation", "RandomTranslation", KerasLayerWeights.STANDARD,
                    mapped("height_factor"), mapped("width_factor"), mapped("fill_mode"), mapped("interpolation"),
                    ignored(RANDOM_SEED, null), mapped("fill_value"), keras3ChannelsLast()),
            spec("RandomRotation", "RandomRotation", KerasLayerWeights.STANDARD,
                    mapped("factor"), keras3ChannelsLast(), mapped("fill_mode"), mapped("fill_value"),
                    mapped("interpolation"), ignored(RANDOM_SEED, null)),
            spec("RandomZoom", "RandomZoom", KerasLayerWeights.STANDARD,
                    mapped("height_factor"), new Mapped("width_factor", null, Form.PLAIN, false), mapped("fill_mode"),
                    mapped("interpolation"), ignored(RANDOM_SEED, null), mapped("fill_value"), keras3ChannelsLast()),
            spec("RandomContrast", "RandomContrast", KerasLayerWeights.STANDARD,
                    // Keras 2's RandomContrast clips to [0, 255], as Keras 3's default value range.
                    mapped("factor"), new Keras3Mapped("value_range", List.of(0, 255)), ignored(RANDOM_SEED, null)),
            spec("RandomCrop", "RandomCrop", KerasLayerWeights.STANDARD, mapped("height"), mapped("width"),
                    ignored(RANDOM_SEED, null), keras3ChannelsLast()));

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

    /** The purecnn layer types the table writes as Keras layers. */
    static Set<String> writtenTypes() {
        return new TreeSet<>(BY_PURECNN_TYPE.keySet());
    }

    /** An unbuilt purecnn layer made from a Keras config, with the Keras class it came from. */
    record Translated(Layer layer, String kerasClass, KerasDtype dtype) {
        /**
         * The number of weight values the layer will have on an input of {@code input}, known
         * before anything is allocated (Normalization's count, one integer, aside).
         *
         * @throws IllegalArgumentException when the layer cannot take the input
         */
        long weightCount(Shape input) {
            long total = 0;
            for (Layer.WeightShape w : layer.weightShapes(input)) {
                total += w.shape().size();
            }
            return total;
        }
    }

    /**
     * The unbuilt purecnn layer for one Keras layer config; {@code batch_input_shape} and
     * {@code batch_shape} must have been taken out by the caller (they belong to the model's input).
     *
     * @param dialect which Keras wrote the config (activations are named differently)
     * @throws UnsupportedKerasModelException naming the file, layer, class and key
     */
    static Translated toLayer(String file, String kerasClass, Map<String, Object> kerasConfig, KerasDialect dialect)
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
            if (key.equals("name") || key.equals("trainable")) {
                canonical.put(key, value);
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
                        + keysOf(spec));
            }
            if (arg instanceof Mapped m) {
                if (value != null || !m.optional()) {
                    canonical.put(m.key(), m.form() == Form.ACTIVATION
                            ? KerasActivations.read(file, name, kerasClass, key, value, dialect) : value);
                }
            } else if (arg instanceof Keras3Mapped m) {
                canonical.put(m.key(), value);
            } else if (arg instanceof Fixed f && f.accepted().stream().noneMatch(a -> KerasValues.same(a, value))) {
                throw new UnsupportedKerasModelException(file, name, kerasClass, key, "expected "
                        + KerasValues.describe(f.accepted().get(0)) + ", found " + KerasValues.describe(value)
                        + ": " + f.why());
            }
            // Ignored keys cannot change a loaded model's outputs: see the class comment.
        }
        try {
            return new Translated(Layers.fromConfig(spec.purecnnType(), canonical), kerasClass, dtype);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedKerasModelException(file, name, kerasClass, null, e.getMessage());
        }
    }

    /**
     * The table's entry for a purecnn layer.
     *
     * @throws IllegalArgumentException for a purecnn layer type the table has no Keras class for
     *     (a custom layer), naming the layer
     */
    static Spec specFor(Layer layer) {
        Spec spec = BY_PURECNN_TYPE.get(layer.typeName());
        if (spec == null) {
            throw new IllegalArgumentException("layer '" + layer.name() + "' (" + layer.typeName()
                    + ") has no Keras equivalent; the layers written are " + writtenTypes());
        }
        return spec;
    }

    /**
     * The Keras config of {@code layer}: name, trainable, dtype, then the class's keys in Keras's order.
     *
     * @throws IllegalArgumentException naming the layer and the key, for a value this Keras
     *     version cannot hold (Keras 2 has no leaky_relu activation, for one)
     */
    static Map<String, Object> toKerasConfig(Layer layer, KerasDialect dialect) {
        Spec spec = specFor(layer);
        Map<String, Object> own = layer.config();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", layer.name());
        if (dialect == KerasDialect.KERAS2 || spec.keras3Trainable()) {
            c.put("trainable", layer.isTrainable());
        }
        c.put("dtype", KerasDtype.FLOAT32.serialize(dialect));
        for (Arg arg : spec.args()) {
            if (arg instanceof Mapped m) {
                if (!own.containsKey(m.key()) && !m.optional()) {
                    throw new IllegalStateException(layer.typeName() + " config lacks '" + m.key() + "': " + own.keySet());
                }
                c.put(m.keyIn(dialect), written(layer, m, own.get(m.key()), dialect));
            } else if (arg instanceof Keras3Mapped m) {
                Object value = own.get(m.key());
                if (dialect == KerasDialect.KERAS3) {
                    c.put(m.key(), value);
                } else if (!KerasValues.same(m.keras2Value(), value)) {
                    throw new IllegalArgumentException("layer '" + layer.name() + "' (" + layer.typeName() + ") "
                            + m.key() + " " + KerasValues.describe(value) + ": Keras 2's " + spec.kerasClass()
                            + " has no such argument and computes as with " + KerasValues.describe(m.keras2Value())
                            + "; save it as .keras instead");
                }
            } else if (arg instanceof Fixed f) {
                if (f.written().in(dialect)) {
                    c.put(f.key(), f.accepted().get(0));
                }
            } else if (arg instanceof Ignored i && i.written().in(dialect)) {
                c.put(i.key(), i.value() instanceof KerasObject o ? o.serialize(dialect) : i.value());
            }
        }
        return c;
    }

    private static Object written(Layer layer, Mapped m, Object value, KerasDialect dialect) {
        return switch (m.form()) {
            case PLAIN -> value;
            case ACTIVATION -> KerasActivations.write(layer, (String) value, dialect);
            case REGULARIZER -> value instanceof Map<?, ?> r ? new KerasObject("keras.regularizers",
                    (String) r.get("class_name"), cast(r.get("config"))).serialize(dialect) : null;
        };
    }

    /** The keys a class reads, besides name, trainable and dtype, sorted. */
    private static Set<String> keysOf(Spec spec) {
        Set<String> keys = new TreeSet<>(spec.byKey().keySet());
        keys.addAll(List.of("name", "trainable", "dtype"));
        return keys;
    }

    private static Spec spec(String kerasClass, String purecnnType, KerasLayerWeights.Layout weights, Object... args) {
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
        return new Spec(kerasClass, purecnnType, List.copyOf(list), weights, true);
    }

    private static Arg[] poolingArgs() {
        return new Arg[] {mapped("pool_size"), mapped("padding"), new Mapped("strides", null, Form.PLAIN, true),
                channelsLast()};
    }

    private static Mapped mapped(String key) {
        return new Mapped(key, null, Form.PLAIN, false);
    }

    private static Mapped activation() {
        return new Mapped("activation", null, Form.ACTIVATION, false);
    }

    private static Mapped regularizer(String key) {
        return new Mapped(key, null, Form.REGULARIZER, true);
    }

    private static Fixed fixed(String key, String why, Object... accepted) {
        return new Fixed(key, Arrays.asList(accepted), why, Written.BOTH);
    }

    private static Ignored ignored(String key, Object written) {
        return new Ignored(key, written, Written.BOTH);
    }

    /** Keras resolves a null data_format to its global setting, channels_last unless changed. */
    private static Fixed channelsLast() {
        return fixed("data_format", "purecnn lays images out as (height, width, channels) only", "channels_last",
                null);
    }

    /** A data_format only Keras 3 writes (its preprocessing layers, SpatialDropout2D); Keras 2's have none. */
    private static Fixed keras3ChannelsLast() {
        return new Fixed("data_format", Arrays.asList("channels_last", null), channelsLast().why(), Written.KERAS3);
    }

    private static Fixed noRegularizer(String key, String layer) {
        return fixed(key, "purecnn's " + layer + " takes no regularizers", (Object) null);
    }

    private static Fixed noActivityRegularizer() {
        return fixed("activity_regularizer", NO_ACTIVITY_REGULARIZER, (Object) null);
    }

    private static Fixed noConstraint(String key) {
        return fixed(key, NO_CONSTRAINTS, (Object) null);
    }

    /** Keras 3.5+: low-rank adaptation of the kernel, off by default. */
    private static Fixed noLora() {
        return new Fixed("lora_rank", nulls(), "purecnn has no low-rank adaptation", Written.NEVER);
    }

    /** Keras 3.10+: quantized kernels, off by default. */
    private static Fixed noQuantization() {
        return new Fixed("quantization_config", nulls(), "purecnn computes in float32 only", Written.NEVER);
    }

    private static List<Object> nulls() {
        return Arrays.asList((Object) null);
    }

    private static Map<String, Object> nullMap(String key) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, null);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
