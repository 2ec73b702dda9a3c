package io.github.purecnn.benchmarks.suite;

import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.model.Sequential;

/**
 * The floating-point work of training, counted from a model's layers as the PyTorch twins count
 * it, so both sides divide the same number by their times.
 *
 * <p>Only the convolutions and dense layers are counted, and only their multiply-adds (two
 * FLOPs each); biases, activations, pooling, dropout, the loss and the optimizer are left out,
 * being a few percent at most. A training step does each multiply-add three times: in the
 * forward pass, for the input gradient and for the kernel gradient. Hence training FLOPs per
 * image = 3 x 2 x forward multiply-adds. (The first layer's input gradient is never needed and
 * purecnn skips it; the count keeps it, as the usual convention and the twins do.)
 */
public final class TrainingFlops {
    private TrainingFlops() {
    }

    /** One image's forward multiply-adds in the model's {@link Conv2D} and {@link Dense} layers. */
    public static long forwardMultiplyAdds(Sequential model) {
        long total = 0;
        for (Layer layer : model.layers()) {
            total += forwardMultiplyAdds(layer);
        }
        return total;
    }

    /**
     * One image's forward multiply-adds in {@code layer}: for a convolution, each output position
     * takes every weight of the kernel (kh x kw x channels x filters) once; for a dense layer,
     * inputs x units. Zero for layers without such products.
     */
    public static long forwardMultiplyAdds(Layer layer) {
        if (layer instanceof Conv2D conv) {
            long positions = conv.outputShape().size() / conv.filters();
            return positions * conv.kernel().size();
        }
        if (layer instanceof Dense dense) {
            return (long) dense.inputShape().size() * dense.units();
        }
        return 0;
    }

    /** Training FLOPs of one image: 6 x {@link #forwardMultiplyAdds(Sequential)}. */
    public static long perImage(Sequential model) {
        return 6 * forwardMultiplyAdds(model);
    }
}
