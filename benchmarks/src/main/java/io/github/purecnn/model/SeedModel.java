package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;
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

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The Keras MNIST tutorial's LeNet-like model that purecnn promises to train faster than PyTorch,
 * and the MNIST data, for the model-level benchmarks. This class lives in the library's package
 * {@code io.github.purecnn.model} (a split package, fine on the class path) because
 * {@link BatchEngine} is package-private.
 */
final class SeedModel {
    static final int BATCH = 64;
    /** Training steps per epoch: 60,000 images in batches of 64. */
    static final int STEPS_PER_EPOCH = 938;
    static final long SEED = 42;

    private SeedModel() {
    }

    /** Conv2D 6@3x3 relu, AvgPool 2x2 same, Conv2D 16@3x3 relu, AvgPool 2x2 same, Flatten, Dense 120/84 relu, Dense 10 softmax; Adam. */
    static Sequential build(Kernels kernels) {
        Sequential model = new Sequential(SEED, Shape.of(28, 28, 1),
                new Conv2D(6, 3).activation(Activation.RELU),
                new AveragePooling2D(2).padding(Padding.SAME),
                new Conv2D(16, 3).activation(Activation.RELU),
                new AveragePooling2D(2).padding(Padding.SAME),
                new Flatten(),
                new Dense(120).activation(Activation.RELU),
                new Dense(84).activation(Activation.RELU),
                new Dense(10).activation(Activation.SOFTMAX));
        model.kernels(kernels);
        model.compile(new Adam(0.001), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        return model;
    }

    static Kernels kernels(String impl) {
        return switch (impl) {
            case "reference" -> new ReferenceKernels();
            case "java" -> new JavaKernels();
            case "vector" -> KernelsProvider.vector();
            default -> throw new IllegalArgumentException("unknown implementation " + impl);
        };
    }

    /** MNIST from the directory in the system property {@code purecnn.mnist}, default {@code mnist-data} (run from the repository root). */
    static Mnist.TrainTest mnist() {
        try {
            return Mnist.load(Path.of(System.getProperty("purecnn.mnist", "mnist-data")));
        } catch (IOException e) {
            throw new UncheckedIOException("MNIST not found: run from the repository root or set -Dpurecnn.mnist=DIR", e);
        }
    }

    /** The images 0..n-1 in order. */
    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /**
     * {@link #firstStepLoss} with the reference kernels, computed in a child JVM. Run in the JVM
     * being measured, the reference kernels would pass through the same call sites as the timed
     * ones (layers, optimizer, engine), and C2 then compiled those sites for both: with the Vector
     * API kernels a 2-thread step allocated about 74 KB per thread (vector operations left
     * boxed), where a JVM that never saw the reference kernels allocates nothing.
     */
    static double referenceFirstStepLoss() {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "-Dpurecnn.mnist=" + System.getProperty("purecnn.mnist", "mnist-data"), SeedModel.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = child.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("the reference run (" + String.join(" ", child.command()) + ") failed: " + out);
            }
            return Double.parseDouble(out.substring(out.lastIndexOf('\n') + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the reference run " + child.command(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the reference run", e);
        }
    }

    /** Prints {@link #firstStepLoss} with the reference kernels: the child JVM of {@link #referenceFirstStepLoss}. */
    public static void main(String[] args) {
        System.out.println(firstStepLoss(new ReferenceKernels(), mnist().train()));
    }

    /** One training step's mean loss over the first batch of {@code data}, on a fresh model with the given kernels. */
    static double firstStepLoss(Kernels kernels, Dataset data) {
        Sequential model = build(kernels);
        try (BatchEngine engine = new BatchEngine(model.layers(), BATCH, kernels, 1)) {
            engine.computeGradients(data, identity(BATCH), 0, BATCH, model.loss(), SEED);
            engine.applyUpdate(model.optimizer());
            engine.computeGradients(data, identity(BATCH), 0, BATCH, model.loss(), SEED);
            return engine.stepLossSum / BATCH;
        }
    }
}
