package io.github.purecnn.spark;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.data.PixelScale;
import io.github.purecnn.data.Targets;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.layers.Padding;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;

/**
 * The figures a user needs to choose how to train on Spark, on {@code local[2]}: for the seed
 * LeNet (81,194 parameters, MNIST) and Keras's cifar10_cnn (1,250,858 parameters, random 32 x 32
 * colour images), one epoch of {@code Sequential.fit} in one JVM (1 and 2 threads) against
 * {@link ImageTrainer} on 2 partitions in each mode: time per step, what a step job costs beyond
 * its compute, the per-epoch placement of the images, and images per second. Synchronous
 * training's weights are checked bit for bit against fit's before its time counts.
 *
 * <p>Not a unit test: {@code mvn -f purecnn-spark/pom.xml test-compile exec:exec
 * -Dbenchmark.main=io.github.purecnn.spark.TrainingBenchmark} (see the module's README).
 * Arguments: {@code --data DIR} (default {@code ../mnist-data}), {@code --steps N} (LeNet's steps
 * per epoch, 100; cifar10_cnn gets a fifth), {@code --rounds N} (3), {@code --batch N} (64).
 */
public final class TrainingBenchmark {
    private static final PrintStream OUT = System.out;
    private static final long SEED = 1;

    private TrainingBenchmark() {
    }

    /** Runs every measurement and prints one line per figure. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(option(args, "--data", "../mnist-data"));
        int steps = Integer.parseInt(option(args, "--steps", "100"));
        int rounds = Integer.parseInt(option(args, "--rounds", "3"));
        int batch = Integer.parseInt(option(args, "--batch", "64"));
        SparkSession spark = SparkSession.builder().appName("purecnn-spark training benchmark").master("local[2]")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            Dataset mnist = Mnist.load(dir).train();
            byte[] digits = bytes(mnist, steps * batch);
            measure(spark, "seed LeNet", seed -> compiled(LeNet.create(seed)), Shape.of(28, 28, 1), digits,
                    mnist.labels(), batch, rounds);
            int colourImages = Math.max(1, steps / 5) * batch;
            SplittableRandom random = new SplittableRandom(7);
            byte[] colour = new byte[colourImages * 32 * 32 * 3];
            random.nextBytes(colour);
            int[] labels = random.ints(colourImages, 0, 10).toArray();
            measure(spark, "cifar10_cnn", seed -> compiled(cifar10Cnn(seed)), Shape.of(32, 32, 3), colour, labels, batch,
                    rounds);
        } finally {
            spark.stop();
        }
    }

    private static void measure(SparkSession spark, String name, LongFunction<Sequential> model, Shape shape,
                                byte[] pixels, int[] allLabels, int batch, int rounds) {
        int n = pixels.length / shape.size();
        int[] labels = Arrays.copyOf(allLabels, n);
        Dataset local = Dataset.ofBytes(pixels, shape, PixelScale.UNIT, Targets.classes(labels, 10));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create(i, Arrays.copyOfRange(pixels, i * shape.size(), (i + 1) * shape.size()), labels[i]));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("image", DataTypes.BinaryType)
                .add("label", DataTypes.IntegerType);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        org.apache.spark.sql.Dataset<Row> frame = spark.createDataFrame(jsc.parallelize(rows, 2), schema).cache();
        frame.count();
        int steps = (n + batch - 1) / batch;
        long params = model.apply(SEED).countParams();
        OUT.printf(Locale.ROOT, "%n%s: %,d parameters, %,d images, batch %d, %d steps per epoch, %d rounds, medians%n",
                name, params, n, batch, steps, rounds);
        FitOptions oneEpoch = new FitOptions().epochs(1).batchSize(batch).verbose(0);

        Sequential reference = model.apply(SEED).threads(2);
        reference.fit(local, oneEpoch);
        double[] fitSeconds = new double[3];
        for (int threads : new int[] {1, 2}) {
            fitSeconds[threads] = median(rounds, () -> model.apply(SEED).threads(threads).fit(local, oneEpoch).seconds());
            OUT.printf(Locale.ROOT, "  %-58s %8.1f ms/step %9.0f images/s%n", "Sequential.fit, one JVM, " + threads
                    + (threads == 1 ? " thread" : " threads"), fitSeconds[threads] * 1e3 / steps, n / fitSeconds[threads]);
        }
        for (TrainingMode mode : new TrainingMode[] {TrainingMode.synchronous(), TrainingMode.largerBatches(),
                TrainingMode.averaging(10)}) {
            ImageTrainer trainer = new ImageTrainer().partitions(2).mode(mode);
            List<TrainingStatistics> runs = new ArrayList<>();
            List<double[]> tasks = new ArrayList<>();
            for (int r = 0; r < rounds + 1; r++) {
                Sequential trained = model.apply(SEED);
                TaskTimes times = new TaskTimes();
                spark.sparkContext().addSparkListener(times);
                try {
                    trainer.fit(trained, frame, ImageColumn.pixels("image"), "label", oneEpoch);
                } finally {
                    spark.sparkContext().removeSparkListener(times);
                }
                if (mode.sameWeightsAsFit()) {
                    for (int w = 0; w < trained.getWeights().size(); w++) {
                        if (!Arrays.equals(trained.getWeights().get(w).data(), reference.getWeights().get(w).data())) {
                            throw new IllegalStateException("synchronous training differs from fit in weight " + w);
                        }
                    }
                }
                if (r > 0) {                         // the first round warms up
                    runs.add(trainer.lastStatistics());
                    tasks.add(times.means());
                }
            }
            double placing = median(runs, TrainingStatistics::placingSeconds);
            double jobs = median(runs, TrainingStatistics::jobSeconds);
            double updates = median(runs, TrainingStatistics::updateSeconds);
            double reading = median(runs, TrainingStatistics::readingSeconds);
            long jobCount = runs.get(0).jobs();
            double epoch = placing + jobs + updates;
            OUT.printf(Locale.ROOT, "  %-58s %8.1f ms/step %9.0f images/s%n", "ImageTrainer, local[2], 2 partitions, "
                    + label(mode), epoch * 1e3 / runs.get(0).steps(), n / epoch);
            OUT.printf(Locale.ROOT, "      %d jobs of %.1f ms (driver's updates %.2f ms each), placing the images %.0f ms"
                    + " per epoch, reading once %.0f ms%n", jobCount, jobs * 1e3 / jobCount, updates * 1e3 / jobCount,
                    placing * 1e3, reading * 1e3);
            OUT.printf(Locale.ROOT, "      a step task: %.1f ms of CPU, %.1f ms running, %.1f ms from launch to end%n",
                    median(tasks, 0), median(tasks, 1), median(tasks, 2));
        }
        frame.unpersist();
    }

    private static double median(List<double[]> values, int index) {
        double[] v = values.stream().mapToDouble(a -> a[index]).sorted().toArray();
        return v[v.length / 2];
    }

    /** Adds up the times of the tasks of training's step (or round) jobs, as Spark measures them. */
    private static final class TaskTimes extends StepStages {
        private final DoubleAdder cpu = new DoubleAdder();
        private final DoubleAdder running = new DoubleAdder();
        private final DoubleAdder launchToEnd = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        TaskTimes() {
            super(", step");                    // synchronous steps and rounds of local steps
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd task) {
            if (isStepStage(task.stageId()) && task.taskMetrics() != null) {
                cpu.add(task.taskMetrics().executorCpuTime() / 1e6);
                running.add(task.taskMetrics().executorRunTime());
                launchToEnd.add(task.taskInfo().finishTime() - task.taskInfo().launchTime());
                count.increment();
            }
        }

