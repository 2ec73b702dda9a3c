package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.image.FillMode;
import io.github.purecnn.image.Interpolation;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.ActivationLayer;
import io.github.purecnn.layers.BatchNormalization;
import io.github.purecnn.layers.DepthwiseConv2D;
import io.github.purecnn.layers.GlobalAveragePooling2D;
import io.github.purecnn.layers.LeakyReLU;
import io.github.purecnn.layers.SeparableConv2D;
import io.github.purecnn.layers.SpatialDropout2D;
import io.github.purecnn.layers.AveragePooling2D;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.layers.Normalization;
import io.github.purecnn.layers.Padding;
import io.github.purecnn.layers.RandomContrast;
import io.github.purecnn.layers.RandomCrop;
import io.github.purecnn.layers.RandomFlip;
import io.github.purecnn.layers.RandomRotation;
import io.github.purecnn.layers.RandomTranslation;
import io.github.purecnn.layers.RandomZoom;
import io.github.purecnn.layers.Rescaling;
import io.github.purecnn.layers.Resizing;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The canonical order of every sum at work: the same seed trains to the same weights, bit for bit,
 * on the reference kernels, the plain-Java path and the Vector API path (whatever its vector width),
 * with one thread or two, although the paths run different plans (the reference path even fuses
 * the first convolution with its pooling, also behind preprocessing layers). The preprocessing
 * layers' random draws follow the model's seed, the step and the shard, never the thread. A
 * CIFAR-style model with batch normalisation trains 2 epochs in batches of 64 and 32 (four shards,
 * then two): its batch statistics, summed across shards in shard order, and its moving averages
 * come out the same bits too.
 */
class SameBitsOnEveryPathTest {

    static Stream<Arguments> models() {
        Supplier<Sequential> lenet = () -> LeNet.create(5);
        Supplier<Sequential> convnet = () -> new Sequential(5, Shape.of(28, 28, 1),
                new Conv2D(8, 3).activation(Activation.RELU), new MaxPooling2D(2),
                new Conv2D(12, 3).activation(Activation.RELU), new MaxPooling2D(2),
                new Flatten(), new Dropout(0.5), new Dense(10).activation(Activation.SOFTMAX));
        Supplier<Sequential> strided = () -> new Sequential(5, Shape.of(28, 28, 1),
                new Conv2D(6, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(10, 3).strides(2).padding(Padding.SAME).dilationRate(1).activation(Activation.TANH),
                new AveragePooling2D(3).strides(2).padding(Padding.SAME),
                new Flatten(), new Dense(10).activation(Activation.SOFTMAX));
        Supplier<Sequential> augmented = () -> new Sequential(5, Shape.of(28, 28, 1),
                new Rescaling(2, -0.5), new Normalization().meanAndVariance(new double[] {0.1}, new double[] {0.2}),
                new RandomFlip(), new RandomTranslation(0.1, 0.15), new RandomRotation(0.05).fillMode(FillMode.CONSTANT),
                new RandomZoom(0.2, 0.1).interpolation(Interpolation.NEAREST), new RandomContrast(0.3).valueRange(-3, 3),
                new RandomCrop(24, 24), new Resizing(20, 20),
                new Conv2D(6, 3).activation(Activation.RELU), new MaxPooling2D(2),
                new Flatten(), new Dense(10).activation(Activation.SOFTMAX));
        // CIFAR-sized images through the layers of issue 17: batch normalisation (batch statistics
        // summed across shards), separable and depthwise convolutions, GELU, global pooling
        Supplier<Sequential> cifar = () -> new Sequential(5, Shape.of(32, 32, 3),
                new Conv2D(8, 3).padding(Padding.SAME), new BatchNormalization(), new ActivationLayer(Activation.RELU),
                new Conv2D(8, 3).padding(Padding.SAME).useBias(false), new BatchNormalization(), new LeakyReLU(),
                new MaxPooling2D(2), new SpatialDropout2D(0.1),
                new SeparableConv2D(16, 3).padding(Padding.SAME), new BatchNormalization(), new ActivationLayer(Activation.GELU),
                new MaxPooling2D(2),
                new DepthwiseConv2D(3).padding(Padding.SAME).depthMultiplier(2).activation(Activation.RELU),
                new GlobalAveragePooling2D(), new Dropout(0.2), new Dense(10).activation(Activation.SOFTMAX));
        return Stream.of(Arguments.of(Named.of("seed LeNet", lenet), Named.of("stripes 28x28x1", digits())),
                Arguments.of(Named.of("convnet with dropout", convnet), Named.of("stripes 28x28x1", digits())),
                Arguments.of(Named.of("strided, tanh, overlapping pooling", strided), Named.of("stripes 28x28x1", digits())),
                Arguments.of(Named.of("every preprocessing layer in front of a convnet", augmented),
                        Named.of("stripes 28x28x1", digits())),
                Arguments.of(Named.of("CIFAR-style with BatchNormalization", cifar), Named.of("stripes 32x32x3", colours())));
    }

    /** Noise images of 32x32x3 whose class is a bright band of rows in one of the channels. */
    private static Supplier<Dataset> colours() {
        return () -> {
            SplittableRandom r = new SplittableRandom(4);
            int n = 96;                     // batches of 64 (four shards) and 32 (two)
            int size = 32 * 32 * 3;
            float[] x = new float[n * size];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextInt(10);
                for (int p = 0; p < size; p++) {
                    int row = p / (32 * 3), channel = p % 3;
                    boolean lit = channel == y[i] % 3 && row / 8 == y[i] / 3;
                    x[i * size + p] = (float) (r.nextDouble() * 0.3 + (lit ? 0.7 : 0));
                }
            }
            return Dataset.of(new Tensor(Shape.of(n, 32, 32, 3), x), y, 10);
        };
    }

