package io.github.purecnn.layers;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.github.purecnn.testing.Fixture;
import io.github.purecnn.testing.LayerHarness;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;


/**
 * BatchNormalization against Keras's semantics computed once with PyTorch and NumPy
 * ({@code fixtures/batch_normalization.txt}, made by {@code make_layer_fixtures.py}): a training
 * step's output and gradients (batch statistics, biased variance), the moving averages after three
 * training steps (Keras's update), and the inference output with them; on every kernel path, and
 * the moving averages again through a model's fit, whose batches of 20 run as two shards.
 */
class BatchNormalizationReferenceTest {
    /**
     * Allowed |purecnn - reference| / max(1, |reference|): the statistics are summed in double and
     * each value normalised in a few float operations (error about 1e-7 relative); a wrong variance
     * (unbiased instead of biased: 20 * 9 / 179 makes it 0.6% larger) or a missing term moves values
     * by 1e-3 or more.
     */
    private static final double TOLERANCE = 1e-5;
    private static final double MOMENTUM = 0.9;

    static Stream<Named<Kernels>> kernels() {
        return LayerGradientTest.kernels().map(k -> Named.of(k.name(), k));
    }

    private static BatchNormalization layer(Fixture f) {
        BatchNormalization bn = new BatchNormalization().momentum(MOMENTUM);
        bn.build(f.shape("batch_1").withoutBatch(), 0, "bn", new SplittableRandom(1));
        bn.gamma().set(f.floats("gamma"));
        bn.beta().set(f.floats("beta"));
        bn.movingMean().set(f.floats("moving_mean_0"));
        bn.movingVariance().set(f.floats("moving_variance_0"));
        return bn;
    }

    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void trainingStepMovingAveragesAndInferenceMatchTheReference(Kernels k) {
        Fixture f = Fixture.load("batch_normalization.txt");
        BatchNormalization bn = layer(f);
        int n = f.shape("batch_1").dim(0);
        LayerHarness h = new LayerHarness(bn, k, n);
        float[] x = f.floats("batch_1");
        float[] out = new float[x.length];
        h.forward(out, x, n, true, 0L);
        compare(f, "output", out);
        float[] dIn = new float[x.length];
        h.backward(dIn, f.floats("w"), x, out, n);
        compare(f, "d_input", dIn);
        compare(f, "d_gamma", h.grads()[0]);
        compare(f, "d_beta", h.grads()[1]);

        h.forward(out, f.floats("batch_2"), n, true, 0L);
        h.forward(out, f.floats("batch_3"), n, true, 0L);
        compare(f, "moving_mean_3", bn.movingMean().value());
        compare(f, "moving_variance_3", bn.movingVariance().value());

        h.forward(out, f.floats("batch_inference"), n, false, 0L);
        compare(f, "inference_output", out);
    }

    /**
     * The three batches through fit, in order, 20 images a step (two shards of 16 and 4, two
     * threads): the layer comes first, so its inputs are the images whatever the training does,
     * and its moving averages after the epoch must be the reference's: updated once per step from
     * the statistics of the whole batch.
     */
    @ParameterizedTest(name = "{0} kernels")
    @MethodSource("kernels")
    void fitUpdatesTheMovingAveragesOncePerStepFromTheWholeBatch(Kernels k) {
        Fixture f = Fixture.load("batch_normalization.txt");
        Shape image = f.shape("batch_1").withoutBatch();
        int n = f.shape("batch_1").dim(0);
        float[] x = new float[3 * n * image.size()];
        for (int b = 0; b < 3; b++) {
            System.arraycopy(f.floats("batch_" + (b + 1)), 0, x, b * n * image.size(), n * image.size());
        }
        int[] labels = new int[3 * n];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 2;
        }
        Sequential m = new Sequential(3, image, new BatchNormalization().momentum(MOMENTUM), new Flatten(),
                new Dense(2).activation(Activation.SOFTMAX)).kernels(k).threads(2);
        BatchNormalization bn = (BatchNormalization) m.layers().get(0);
        bn.gamma().set(f.floats("gamma"));
        bn.beta().set(f.floats("beta"));
        bn.movingMean().set(f.floats("moving_mean_0"));
        bn.movingVariance().set(f.floats("moving_variance_0"));
        m.compile(new SGD(0.1), Loss.sparseCategoricalCrossentropy());
        m.fit(Dataset.of(new Tensor(image.withBatch(3 * n), x), labels, 2),
                new FitOptions().epochs(1).batchSize(n).shuffle(false).verbose(0));
        compare(f, "moving_mean_3", bn.movingMean().value());
        compare(f, "moving_variance_3", bn.movingVariance().value());
    }

    private static void compare(Fixture f, String name, float[] actual) {
        f.assertClose(name, actual, TOLERANCE);
    }
}
