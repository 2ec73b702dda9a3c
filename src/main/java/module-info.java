/**
 * purecnn: convolutional neural networks in pure Java, the Keras way. The module exports the
 * public API packages (see {@link io.github.purecnn}); the kernels, the engine's runtime types,
 * file utilities and the command line stay inside.
 *
 * <p>The Vector API kernels need the incubator module {@code jdk.incubator.vector}, which this
 * module reads when the JVM resolves it ({@code --add-modules jdk.incubator.vector}); without it,
 * the plain-Java kernels run.
 */
// "module": the Keras module is not on the path when the core compiles, so javac warns that the
// module named by the qualified export below does not exist.
@SuppressWarnings("module")
module io.github.purecnn {
    requires org.slf4j;
    // The pictures of io.github.purecnn.visual are BufferedImages; image files are read with ImageIO.
    requires transitive java.desktop;
    requires static jdk.incubator.vector;

    exports io.github.purecnn;
    exports io.github.purecnn.data;
    exports io.github.purecnn.image;
    exports io.github.purecnn.io;
    exports io.github.purecnn.layers;
    exports io.github.purecnn.losses;
    exports io.github.purecnn.model;
    exports io.github.purecnn.optimizers;
    exports io.github.purecnn.optimizers.schedules;
    exports io.github.purecnn.regularizers;
    exports io.github.purecnn.tensor;
    exports io.github.purecnn.visual;

    // The Keras module reads and writes its JSON and files with the core's own utilities, and
    // counts a layer's weights before building it (Layer.weightShapes, internal).
    exports io.github.purecnn.io.internal to io.github.purecnn.keras;
    exports io.github.purecnn.runtime to io.github.purecnn.keras;

    // Model file formats of the optional modules (Keras's .h5 and .keras files).
    uses io.github.purecnn.model.ModelFileFormat;
}
