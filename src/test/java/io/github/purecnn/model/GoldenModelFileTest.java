package io.github.purecnn.model;

import io.github.purecnn.data.Targets;
import io.github.purecnn.layers.Padding;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.ActivationLayer;
import io.github.purecnn.layers.AveragePooling2D;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.Nadam;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.optimizers.schedules.CosineDecay;
import io.github.purecnn.optimizers.schedules.ExponentialDecay;
import io.github.purecnn.regularizers.Regularizer;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.github.purecnn.testing.Fixture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model files written by each format version, committed as
 * {@code src/test/resources/fixtures/golden_model_vX.Y.purecnn}, that every later version must
 * keep loading with the same predictions and optimizer state. Each file and its expected values
 * ({@code golden_model_vX.Y.txt}) were made once by {@link GoldenModelFileWriter}, which the
 * build runs only when asked (see its Javadoc).
 * Regenerating them is for a new format version only; then add a new golden file and keep the old.
 */
class GoldenModelFileTest {

    /** A tiny CNN using every layer type: 6x6x1 images, 3 classes, 107 parameters. */
    static Sequential tiny(long seed) {
        return new Sequential(seed, Shape.of(6, 6, 1),
                new Conv2D(2, 3).activation(Activation.RELU),
                new MaxPooling2D(2),
                new AveragePooling2D(2).padding(Padding.SAME),
                new Flatten(),
                new Dense(4).activation(Activation.TANH),
                new Dropout(0.25),
                new Dense(3),
                new ActivationLayer(Activation.SOFTMAX)).named("golden");
    }

    /** The optimizer of the golden model files since format 1.2 (before it, plain Adam(0.01)). */
    static Optimizer goldenAdam() {
        return new Adam(new ExponentialDecay(0.01, 3, 0.9)).amsgrad(true).weightDecay(0.01).clipnorm(1.0);
    }

    /** The tiny CNN's two Dense layers regularized, for the golden training files (since 1.2). */
    static Sequential regularizedTiny(long seed) {
        return new Sequential(seed, Shape.of(6, 6, 1),
                new Conv2D(2, 3).activation(Activation.RELU).kernelRegularizer(Regularizer.l1l2(0.001, 0.01)),
                new MaxPooling2D(2),
                new AveragePooling2D(2).padding(Padding.SAME),
                new Flatten(),
                new Dense(4).activation(Activation.TANH).kernelRegularizer(Regularizer.l2(0.02)),
                new Dropout(0.25),
                new Dense(3).activation(Activation.SIGMOID).biasRegularizer(Regularizer.l1(0.01))).named("golden");
    }

    /** The golden training files' optimizer: Nadam, with a running product to keep, and global clipping. */
    static Optimizer goldenNadam() {
        return new Nadam(new CosineDecay(0.0, 10, 0.1, 0.02, 2)).globalClipnorm(2.0);
    }

    /** One-hot float targets of {@link #labels}. */
    static Targets oneHotTargets(int n) {
        return Targets.oneHot(labels(n), 3);
    }

    /** Fixed inputs: n images of 6x6x1 with values from a formula, not from a random generator. */
    static Tensor inputs(int n) {
        float[] x = new float[n * 36];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.37 * i) * 0.5f + 0.5f;
        }
        return Tensor.of(x, n, 6, 6, 1);
    }

    static int[] labels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
        }
        return y;
    }

    /** Every format version ever written: each must keep loading. */
    @ParameterizedTest(name = "format {0}")
    @ValueSource(strings = {"1.0", "1.1", "1.2"})
    void aGoldenFileStillLoadsWithItsPredictionsAndOptimizerState(String version) throws Exception {
        Sequential model = Sequential.load(resource("golden_model_v" + version + ".purecnn"));
        Fixture expected = Fixture.load("golden_model_v" + version + ".txt");

        assertEquals("golden", model.name());
        assertEquals(Shape.of(6, 6, 1), model.inputShape());
        Sequential fresh = tiny(0);
        assertEquals(fresh.layers().size(), model.layers().size());
        for (int i = 0; i < fresh.layers().size(); i++) {
            assertEquals(fresh.layers().get(i).config(), model.layers().get(i).config(), "layer " + i);
        }
        assertEquals(Adam.class, model.optimizer().getClass());
        if (!version.equals("1.0") && !version.equals("1.1")) {
            assertEquals(goldenAdam().config(), model.optimizer().config());
        }
        assertEquals((long) expected.doubles("iterations")[0], model.optimizer().iterations());
        assertEquals("sparse_categorical_crossentropy", model.loss().kerasName());
        assertEquals(java.util.List.of(Metric.ACCURACY), model.metrics());

        float[] probabilities = model.predict(inputs(4)).data();
        float[] want = expected.floats("probabilities");
        // Kernels may be optimised after the file was made: allow float rounding, not a different model.
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], probabilities[i], 1e-6f, "probability " + i);
        }
        assertArrayEquals(expected.floats("conv2d_kernel_m"), model.optimizer().state().get("conv2d/kernel/m"));
    }

    private static Path resource(String name) throws URISyntaxException, IOException {
        var url = GoldenModelFileTest.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IOException("fixture /fixtures/" + name + " is not on the test classpath");
        }
        return Path.of(url.toURI());
    }

    /**
     * Every format version since 1.2 also has a golden training file: regularizers in the layer
     * configs, Nadam with a schedule and clipping, its scalar state, Huber loss, float targets.
     */
    @ParameterizedTest(name = "format {0}")
    @ValueSource(strings = {"1.2"})
    void aGoldenTrainingFileStillLoadsWithItsStateAndOutputs(String version) throws Exception {
        Sequential model = Sequential.load(resource("golden_training_v" + version + ".purecnn"));
        Fixture expected = Fixture.load("golden_training_v" + version + ".txt");
        Sequential fresh = regularizedTiny(0);
        for (int i = 0; i < fresh.layers().size(); i++) {
            assertEquals(fresh.layers().get(i).config(), model.layers().get(i).config(), "layer " + i);
        }
        assertEquals(goldenNadam().config(), model.optimizer().config());
        assertEquals((long) expected.doubles("iterations")[0], model.optimizer().iterations());
        assertEquals(expected.floats("u_product")[0], model.optimizer().scalars().get("u_product"));
        assertEquals(0.5, ((io.github.purecnn.losses.Huber) model.loss()).delta());
        assertEquals(java.util.List.of(Metric.MAE, Metric.BINARY_ACCURACY), model.metrics());
        assertArrayEquals(expected.floats("dense_kernel_m"), model.optimizer().state().get("dense/kernel/m"));
        float[] outputs = model.predict(inputs(4)).data();
        float[] want = expected.floats("outputs");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], outputs[i], 1e-6f, "output " + i);
        }
    }
}
