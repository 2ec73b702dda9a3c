package io.github.purecnn.spark;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The figures a Spark user needs to decide, on {@code local[2]}: images per second scored by
 * {@link ImageScorer} (a {@code Dataset<Row>} of raw pixels, and an RDD of float arrays) against
 * {@code Sequential.predict} in one JVM, the latency of an empty Spark job, and the skeleton of
 * a synchronous data-parallel training step (broadcast the parameters, one task per partition
 * returns a gradient-sized array, the driver sums them in partition order) for several model
 * sizes, rounds within one barrier stage (the alternative to a job per step), and the compute
 * time of one real training step of the seed model for scale.
 *
 * <p>Not a unit test: run it with {@code mvn -f purecnn-spark/pom.xml test-compile exec:exec}
 * (see the module's README). Every scoring round's results are checked bit for bit against
 * {@code Sequential.predict} before its time counts. Arguments: {@code --data DIR} (default
 * {@code ../mnist-data}), {@code --images N} (10000), {@code --rounds N} (7).
 */
public final class ScoringBenchmark {
    private static final PrintStream OUT = System.out;

    private ScoringBenchmark() {
    }

    /** Runs every measurement and prints one line per figure. */
    public static void main(String[] args) throws IOException {
        Path data = Path.of(option(args, "--data", "../mnist-data"));
        int images = Integer.parseInt(option(args, "--images", "10000"));
        int rounds = Integer.parseInt(option(args, "--rounds", "7"));
        Mnist.TrainTest mnist = Mnist.load(data);
        Dataset test = mnist.test().subset(0, images);
        Sequential model = LeNet.create(1);
        Path modelFile = Files.createTempFile("benchmark-", ".purecnn");
        model.save(modelFile);
        OUT.printf(Locale.ROOT, "%d MNIST test images, seed LeNet (%,d parameters), %d rounds, medians; kernels: %s%n",
                images, model.countParams(), rounds, model.kernels());

        float[] expected = model.predict(test).data();
        for (int threads : new int[] {1, 2}) {
            model.threads(threads);
            double s = median(rounds, () -> {
                float[] p = model.predict(test).data();
                check(Arrays.equals(p, expected), "predict");
            });
            report("Sequential.predict, one JVM, " + threads + (threads == 1 ? " thread" : " threads"), images, s);
        }

        SparkSession spark = SparkSession.builder().appName("purecnn-spark benchmark").master("local[2]")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            try (ImageScorer scorer = ImageScorer.load(spark.sparkContext(), modelFile)) {
                scoring(spark, jsc, scorer, test, expected, rounds);
            }
            emptyJobs(jsc);
            synchronousSteps(jsc, new int[] {(int) model.countParams(), 1_000_000, 10_000_000});
            barrierRounds(jsc, (int) model.countParams());
            trainingStep(mnist.train());
        } finally {
            spark.stop();
            Files.deleteIfExists(modelFile);
        }
    }

    private static void scoring(SparkSession spark, JavaSparkContext jsc, ImageScorer scorer, Dataset test,
                                float[] expected, int rounds) {
        int n = test.size();
        int classes = scorer.classes();
        List<Row> rows = new ArrayList<>();
        List<float[]> arrays = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] image = test.image(i);
            byte[] pixels = new byte[image.length];
            for (int j = 0; j < image.length; j++) {
                pixels[j] = (byte) Math.round(image[j] * 255f);   // back to the bytes that scaled to it
            }
            rows.add(RowFactory.create(i, pixels));
            arrays.add(image);
        }
        for (int partitions : new int[] {2, 8}) {
            StructType schema = new StructType().add("id", DataTypes.IntegerType).add("image", DataTypes.BinaryType);
            org.apache.spark.sql.Dataset<Row> frame = spark.createDataFrame(jsc.parallelize(rows, partitions), schema)
                    .cache();
            frame.count();
            double s = median(rounds, () -> {
                List<Row> scored = scorer.score(frame, ImageColumn.pixels("image")).select("probabilities").collectAsList();
                for (int i = 0; i < n; i++) {
                    float[] p = TestImages.floats(scored.get(i).getList(0));
                    check(Arrays.equals(p, Arrays.copyOfRange(expected, i * classes, (i + 1) * classes)), "row " + i);
                }
            });
            report("ImageScorer.score, local[2], " + partitions + " partitions (Dataset<Row>, raw pixels)", n, s);
            frame.unpersist();

            JavaRDD<float[]> rdd = jsc.parallelize(arrays, partitions).cache();
            rdd.count();
            s = median(rounds, () -> {
                List<Prediction> scored = scorer.predict(rdd).collect();
                for (int i = 0; i < n; i++) {
                    check(Arrays.equals(scored.get(i).probabilities(),
                            Arrays.copyOfRange(expected, i * classes, (i + 1) * classes)), "image " + i);
                }
            });
            report("ImageScorer.predict, local[2], " + partitions + " partitions (RDD of float[])", n, s);
            rdd.unpersist();
        }
    }

    private static void emptyJobs(JavaSparkContext jsc) {
        JavaRDD<Integer> two = jsc.parallelize(List.of(1, 2), 2);
        double s = median(51, () -> check(two.count() == 2, "count"));
        OUT.printf(Locale.ROOT, "%-75s %8.2f ms%n", "empty Spark job (2 tasks), local[2]", s * 1e3);
    }

    /**
     * A synchronous step without the compute: the driver broadcasts the parameters, each of two
     * tasks reads them and returns an array of their size, the driver sums the two in partition
     * order, and the broadcast is freed.
     */
    private static void synchronousSteps(JavaSparkContext jsc, int[] sizes) {
        JavaRDD<Integer> shards = jsc.parallelize(List.of(0, 1), 2);
        for (int size : sizes) {
            float[] parameters = new float[size];
            double s = median(21, () -> {
                Broadcast<float[]> shipped = jsc.broadcast(parameters);
                List<float[]> gradients = shards.map(shard -> {
                    float[] p = shipped.value();
                    float[] g = new float[p.length];
                    g[shard] = p[shard] + shard;
                    return g;
                }).collect();
                float[] sum = gradients.get(0).clone();
                float[] second = gradients.get(1);
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += second[i];
                }
                check(sum[1] == 1f, "sum");
                shipped.destroy();
            });
            OUT.printf(Locale.ROOT, "%-75s %8.2f ms%n", String.format(Locale.ROOT,
                    "synchronous step skeleton, %,d parameters, 2 tasks, local[2]", size), s * 1e3);
        }
    }

    /**
     * Steps inside one long-running barrier stage instead of a job per step: two tasks meet at
     * {@code BarrierTaskContext.barrier()}, or exchange a gradient-sized message (Base64 text, as
     * {@code allGather} takes strings) through the driver, once per round.
     */
    private static void barrierRounds(JavaSparkContext jsc, int parameters) {
        int rounds = 10;
        String gradient = Base64.getEncoder().encodeToString(new byte[4 * parameters]);
        for (boolean payload : new boolean[] {false, true}) {
            BarrierRounds stage = new BarrierRounds(rounds, payload ? gradient : null);
            double s = median(3, () -> check(jsc.parallelize(List.of(0, 1), 2).rdd().barrier()
                    .mapPartitions(stage, false, ClassTag$.MODULE$.apply(Integer.class)).count() == 2, "barrier tasks"));
            OUT.printf(Locale.ROOT, "%-75s %8.2f ms%n", payload
                    ? String.format(Locale.ROOT, "allGather of %,d parameters (Base64) per round, barrier stage", parameters)
                    : "barrier() per round, barrier stage of 2 tasks", s / rounds * 1e3);
        }
    }

    /** One task of a barrier stage: {@code rounds} meetings with the other tasks, exchanging {@code message} if not null. */
    private static final class BarrierRounds
            extends AbstractFunction1<scala.collection.Iterator<Integer>, scala.collection.Iterator<Integer>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int rounds;
        private final String message;

        BarrierRounds(int rounds, String message) {
            this.rounds = rounds;
            this.message = message;
        }

        @Override
        public scala.collection.Iterator<Integer> apply(scala.collection.Iterator<Integer> shard) {
            BarrierTaskContext task = BarrierTaskContext.get();
            for (int r = 0; r < rounds; r++) {
                if (message == null) {
                    task.barrier();
                } else {
                    check(task.allGather(message).length == 2, "allGather");
                }
            }
            return CollectionConverters.asScala(List.of(rounds).iterator());
        }
    }

    /** One real training step of the seed model (batch 64, Adam, 2 threads), for scale. */
    private static void trainingStep(Dataset train) {
        int steps = 100;
        Dataset subset = train.subset(0, steps * 64);
        Sequential model = LeNet.create(1).threads(2);
        model.compile(new Adam(0.001), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        FitOptions options = new FitOptions().epochs(1).batchSize(64).verbose(0);
        double s = median(5, () -> model.fit(subset, options));
        OUT.printf(Locale.ROOT, "%-75s %8.2f ms%n", "Sequential.fit step of the seed model, batch 64, 2 threads (compute)",
                s / steps * 1e3);
    }

    /** The median wall time of {@code rounds} runs, in seconds, after two unmeasured ones. */
    private static double median(int rounds, Runnable run) {
        run.run();
        run.run();
        double[] seconds = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            run.run();
            seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[rounds / 2];
    }

    private static void report(String what, int images, double seconds) {
        OUT.printf(Locale.ROOT, "%-75s %8.3f s %,10.0f images/s%n", what, seconds, images / seconds);
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("benchmark results differ from Sequential.predict: " + what);
        }
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
