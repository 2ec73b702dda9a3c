package io.github.purecnn.layers;

import io.github.purecnn.testing.LayerHarness;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.testing.Fixture;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Forward outputs and the gradients of {@code L = sum(w * out)} against values PyTorch computed
 * in float64 (src/test/resources/fixtures, README there). Besides the arithmetic this pins the
 * layouts: Keras's kernel order, NHWC images, TensorFlow's 'same' padding with the extra cell
 * after (dilated windows included), average pooling over the cells inside the input, Flatten's
 * (h, w, c) order, the depthwise output channel c * M + m, and SeparableConv2D's two kernels.
 */
class TorchReferenceTest {
    private static final Logger LOG = LoggerFactory.getLogger(TorchReferenceTest.class);

    /**
     * Allowed |purecnn - torch| / max(1, |torch|). purecnn sums in float32: a sum of m terms is
     * off by about sqrt(m) * u * sum|terms| (u = 6e-8), under 2e-6 for these sums of at most 60
     * terms of size at most 1; the reference itself is float64. A layout or padding mistake moves
     * values by 0.1 or more.
     */
    private static final double TOLERANCE = 1e-5;

    static Stream<Named<Kernels>> kernels() {
        return LayerGradientTest.kernels().map(k -> Named.of(k.name(), k));
    }

    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void conv2dSameStride2MatchesTorchWithTensorFlowPadding(Kernels k) {
        // 7x6 input, 4x3 kernel, strides 2: output 4x3, padding 1 row above, 2 below, 0 left, 1 right.
        Conv2D conv = new Conv2D(3, 4, 3).strides(2).padding(Padding.SAME);
        Fixture f = Fixture.load("conv2d_same_stride2.txt");
        checkChain(f, k, List.of(conv));
        assertEquals(1, conv.geometry().padTop());
        assertEquals(0, conv.geometry().padLeft());
    }

    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void conv2dValidStride2MatchesTorch(Kernels k) {
        checkChain(Fixture.load("conv2d_valid_stride2.txt"), k, List.of(new Conv2D(3, 3).strides(2)));
    }

    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void averagePoolingSameOn11x11MatchesTorch(Kernels k) {
        checkChain(Fixture.load("average_pooling2d_same_11x11.txt"), k, List.of(new AveragePooling2D(2).padding(Padding.SAME)));
    }

    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void flattenThenDenseMatchesTorchInKerasOrder(Kernels k) {
        checkChain(Fixture.load("flatten_dense.txt"), k, List.of(new Flatten(), new Dense(4)));
    }

    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void dilatedConv2dSameMatchesTorch(Kernels k) {
        // dilation 2 spreads a 3x3 window over 5x5: 'same' pads 2 on every side of the 7x7 input
        Conv2D conv = new Conv2D(3, 3).dilationRate(2).padding(Padding.SAME);
        checkChain(Fixture.load("conv2d_dilated_same.txt"), k, List.of(conv));
        assertEquals(2, conv.geometry().padTop());
    }

    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void depthwiseConv2dSameStride2WithMultiplierMatchesTorch(Kernels k) {
        checkChain(Fixture.load("depthwise_same_stride2.txt"), k,
                List.of(new DepthwiseConv2D(3).strides(2).padding(Padding.SAME).depthMultiplier(2)));
    }

    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void dilatedDepthwiseConv2dSameMatchesTorch(Kernels k) {
        checkChain(Fixture.load("depthwise_dilated_same.txt"), k,
                List.of(new DepthwiseConv2D(3, 2).dilationRate(2).padding(Padding.SAME)));
    }

    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void separableConv2dSameStride2MatchesTorch(Kernels k) {
        checkChain(Fixture.load("separable_same_stride2.txt"), k,
                List.of(new SeparableConv2D(4, 3).strides(2).padding(Padding.SAME).depthMultiplier(2)));
    }

    /**
     * Builds {@code layers} for the fixture's input, gives the one layer with weights the
     * fixture's kernel and bias (their shapes must match: the layout check), runs forward and
     * backward with dOut = w, and compares output, input gradient and parameter gradients.
     */
    private static void checkChain(Fixture f, Kernels k, List<Layer> layers) {
        Shape batchShape = f.shape("input");
        int n = batchShape.dim(0);
        Shape shape = batchShape.withoutBatch();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            layer.build(shape, i, layer.defaultNamePrefix(), new SplittableRandom(1));
            for (Parameter p : layer.parameters()) {
                assertEquals(f.shape(p.name()), p.shape(), p.path() + " layout");
                p.set(f.floats(p.name()));
            }
            shape = layer.outputShape();
        }
        assertEquals(f.shape("output").withoutBatch(), shape, "output shape");

        float[][] activations = new float[layers.size() + 1][];
        activations[0] = f.floats("input");
        LayerHarness[] shards = new LayerHarness[layers.size()];
        for (int i = 0; i < layers.size(); i++) {
            shards[i] = new LayerHarness(layers.get(i), k, n);
            activations[i + 1] = new float[n * layers.get(i).outputShape().size()];
            shards[i].forward(activations[i + 1], activations[i], n, false, 0L);
        }
        double worst = compare(f, "output", activations[layers.size()]);

        float[] grad = f.floats("w");
        for (int i = layers.size() - 1; i >= 0; i--) {
            float[] dIn = new float[activations[i].length];
            shards[i].backward(dIn, grad, activations[i], activations[i + 1], n);
            List<Parameter> params = layers.get(i).parameters();
            for (int p = 0; p < params.size(); p++) {
                worst = Math.max(worst, compare(f, "d_" + params.get(p).name(), shards[i].grads()[p]));
            }
            grad = dIn;
        }
        worst = Math.max(worst, compare(f, "d_input", grad));
        LOG.info("torch reference {} ({}): worst error {}", layers, k.name(), worst);
    }

    /** Asserts every value within TOLERANCE and returns the worst error. */
    private static double compare(Fixture f, String name, float[] actual) {
        return f.assertClose(name, actual, TOLERANCE);
    }
}
