package io.github.purecnn.benchmarks;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.DatasetFile;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.data.PixelScale;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.EpochLog;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.History;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains the seed model on a data set larger than the heap, read from a memory-mapped
 * {@link DatasetFile}, then the same model on the same 60,000 digits from the file and from
 * memory, alternated in three rounds, and prints images per second for each (a main class, not
 * JMH: one epoch is the unit, and the point is that it runs at all under a small heap):
 * <pre>
 * java -Xmx256m --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.github.purecnn.benchmarks.StreamedTraining FILE GIB [EPOCHS] [MNIST_DIR]
 * </pre>
 * FILE is written first if it does not exist (or holds another size): the MNIST training digits,
 * repeated until it holds {@code GIB} gibibytes of pixels (1 GiB is 1,369,568 images of 28 x 28),
 * one digit at a time through {@link DatasetFile#writeBytes}. Delete it afterwards.
 */
public final class StreamedTraining {
    private static final int PIXELS = 28 * 28;
    private static final int ROUNDS = 3;

    private StreamedTraining() {
    }

    /** Runs the comparison; the arguments are FILE GIB [EPOCHS] [MNIST_DIR], as in the class comment. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 4) {
            System.err.println("usage: StreamedTraining FILE GIB [EPOCHS] [MNIST_DIR]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        double gib = Double.parseDouble(args[1]);
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Mnist.TrainTest mnist = Mnist.load(Path.of(args.length > 3 ? args[3] : "mnist-data"));
        int count = (int) Math.ceil(gib * (1L << 30) / PIXELS);
        System.out.printf(Locale.ROOT, "heap limit %d MiB, %d processors%n", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        ensureFile(file, count, mnist.train());
        Dataset streamed = DatasetFile.open(file);
        System.out.printf(Locale.ROOT, "%s: %s, %s, %.2f GiB%n", file, streamed, streamed.storage(),
                Files.size(file) / (double) (1L << 30));

        // The whole file once: it trains, under the small heap.
        report("memory-mapped, whole file", streamed, mnist.test(), epochs);
        // Then the same 60,000 digits both ways, alternated, so that a busy host or the JIT's
        // warm-up does not favour one side: the file's first 60,000 images are MNIST's training
        // digits in order, so both runs do the same work and must give the same loss bit for bit.
        Dataset mappedDigits = streamed.subset(0, mnist.train().size());
        for (int round = 1; round <= ROUNDS; round++) {
            double inMemory = report("in memory, round " + round, mnist.train(), null, epochs);
            double mapped = report("mapped, round " + round, mappedDigits, null, epochs);
            System.out.println(inMemory == mapped ? "  same loss both ways" : "  LOSSES DIFFER: " + inMemory + " vs "
                    + mapped);
        }
    }

    /** Writes the file unless it already holds {@code count} images. */
    private static void ensureFile(Path file, int count, Dataset digits) throws IOException {
        if (Files.exists(file)) {
            try {
                if (DatasetFile.open(file).size() == count) {
                    return;
                }
            } catch (IOException e) {
                System.out.println("rewriting " + file + ": " + e.getMessage());
            }
        }
        long start = System.nanoTime();
        float[] image = new float[PIXELS];
        DatasetFile.writeBytes(file, count, digits.sampleShape(), PixelScale.UNIT, Mnist.NUM_CLASSES, (i, sample) -> {
            int d = i % digits.size();
            digits.copyImages(null, d, 1, image);
            for (int p = 0; p < PIXELS; p++) {
                sample[p] = (byte) Math.round(image[p] * 255);   // byte / 255f back to the byte, exactly
            }
            return digits.label(d);
        });
        System.out.printf(Locale.ROOT, "wrote %d images to %s in %.1f s%n", count, file,
                (System.nanoTime() - start) / 1e9);
    }

    /** Trains a fresh seed model on {@code train}, prints each epoch, evaluates on {@code test} if given; the last loss. */
    private static double report(String what, Dataset train, Dataset test, int epochs) {
        Sequential model = LeNet.create(1).compile(new Adam(0.001), Loss.sparseCategoricalCrossentropy(),
                Metric.ACCURACY);
        History history = model.fit(train, new FitOptions().epochs(epochs).batchSize(64).verbose(0));
        for (EpochLog e : history.epochs()) {
            System.out.printf(Locale.ROOT, "%-26s epoch %d: %,d images in %.1f s = %,.0f images/s, loss %.6f,"
                            + " accuracy %.4f, heap used %d MiB%n", what, e.epoch(), train.size(), e.seconds(),
                    train.size() / e.seconds(), e.loss(), e.accuracy(), usedHeapMiB());
        }
        if (test != null) {
            System.out.printf(Locale.ROOT, "%-26s test accuracy %.4f%n", what, model.evaluate(test).accuracy());
        }
        return history.last().loss();
    }

    private static long usedHeapMiB() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) >> 20;
    }
}
