package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.regularizers.Regularizer;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Weight penalties in the loss as Keras adds them, their gradients in the updates, and their configs in the model file. */
class RegularizedTrainingTest {
    @TempDir
    Path dir;

    private static Sequential model(boolean regularized) {
        Conv2D conv = new Conv2D(3, 3).activation(Activation.RELU);
        Dense dense = new Dense(3).activation(Activation.SOFTMAX);
        if (regularized) {
            conv.kernelRegularizer(Regularizer.l1l2(0.01, 0.02));
            dense.kernelRegularizer(Regularizer.l2(0.05)).biasRegularizer(Regularizer.l1(0.03));
        }
        Sequential m = new Sequential(9, Shape.of(6, 6, 1), conv, new Flatten(), dense);
        m.compile(new SGD(0.1), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        return m;
    }

    private static Dataset data() {
        return Dataset.of(GoldenModelFileTest.inputs(24), GoldenModelFileTest.labels(24), 3);
    }

    /** The penalties by hand from the weights: what Keras's model.losses sum to. */
    private static double penalty(Sequential m) {
        List<Parameter> p = m.parameters();
        return Regularizer.l1l2(0.01, 0.02).loss(p.get(0).value()) + Regularizer.l2(0.05).loss(p.get(2).value())
                + Regularizer.l1(0.03).loss(p.get(3).value());
    }

    /** evaluate's loss is the data loss plus the penalties once (Keras adds model.losses to every batch's mean loss). */
    @Test
    void thePenaltiesAreAddedToTheReportedLoss() {
        Sequential plain = model(false);
        Sequential regularized = model(true);
        regularized.parameters().get(3).set(new float[] {0.5f, -0.25f, 1f});    // a bias for the L1 term
        plain.setWeights(regularized.getWeights());
        double penalty = penalty(regularized);
        assertEquals(plain.evaluate(data()).loss() + penalty, regularized.evaluate(data()).loss(), 1e-12);
    }

    /**
     * One SGD step: the penalties' gradients join the data gradients, so the regularized weights
     * move by an extra {@code lr * (l1 sign(w) + 2 l2 w)}; and the epoch's loss is the batch's data
     * loss plus the penalty of the weights before the step.
     */
    @Test
    void thePenaltiesGradientsJoinTheUpdate() {
        Sequential plain = model(false);
        Sequential regularized = model(true);
        regularized.parameters().get(3).set(new float[] {0.5f, -0.25f, 1f});
        plain.setWeights(regularized.getWeights());
        List<Tensor> before = regularized.getWeights();
        double penalty = penalty(regularized);
        double plainLoss = plain.evaluate(data()).loss();
        FitOptions oneStep = new FitOptions().epochs(1).batchSize(24).shuffle(false).verbose(0);
        History h = regularized.fit(data(), oneStep);
        plain.fit(data(), oneStep);
        assertEquals(plainLoss + penalty, h.last().loss(), 1e-6, "the batch's loss with the penalty");
        Regularizer[] penalties = {Regularizer.l1l2(0.01, 0.02), null, Regularizer.l2(0.05), Regularizer.l1(0.03)};
        for (int p = 0; p < penalties.length; p++) {
            float[] w = before.get(p).data();
            float[] extra = new float[w.length];
            if (penalties[p] != null) {
                penalties[p].addGradient(extra, w, 0, w.length);
            }
            float[] a = plain.parameters().get(p).value();
            float[] b = regularized.parameters().get(p).value();
            for (int i = 0; i < w.length; i++) {
                assertEquals(0.1 * extra[i], a[i] - b[i], 1e-6, "parameter " + p + "[" + i + "]");
            }
        }
    }

    /** Regularizers go through the model file: the same configs, and training resumes bit for bit. */
    @Test
    void regularizedModelsResumeFromTheFile() throws IOException {
        Sequential uninterrupted = model(true);
        uninterrupted.fit(data(), new FitOptions().epochs(2).batchSize(8).verbose(0));
        Sequential first = model(true);
        first.fit(data(), new FitOptions().epochs(1).batchSize(8).verbose(0));
        Path file = dir.resolve("r.purecnn");
        first.save(file);
        Sequential loaded = Sequential.load(file);
        for (int i = 0; i < first.layers().size(); i++) {
            assertEquals(first.layers().get(i).config(), loaded.layers().get(i).config());
        }
        loaded.fit(data(), new FitOptions().epochs(1).batchSize(8).verbose(0));
        for (int i = 0; i < uninterrupted.parameters().size(); i++) {
            assertArrayEquals(uninterrupted.parameters().get(i).value(), loaded.parameters().get(i).value(), "weights " + i);
        }
    }
}
