package io.github.purecnn.keras;

import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A built layer's weights as Keras's files hold them: in Keras's {@code layer.weights} order (the
 * weights created trainable, then the others: BatchNormalization's gamma, beta, moving_mean,
 * moving_variance), under Keras's names, with Keras's shapes. Most layers hold purecnn's weights
 * as they are; where Keras differs, the layer's table entry ({@link KerasLayerTable.Spec#weights()})
 * says how:
 * <ul>
 *   <li>DepthwiseConv2D's kernel is {@code depthwise_kernel} in Keras 2 ({@code kernel} in Keras 3);</li>
 *   <li>Normalization keeps a statistic of no kept axes ({@code axis=None}) as a scalar, where
 *       purecnn's weight has shape (1), and after the mean and variance an integer {@code count}
 *       (int64 scalar), which Keras keeps for older files and purecnn does not use: written 0, read
 *       and checked, its value ignored.</li>
 * </ul>
 */
final class KerasLayerWeights {
    /** The name of Normalization's integer weight. */
    static final String COUNT = "count";

    /**
     * One weight in a file: its Keras name, its shape there, and the purecnn weight it holds (null
     * for Normalization's count).
     */
    record FileWeight(String name, int[] shape, Parameter parameter) {
        boolean isCount() {
            return parameter == null;
        }
    }

    /** How a layer class's weights are laid out in Keras's files. */
    @FunctionalInterface
    interface Layout {
        List<FileWeight> of(Layer layer, KerasDialect dialect);
    }

    /** Every weight under its own name and shape. */
    static final Layout STANDARD = (layer, dialect) -> standard(layer, Map.of(), false);

    /** Keras's Normalization: scalar statistics without kept axes, then the count. */
    static final Layout NORMALIZATION = (layer, dialect) -> {
        List<FileWeight> weights = standard(layer, Map.of(), ((List<?>) layer.config().get("axis")).isEmpty());
        if (!weights.isEmpty()) {
            weights.add(new FileWeight(COUNT, new int[0], null));
        }
        return weights;
    };

    private KerasLayerWeights() {
    }

    /** The standard layout, with {@code weight} named {@code depthwise_kernel} in Keras 2's files. */
    static Layout depthwiseKernel(String weight) {
        return (layer, dialect) -> standard(layer, dialect == KerasDialect.KERAS2
                ? Map.of(weight, "depthwise_kernel") : Map.of(), false);
    }

    /** The file weights of a built layer. */
    static List<FileWeight> of(Layer layer, KerasDialect dialect) {
        return KerasLayerTable.specFor(layer).weights().of(layer, dialect);
    }

    /** What a file holds for {@code weight}: its values in its file shape, or the count 0 (int64). */
    static Object data(FileWeight weight) {
        return weight.isCount() ? (Object) 0L : KerasArrays.shaped(weight.parameter().value(), weight.shape());
    }

    private static List<FileWeight> standard(Layer layer, Map<String, String> renamed, boolean scalars) {
        List<FileWeight> weights = new ArrayList<>();
        for (Parameter p : layer.weights()) {
            int[] shape = scalars && p.size() == 1 ? new int[0] : p.shape().dims();
            weights.add(new FileWeight(renamed.getOrDefault(p.name(), p.name()), shape, p));
        }
        return weights;
    }
}
