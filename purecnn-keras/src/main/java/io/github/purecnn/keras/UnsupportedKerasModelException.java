package io.github.purecnn.keras;

/**
 * A well-formed Keras file whose model purecnn cannot represent: a layer type it lacks, an
 * argument value it does not implement ({@code data_format: channels_first}, grouped
 * convolutions, a regularizer...), a branching graph, a custom object, or a dtype other than
 * float32 and float64. Thrown while the architecture is read, before any weight is.
 */
public class UnsupportedKerasModelException extends KerasFormatException {
    private static final long serialVersionUID = 1L;

    private final String layer;
    private final String kerasClass;
    private final String argument;

    /**
     * @param file       the file, for the message
     * @param layer      the layer's name, or null when the problem is the model's
     * @param kerasClass the layer's (or model's) Keras class name
     * @param argument   the config key at fault, or null when it is the class itself
     * @param problem    what purecnn cannot do, and what it can instead
     */
    public UnsupportedKerasModelException(String file, String layer, String kerasClass, String argument,
                                          String problem) {
        super(file + ": " + (layer == null ? "" : "layer '" + layer + "' ") + "(" + kerasClass + ")"
                + (argument == null ? "" : " argument '" + argument + "'") + ": " + problem);
        this.layer = layer;
        this.kerasClass = kerasClass;
        this.argument = argument;
    }

    /** The layer's name, or null when the problem concerns the whole model. */
    public String layer() {
        return layer;
    }

    /** The Keras class name of the layer or model. */
    public String kerasClass() {
        return kerasClass;
    }

    /** The config key at fault, or null when the class itself is unsupported. */
    public String argument() {
        return argument;
    }
}
