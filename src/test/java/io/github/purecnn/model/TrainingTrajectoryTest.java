package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.layers.Padding;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.AveragePooling2D;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.github.purecnn.testing.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Five Adam steps of a tiny CNN from fixed weights, against the same steps computed in double
 * precision by PyTorch with Keras's Adam rule ({@code src/test/resources/fixtures/make_trajectory.py}):
 * the losses before each step and the weights after the last. Covers forward, backward, the
 * fused softmax gradient, the shard reduction and the optimizer together, on every kernel
 * implementation.
 */
class TrainingTrajectoryTest {
    /** float32 against float64 on values of order 1: a few units in the 6th digit. */
    private static final double LOSS_TOLERANCE = 2e-6;
    /**
     * Weights after 5 steps of at most lr = 0.01 each: Adam's m / sqrt(v) magnifies float32
     * rounding of small gradients, so allow 1% of one step.
     */
    private static final double WEIGHT_TOLERANCE = 1e-4;

    static Stream<Arguments> implementations() {
        return Stream.of(Arguments.of(new ReferenceKernels()), Arguments.of(new JavaKernels()),
                Arguments.of(KernelsProvider.get()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void matchesPyTorchOverFiveAdamSteps(Kernels kernels) {
        Fixture f = Fixture.load("adam_trajectory.txt");
        Sequential model = new Sequential(0, Shape.of(6, 6, 1),
                new Conv2D(2, 3).activation(Activation.RELU),
                new AveragePooling2D(2).padding(Padding.SAME),
                new Flatten(),
                new Dense(3).activation(Activation.SOFTMAX));
        model.kernels(kernels).threads(2);
        model.setWeights(List.of(
                new Tensor(Shape.of(3, 3, 1, 2), f.floats("conv_kernel")),
                new Tensor(Shape.of(2), f.floats("conv_bias")),
                new Tensor(Shape.of(8, 3), f.floats("dense_kernel")),
                new Tensor(Shape.of(3), f.floats("dense_bias"))));
        model.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        Dataset data = Dataset.of(new Tensor(Shape.of(8, 6, 6, 1), f.floats("x")), f.ints("y"), 3);

        // One batch of all 8 images per epoch, unshuffled: each epoch is exactly one step.
        History h = model.fit(data, new FitOptions().epochs(5).batchSize(8).shuffle(false).verbose(0));

        double[] expected = f.doubles("losses");
        double[] actual = h.get("loss");
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t], actual[t], LOSS_TOLERANCE, "loss before step " + (t + 1));
        }
        String[] names = {"conv_kernel_after", "conv_bias_after", "dense_kernel_after", "dense_bias_after"};
        List<Tensor> weights = model.getWeights();
        for (int i = 0; i < names.length; i++) {
            double[] want = f.doubles(names[i]);
            float[] got = weights.get(i).data();
            for (int j = 0; j < want.length; j++) {
                assertEquals(want[j], got[j], WEIGHT_TOLERANCE, names[i] + "[" + j + "]");
            }
        }
    }
}
