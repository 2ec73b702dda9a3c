package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.layers.Padding;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * The speed suite's models (the seed LeNet, keras.io's mnist_convnet, an all-convolutional net
 * with strides 2, Keras's cifar10_cnn; see {@code ../shared/bench/torch_models.py}) with their
 * batch sizes, compiled as the suite trains them (Adam 0.001, sparse categorical cross-entropy),
 * and random data of their input shape: the model-level benchmarks time steps, whose speed does
 * not depend on the pixels. This class lives in the library's package {@code io.github.purecnn.model}
 * (a split package, fine on the class path) because {@link BatchEngine} is package-private.
 */
final class BenchModels {
    static final long SEED = 42;

    private BenchModels() {
    }

    /** The batch size the model trains with: {@code seed} 64, {@code convnet} 128, {@code strided} 64, {@code cifar} 32. */
    static int batch(String model) {
        return switch (model) {
            case "seed", "strided" -> 64;
            case "convnet" -> 128;
            case "cifar" -> 32;
            default -> throw unknown(model);
        };
    }

    /** The model, compiled, on these kernels. */
    static Sequential build(String model, Kernels kernels) {
        Sequential m = switch (model) {
            case "seed" -> LeNet.create(SEED);
            case "convnet" -> new Sequential(SEED, Shape.of(28, 28, 1),
                    new Conv2D(32, 3).activation(Activation.RELU), new MaxPooling2D(2),
                    new Conv2D(64, 3).activation(Activation.RELU), new MaxPooling2D(2),
                    new Flatten(), new Dropout(0.5), new Dense(10).activation(Activation.SOFTMAX));
            case "strided" -> new Sequential(SEED, Shape.of(28, 28, 1),
                    new Conv2D(16, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU),
                    new Conv2D(32, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU),
                    new Flatten(), new Dense(10).activation(Activation.SOFTMAX));
            case "cifar" -> new Sequential(SEED, Shape.of(32, 32, 3),
                    new Conv2D(32, 3).padding(Padding.SAME).activation(Activation.RELU),
                    new Conv2D(32, 3).activation(Activation.RELU), new MaxPooling2D(2), new Dropout(0.25),
                    new Conv2D(64, 3).padding(Padding.SAME).activation(Activation.RELU),
                    new Conv2D(64, 3).activation(Activation.RELU), new MaxPooling2D(2), new Dropout(0.25),
                    new Flatten(), new Dense(512).activation(Activation.RELU), new Dropout(0.5),
                    new Dense(10).activation(Activation.SOFTMAX));
            default -> throw unknown(model);
        };
        m.kernels(kernels);
        m.compile(new Adam(0.001), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        return m;
    }

    /** {@code images} random images of the model's input shape (pixels in [0, 1)) with random labels of 10 classes. */
    static Dataset data(Sequential model, int images) {
        SplittableRandom r = new SplittableRandom(7);
        Shape shape = model.inputShape();
        float[] x = new float[images * shape.size()];
        int[] y = new int[images];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        for (int i = 0; i < images; i++) {
            y[i] = r.nextInt(10);
        }
        return Dataset.of(new Tensor(Shape.of(images, shape.dim(0), shape.dim(1), shape.dim(2)), x), y, 10);
    }

    /** Training FLOPs of one image, as the suite counts them: 6 x the forward multiply-adds of the conv and dense layers. */
    static long trainingFlopsPerImage(Sequential model) {
        long macs = 0;
        for (Layer l : model.layers()) {
            if (l instanceof Conv2D conv) {
                macs += (long) conv.geometry().outPixels() * conv.filters() * conv.geometry().taps();
            } else if (l instanceof Dense d) {
                macs += (long) d.inputShape().size() * d.outputShape().size();
            }
        }
        return 6 * macs;
    }

    /** The images 0..n-1 in order. */
    static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** A fresh engine for the model's batch on these kernels and threads. */
    static BatchEngine engine(Sequential model, int batch, Kernels kernels, int threads) {
        return new BatchEngine(model.layers(), batch, kernels, threads, model.loss().fusesWithSoftmax());
    }

    /**
     * Checks that one training step on these kernels gives the reference kernels' weights bit for
     * bit (the canonical order of every sum makes every path equal); fails the run otherwise.
     */
    static void checkOneStep(String model, Kernels kernels, int threads) {
        float[][] mine = oneStep(model, kernels, threads);
        float[][] reference = oneStep(model, new io.github.purecnn.kernels.ReferenceKernels(), 1);
        for (int p = 0; p < mine.length; p++) {
            for (int i = 0; i < mine[p].length; i++) {
                if (Float.floatToRawIntBits(mine[p][i]) != Float.floatToRawIntBits(reference[p][i])) {
                    throw new IllegalStateException(model + " on " + kernels + ": after one step, weight array " + p
                            + " element " + i + " is " + mine[p][i] + ", the reference " + reference[p][i]);
                }
            }
        }
    }

    private static float[][] oneStep(String model, Kernels kernels, int threads) {
        Sequential m = build(model, kernels);
        int batch = batch(model);
        Dataset data = data(m, batch);
        try (BatchEngine engine = engine(m, batch, kernels, threads)) {
            engine.computeGradients(data, identity(batch), 0, batch, m.loss(), SEED);
            engine.applyUpdate(m.optimizer());
        }
        float[][] w = new float[m.getWeights().size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = m.getWeights().get(i).data();
        }
        return w;
    }

    private static IllegalArgumentException unknown(String model) {
        return new IllegalArgumentException("unknown model '" + model + "': seed, convnet, strided or cifar");
    }
}
