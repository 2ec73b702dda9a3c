package io.github.purecnn.keras;

import io.github.purecnn.layers.Layer;

/**
 * Activation names as each Keras version spells and means them. purecnn's activations are Keras
 * 3's; Keras 2 (tf.keras) names {@code silu} {@code swish}, has no {@code leaky_relu} activation
 * (only the LeakyReLU layer), and its {@code hard_sigmoid} is another function,
 * {@code clip(0.2 x + 0.5, 0, 1)}, where Keras 3's is {@code clip(x / 6 + 0.5, 0, 1)}.
 */
final class KerasActivations {
    private static final String HARD_SIGMOID = "hard_sigmoid";

    private KerasActivations() {
    }

    /**
     * The activation name purecnn reads for a Keras config value ({@code swish} it reads itself).
     *
     * @throws UnsupportedKerasModelException for Keras 2's hard_sigmoid, naming the layer
     */
    static Object read(String file, String layer, String kerasClass, String key, Object value, KerasDialect dialect)
            throws UnsupportedKerasModelException {
        if (dialect == KerasDialect.KERAS2 && HARD_SIGMOID.equals(value)) {
            throw new UnsupportedKerasModelException(file, layer, kerasClass, key, "Keras 2's hard_sigmoid is"
                    + " clip(0.2 x + 0.5, 0, 1); purecnn's is Keras 3's, clip(x / 6 + 0.5, 0, 1)");
        }
        return value;
    }

    /**
     * The name {@code dialect} writes for purecnn's activation {@code name} of {@code layer}.
     *
     * @throws IllegalArgumentException naming the layer, for an activation Keras 2 lacks or means otherwise
     */
    static String write(Layer layer, String name, KerasDialect dialect) {
        if (dialect == KerasDialect.KERAS3) {
            return name;
        }
        return switch (name) {
            case "silu" -> "swish";
            case HARD_SIGMOID -> throw keras2Lacks(layer, name, "Keras 2's hard_sigmoid is another function,"
                    + " clip(0.2 x + 0.5, 0, 1)");
            case "leaky_relu" -> throw keras2Lacks(layer, name, "Keras 2 has no leaky_relu activation (only the"
                    + " LeakyReLU layer)");
            default -> name;
        };
    }

    private static IllegalArgumentException keras2Lacks(Layer layer, String name, String why) {
        return new IllegalArgumentException("layer '" + layer.name() + "' (" + layer.typeName() + ") activation '"
                + name + "': " + why + "; save the model as .keras (Keras 3) instead");
    }
}
