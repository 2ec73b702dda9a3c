package io.github.purecnn.optimizers;

import io.github.purecnn.io.internal.ConfigReader;
import io.github.purecnn.optimizers.schedules.LearningRateSchedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoubleFunction;
import java.util.function.Function;

/**
 * Makes optimizers from their Keras class name and config, the inverse of
 * {@link Optimizer#typeName()} and {@link Optimizer#config()}: a new, unbuilt optimizer with the
 * same arguments. Keys Keras gives defaults may be absent (model files of earlier versions have
 * only {@code learning_rate} and the optimizer's own keys); {@code weight_decay} and the clipping
 * bounds may be null (Keras's None). An unknown key is an error rather than ignored, since a key
 * this library does not implement would change the updates.
 */
public final class Optimizers {
    /** The class names {@link #fromConfig} knows. */
    public static final Set<String> TYPES = Set.of("SGD", "Adam", "AdamW", "RMSprop", "Nadam", "Adagrad", "Adamax");
    private static final String[] COMMON = {"learning_rate", "weight_decay", "clipnorm", "global_clipnorm", "clipvalue"};

    private Optimizers() {
    }

    /**
     * A new optimizer of Keras class {@code type} with the arguments in {@code config}.
     *
     * @param type   the Keras class name, one of {@link #TYPES}
     * @param config the arguments under their Keras names, as {@link Optimizer#config()} gives them or
     *     a Keras file stores them; {@code learning_rate} is a number or a serialized schedule
     * @return a new optimizer, not yet compiled with a model, with those arguments and Keras's
     *     defaults for the absent ones
     * @throws NullPointerException when {@code type} is null
     * @throws IllegalArgumentException naming the class and the key when the class is unknown, a
     *     key is unknown, or a value has the wrong type or range
     */
    public static Optimizer fromConfig(String type, Map<String, ?> config) {
        Objects.requireNonNull(type, "type");
        ConfigReader c = new ConfigReader(type + " config", config);
        Optimizer opt = switch (type) {
            case "SGD" -> {
                c.allow(keys("momentum", "nesterov"));
                yield create(c, 0.01, SGD::new, SGD::new).momentum(c.number("momentum", 0))
                        .nesterov(c.bool("nesterov", false));
            }
            case "Adam", "AdamW" -> {
                c.allow(keys("beta_1", "beta_2", "epsilon", "amsgrad"));
                Adam adam = type.equals("Adam") ? create(c, 0.001, Adam::new, Adam::new)
                        : create(c, 0.001, AdamW::new, AdamW::new);
                if (type.equals("AdamW") && !c.has("weight_decay") && config.containsKey("weight_decay")) {
                    throw new IllegalArgumentException("AdamW config: key 'weight_decay': expected a number, found null"
                            + " (AdamW always decays weights)");
                }
                yield adam.beta1(c.number("beta_1", 0.9)).beta2(c.number("beta_2", 0.999))
                        .epsilon(c.number("epsilon", 1e-7)).amsgrad(c.bool("amsgrad", false));
            }
            case "RMSprop" -> {
                c.allow(keys("rho", "momentum", "epsilon", "centered"));
                yield create(c, 0.001, RMSprop::new, RMSprop::new).rho(c.number("rho", 0.9))
                        .momentum(c.number("momentum", 0)).epsilon(c.number("epsilon", 1e-7))
                        .centered(c.bool("centered", false));
            }
            case "Nadam" -> {
                c.allow(keys("beta_1", "beta_2", "epsilon"));
                yield create(c, 0.001, Nadam::new, Nadam::new).beta1(c.number("beta_1", 0.9))
                        .beta2(c.number("beta_2", 0.999)).epsilon(c.number("epsilon", 1e-7));
            }
            case "Adagrad" -> {
                c.allow(keys("initial_accumulator_value", "epsilon"));
                yield create(c, 0.001, Adagrad::new, Adagrad::new)
                        .initialAccumulatorValue(c.number("initial_accumulator_value", 0.1))
                        .epsilon(c.number("epsilon", 1e-7));
            }
            case "Adamax" -> {
                c.allow(keys("beta_1", "beta_2", "epsilon"));
                yield create(c, 0.001, Adamax::new, Adamax::new).beta1(c.number("beta_1", 0.9))
                        .beta2(c.number("beta_2", 0.999)).epsilon(c.number("epsilon", 1e-7));
            }
            default -> throw new IllegalArgumentException("unknown optimizer '" + type + "', expected one of "
                    + new TreeSet<>(TYPES));
        };
        if (c.has("weight_decay")) {
            opt.weightDecay(c.number("weight_decay"));
        }
        if (c.has("clipnorm")) {
            opt.clipnorm(c.number("clipnorm"));
        }
        if (c.has("global_clipnorm")) {
            opt.globalClipnorm(c.number("global_clipnorm"));
        }
        if (c.has("clipvalue")) {
            opt.clipvalue(c.number("clipvalue"));
        }
        return opt;
    }

    private static String[] keys(String... own) {
        List<String> all = new ArrayList<>(List.of(COMMON));
        all.addAll(List.of(own));
        return all.toArray(new String[0]);
    }

    /** The optimizer with the config's learning rate: a number (or Keras's default when absent) or a schedule. */
    private static <T extends Optimizer> T create(ConfigReader c, double defaultRate, DoubleFunction<T> withRate,
                                                  Function<LearningRateSchedule, T> withSchedule) {
        Object rate = c.get("learning_rate");
        if (rate instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, ?> serialized = (Map<String, ?>) map;
            return withSchedule.apply(LearningRateSchedule.deserialize(serialized));
        }
        return withRate.apply(c.number("learning_rate", defaultRate));
    }
}
