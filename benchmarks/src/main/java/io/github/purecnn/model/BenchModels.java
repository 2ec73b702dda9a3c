package io.github.purecnn.model;

import io.github.purecnn.benchmarks.suite.SuiteModel;
import io.github.purecnn.benchmarks.suite.SuiteNetworks;
import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;

/**
 * The speed suite's models ({@link SuiteModel}: lenet, convnet, strided, cifar), compiled as the
 * suite trains them (Adam 0.001, sparse categorical cross-entropy) on given kernels, with random
 * images for the step benchmarks (a step's speed does not depend on the pixels). This class lives
 * in the library's package {@code io.github.purecnn.model} (a split package, fine on the class
 * path) because {@link BatchEngine} is package-private.
 */
final class BenchModels {
    static final long SEED = 42;

    private BenchModels() {
    }

    /** The model, compiled, on these kernels. */
    static Sequential build(SuiteModel model, Kernels kernels) {
        Sequential m = SuiteNetworks.network(model, SEED);
        m.kernels(kernels);
        m.compile(new Adam(0.001), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        return m;
    }

    /** {@code images} random images of the model's input shape, with random labels. */
    static Dataset data(Sequential model, int images) {
        return SuiteNetworks.randomImages(model, images, 7);
    }

    /** The images 0..n-1 in order. */
    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** The objective training measures: the model's loss and metrics on data. */
    static Objective objective(Sequential model, Dataset data) {
        return Objective.of("training data", model.name(), data, model.outputShape(), model.loss(), model.metrics(), null);
    }

    /** A fresh engine for a batch of the model's on these kernels and threads. */
    static BatchEngine engine(Sequential model, int batch, Kernels kernels, int threads) {
        return new BatchEngine(model.layers(), batch, kernels, threads, model.loss().fusedActivation());
    }

    /**
     * Checks that one training step on these kernels gives the reference kernels' weights bit for
     * bit (the canonical order of every sum makes every path equal); fails the run otherwise.
     */
    static void checkOneStep(SuiteModel model, Kernels kernels, int threads) {
        float[][] mine = oneStep(model, kernels, threads);
        float[][] reference = oneStep(model, new ReferenceKernels(), 1);
        for (int p = 0; p < mine.length; p++) {
            for (int i = 0; i < mine[p].length; i++) {
                if (Float.floatToRawIntBits(mine[p][i]) != Float.floatToRawIntBits(reference[p][i])) {
                    throw new IllegalStateException(model.key() + " on " + kernels + ": after one step, weight array " + p
                            + " element " + i + " is " + mine[p][i] + ", the reference " + reference[p][i]);
                }
            }
        }
    }

    private static float[][] oneStep(SuiteModel model, Kernels kernels, int threads) {
        Sequential m = build(model, kernels);
        int batch = model.batchSize();
        Dataset data = data(m, batch);
        try (BatchEngine engine = engine(m, batch, kernels, threads)) {
            engine.computeGradients(objective(m, data), identity(batch), 0, batch, SEED);
            engine.applyUpdate(m.optimizer());
        }
        float[][] w = new float[m.getWeights().size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = m.getWeights().get(i).data();
        }
        return w;
    }
}