    private static Supplier<Dataset> digits() {
        return SameBitsOnEveryPathTest::data;
    }

    /** 200 noise images of 28x28x1 with a bright stripe whose row says the class. */
    static Dataset data() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 200;
        float[] x = new float[n * 784];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(10);
            for (int p = 0; p < 784; p++) {
                x[i * 784 + p] = (float) (r.nextDouble() * 0.3 + (p / 28 / 3 == y[i] ? 0.7 : 0));
            }
        }
        return Dataset.of(new Tensor(Shape.of(n, 28, 28, 1), x), y, 10);
    }

    private static float[][] train(Supplier<Sequential> make, Kernels kernels, int threads, Dataset data) {
        Sequential m = make.get().kernels(kernels).threads(threads);
        m.compile(new Adam(0.003), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        m.fit(data, new FitOptions().epochs(2).batchSize(64).verbose(0));
        // every weight, the moving averages of batch normalisation included
        List<Tensor> w = m.getWeights();
        float[][] out = new float[w.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = w.get(i).data();
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyPathAndThreadCountTrainsToTheSameBits(Supplier<Sequential> make, Supplier<Dataset> images) {
        Dataset data = images.get();
        float[][] reference = train(make, new ReferenceKernels(), 1, data);
        for (Kernels k : new Kernels[] {new JavaKernels(), KernelsProvider.vector()}) {
            for (int threads : new int[] {1, 2}) {
                float[][] w = train(make, k, threads, data);
                for (int p = 0; p < w.length; p++) {
                    for (int i = 0; i < w[p].length; i++) {
                        int at = i;
                        int param = p;
                        assertEquals(Float.floatToRawIntBits(reference[p][i]), Float.floatToRawIntBits(w[p][i]),
                                () -> k + ", " + threads + " threads: weight array " + param + "[" + at + "]");
                    }
                }
            }
        }
    }

    /**
     * The training options beside the architecture keep the bits too: one-hot float targets with
     * binary cross-entropy through a sigmoid output (the fused gradient), sample weights, weight
     * penalties and AdamW with global norm clipping (whose norm is summed over chunks in order).
     */
    @org.junit.jupiter.api.Test
    void weightedRegularizedClippedTrainingIsTheSameOnEveryPath() {
        Dataset labelled = data();
        Dataset data = Dataset.of(labelled.images(), io.github.purecnn.data.Targets.oneHot(labelled.labels(), 10));
        float[] weights = new float[data.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 0.5f + (i % 4) * 0.25f;
        }
        float[][] reference = null;
        for (Kernels k : new Kernels[] {new ReferenceKernels(), new JavaKernels(), KernelsProvider.vector()}) {
            for (int threads : new int[] {1, 2}) {
                Sequential m = new Sequential(5, Shape.of(28, 28, 1),
                        new Conv2D(6, 3).strides(2).activation(Activation.RELU)
                                .kernelRegularizer(io.github.purecnn.regularizers.Regularizer.l1l2(1e-4, 1e-3)),
                        new MaxPooling2D(2), new Flatten(),
                        new Dense(10).activation(Activation.SIGMOID)
                                .biasRegularizer(io.github.purecnn.regularizers.Regularizer.l2(0.01)))
                        .kernels(k).threads(threads);
                m.compile(new io.github.purecnn.optimizers.AdamW(0.003).globalClipnorm(0.5), Loss.binaryCrossentropy(),
                        Metric.ACCURACY);
                m.fit(data, new FitOptions().epochs(2).batchSize(64).verbose(0).sampleWeight(weights));
                List<Tensor> w = m.getWeights();
                float[][] trained = new float[w.size()][];
                for (int p = 0; p < trained.length; p++) {
                    trained[p] = w.get(p).data();
                }
                if (reference == null) {
                    reference = trained;
                    continue;
                }
                for (int p = 0; p < trained.length; p++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(reference[p], trained[p],
                            k + ", " + threads + " threads: weight array " + p);
                }
            }
        }
    }
}