        /** Mean milliseconds per task: CPU, running, launch to end. */
        double[] means() {
            long n = Math.max(1, count.sum());
            return new double[] {cpu.sum() / n, running.sum() / n, launchToEnd.sum() / n};
        }
    }

    private static String label(TrainingMode mode) {
        return switch (mode.kind()) {
            case SYNCHRONOUS -> "synchronous";
            case LARGER_BATCHES -> "larger batches (x2)";
            case AVERAGING -> "averaging every " + mode.localSteps() + " steps";
        };
    }

    private static Sequential compiled(Sequential model) {
        return model.compile(new Adam(0.001), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
    }

    /** Keras's cifar10_cnn (the model suite's), 1,250,858 parameters. */
    private static Sequential cifar10Cnn(long seed) {
        return new Sequential(seed, Shape.of(32, 32, 3),
                new Conv2D(32, 3).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(32, 3).activation(Activation.RELU),
                new MaxPooling2D(2),
                new Dropout(0.25),
                new Conv2D(64, 3).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(64, 3).activation(Activation.RELU),
                new MaxPooling2D(2),
                new Dropout(0.25),
                new Flatten(),
                new Dense(512).activation(Activation.RELU),
                new Dropout(0.5),
                new Dense(10).activation(Activation.SOFTMAX));
    }

    /** The first {@code n} images of a byte-backed data set, as the bytes that scale to its values. */
    private static byte[] bytes(Dataset data, int n) {
        byte[] out = new byte[n * data.sampleShape().size()];
        for (int i = 0; i < n; i++) {
            float[] image = data.image(i);
            for (int j = 0; j < image.length; j++) {
                out[i * image.length + j] = (byte) Math.round(image[j] * 255f);
            }
        }
        return out;
    }

    private interface Timed {
        double seconds();
    }

    /** The median of {@code rounds} timings after one unmeasured. */
    private static double median(int rounds, Timed run) {
        run.seconds();
        double[] s = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            s[r] = run.seconds();
        }
        Arrays.sort(s);
        return s[rounds / 2];
    }

    private static double median(List<TrainingStatistics> runs, ToDoubleFunction<TrainingStatistics> value) {
        double[] v = runs.stream().mapToDouble(value).sorted().toArray();
        return v[v.length / 2];
    }

    private static String option(String[] args, String name, String otherwise) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }
}
