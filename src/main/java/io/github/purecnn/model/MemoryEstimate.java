package io.github.purecnn.model;

import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The memory a model needs, estimated from its architecture before the big arrays exist, so that
 * a model too large for this JVM is refused with a message that names the layer making it so,
 * instead of an {@link OutOfMemoryError} halfway through (or, on a large heap, gigabytes of
 * memory taken before the failure). The model file reader checks it before building anything
 * from a manifest, {@link Sequential#compile} before creating the optimizer state, and
 * {@code fit}, {@code evaluate} and {@code predict} before creating the buffers of a batch.
 *
 * <p>Counted from shapes alone, on the large side, since the engine's exact buffers change as it
 * is tuned:
 * <ul>
 *   <li>per trainable parameter value, 4 bytes for each of: the value, its reduced gradient, each
 *       optimizer state array (Adam has two), and one gradient copy per shard of
 *       {@value BatchEngine#SHARD_SIZE} images of the batch (shards sum their gradients in a fixed
 *       order, see {@link BatchEngine}); per non-trainable value (moving statistics), 4 bytes;</li>
 *   <li>per image of the batch, 4 bytes per input value and 12 per output value of each layer:
 *       its activation, the gradient of its activation, and as much again for what a layer keeps
 *       for its backward pass.</li>
 * </ul>
 * The heap is {@link Runtime#maxMemory()}, what the JVM may use at most ({@code -Xmx}).
 */
final class MemoryEstimate {
    /** Bytes of one float. */
    private static final long FLOAT = 4;
    /** Activation, its gradient, and a layer's backward cache, per output value and image. */
    private static final long PER_OUTPUT_VALUE = 3 * FLOAT;

    /**
     * What the estimate needs to know of one layer.
     *
     * @param name       the layer's name, for the message
     * @param type       its Keras type name
     * @param output     its output shape per image
     * @param parameters how many trainable parameter values it has
     * @param state      how many non-trainable weight values it has
     */
    record LayerSize(String name, String type, Shape output, long parameters, long state) {
    }

    private final Shape input;
    private final List<LayerSize> layers;
    private final int optimizerArrays;

    /**
     * @param input           the model's input shape per image
     * @param layers          its layers, in order
     * @param optimizerArrays the optimizer's state arrays per parameter (0 before compiling)
     */
    MemoryEstimate(Shape input, List<LayerSize> layers, int optimizerArrays) {
        this.input = input;
        this.layers = List.copyOf(layers);
        this.optimizerArrays = optimizerArrays;
    }

    /** The estimate for built layers, with {@code optimizerArrays} state arrays per parameter. */
    static MemoryEstimate of(Shape input, List<Layer> built, int optimizerArrays) {
        List<LayerSize> sizes = new ArrayList<>();
        for (Layer l : built) {
            long state = 0;
            for (Parameter w : l.nonTrainableWeights()) {
                state += w.size();
            }
            // the parameters: the weights created trainable, each with a gradient and optimizer state
            sizes.add(new LayerSize(l.name(), l.typeName(), l.outputShape(), l.countParams() - state, state));
        }
        return new MemoryEstimate(input, sizes, optimizerArrays);
    }

    /** The bytes a model needs to run batches of {@code batch} images. */
    long bytes(int batch) {
        long total = batch * FLOAT * input.size();
        for (LayerSize l : layers) {
            total += bytes(l, batch);
        }
        return total;
    }

    /** One layer's share of {@link #bytes}. */
    private long bytes(LayerSize l, int batch) {
        long shards = (batch + BatchEngine.SHARD_SIZE - 1) / BatchEngine.SHARD_SIZE;
        long perParameter = FLOAT * (2 + optimizerArrays + shards);
        return l.parameters() * perParameter + l.state() * FLOAT + batch * PER_OUTPUT_VALUE * l.output().size();
    }

    /**
     * Why the model does not fit, or null if it does: the bytes needed for batches of
     * {@code batch} images plus {@code extraBytes}, held against {@code heapBytes}.
     *
     * @param extraBytes what the caller needs besides the model while it lives (a reader's buffers)
     * @return null if the model fits; else a sentence (to follow the model's or file's name) that
     *     gives both sizes and names the layer with the largest share
     */
    String shortfall(int batch, long extraBytes, long heapBytes) {
        long needed = bytes(batch) + extraBytes;
        if (needed <= heapBytes) {
            return null;
        }
        LayerSize largest = layers.get(0);
        for (LayerSize l : layers) {
            if (bytes(l, batch) > bytes(largest, batch)) {
                largest = l;
            }
        }
        return String.format(Locale.ROOT, "needs about %s of memory for batches of %d images (weights, their gradients"
                        + " and optimizer state, activations), more than the %s this JVM may use (-Xmx); the largest"
                        + " share is layer '%s' (%s, output %s, %,d parameters) with %s",
                size(needed), batch, size(heapBytes), largest.name(), largest.type(), largest.output(),
                largest.parameters(), size(bytes(largest, batch)));
    }

    /** As {@link #shortfall(int, long, long)} against this JVM's heap. */
    String shortfall(int batch, long extraBytes) {
        return shortfall(batch, extraBytes, Runtime.getRuntime().maxMemory());
    }

    /** Bytes in binary units, three significant digits: {@code 512 bytes}, {@code 1.50 GiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s", value,
                units[unit]);
    }
}
