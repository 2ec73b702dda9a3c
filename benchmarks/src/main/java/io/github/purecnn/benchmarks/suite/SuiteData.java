package io.github.purecnn.benchmarks.suite;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The training images of the suite's models. MNIST is read once and shared by every MNIST model
 * of a run; the random images are drawn afresh from their fixed seed.
 */
public enum SuiteData {
    /** The first N MNIST training images (12,800 by default); the test set measures accuracy. */
    MNIST(12_800),
    /**
     * N uniform random 32x32x3 pixels in [0, 1) with uniform random labels of 10 classes (2,560
     * by default), seed 7: speed only, there is nothing to learn.
     */
    RANDOM_CIFAR(2_560);

    /** Seed of the random images (the PyTorch twins draw theirs from the same number). */
    static final long RANDOM_SEED = 7;
    private static final Shape CIFAR_IMAGE = Shape.of(32, 32, 3);
    private static final int CLASSES = 10;

    private final int defaultImages;

    SuiteData(int defaultImages) {
        this.defaultImages = defaultImages;
    }

    /** How many images an epoch trains on unless told otherwise. */
    public int defaultImages() {
        return defaultImages;
    }

    /** Loads MNIST for the MNIST models and keeps it for the rest of the run. */
    public static final class Source {
        private final Path mnistDir;
        private Mnist.TrainTest mnist;

        /** Images of the MNIST models come from {@code mnistDir}, read when first needed. */
        public Source(Path mnistDir) {
            this.mnistDir = mnistDir;
        }

        /**
         * The first {@code images} training images of {@code data}.
         *
         * @throws IOException naming the MNIST file that is missing or malformed
         * @throws IllegalArgumentException when MNIST has fewer images than asked for
         */
        public Dataset training(SuiteData data, int images) throws IOException {
            if (data == RANDOM_CIFAR) {
                return randomImages(images, CIFAR_IMAGE, RANDOM_SEED);
            }
            Dataset train = mnist().train();
            if (images > train.size()) {
                throw new IllegalArgumentException("asked for " + images + " images, but " + mnistDir
                        + " holds " + train.size() + " training images");
            }
            return train.subset(0, images);
        }

        /** The test images of {@code data}, or null when it has none (random images). */
        public Dataset test(SuiteData data) throws IOException {
            return data == MNIST ? mnist().test() : null;
        }

        private Mnist.TrainTest mnist() throws IOException {
            if (mnist == null) {
                mnist = Mnist.load(mnistDir);
            }
            return mnist;
        }
    }

    /** {@code count} images of {@code sample} shape, pixels uniform in [0, 1), labels uniform. */
    static Dataset randomImages(int count, Shape sample, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[Math.multiplyExact(count, sample.size())];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat();
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = random.nextInt(CLASSES);
        }
        Tensor images = new Tensor(sample.withBatch(count), pixels);
        return Dataset.of(images, labels, CLASSES);
    }
}
