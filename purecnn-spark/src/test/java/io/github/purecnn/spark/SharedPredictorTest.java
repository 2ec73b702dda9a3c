package io.github.purecnn.spark;

import io.github.purecnn.layers.BatchNormalization;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.Sequential;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent tasks of one executor ({@code local[2]}, 5 partitions) score through one shared
 * predictor, each on its own thread, and give bit for bit what {@code Sequential.predict} gives
 * for the same rows on the driver, for a trained model whose inference differs from its training
 * (BatchNormalization's moving statistics, Dropout).
 */
class SharedPredictorTest {
    private static final int IMAGES = 200;
    private static final int PARTITIONS = 5;

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static JavaSparkContext jsc;
    private static TrainingData data;
    private static Path modelFile;
    /** What the core predicts for the images, all in one call. */
    private static float[] expected;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.session();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        data = new TrainingData(31, IMAGES);
        Sequential model = TrainingData.model(32, true, List.of(new BatchNormalization(), new ForwardWatch()));
        // Trained, so that the moving statistics are the data's, not BatchNormalization's initial 0 and 1.
        model.fit(data.local(), new FitOptions().epochs(2).batchSize(40).verbose(0));
        modelFile = dir.resolve("watched.purecnn");
        model.save(modelFile);
        expected = model.predict(data.local()).data();
    }

    @AfterEach
    void disarm() {
        ForwardWatch.disarm();
    }

    @Test
    void concurrentTasksShareOnePredictorAndScoreAsPredict() throws IOException {
        // Both task threads meet in a forward pass of the shared predictor, unless it may run only one call at once.
        int meeting = Math.min(2, Runtime.getRuntime().availableProcessors());
        long loadsBefore = ExecutorModels.SHARED.loads();
        try (ImageScorer scorer = ImageScorer.load(spark.sparkContext(), modelFile)) {
            ForwardWatch.arm(meeting);
            // Batches of 7: six calls of one shard per partition of 40 rows.
            List<Row> rows = scorer.batchSize(7).score(data.frame(spark, PARTITIONS), ImageColumn.pixels("image"))
                    .collectAsList();
            assertWatched(meeting);
            ForwardWatch.arm(meeting);
            // Batches of 37: two calls per partition, the first of three shards.
            List<Prediction> predictions = scorer.batchSize(37).predict(floats()).collect();
            assertWatched(meeting);

            assertEquals(IMAGES, rows.size());
            assertEquals(IMAGES, predictions.size());
            for (int i = 0; i < IMAGES; i++) {
                Row row = rows.get(i);
                assertEquals(i, row.getInt(0), "rows keep their order");
                float[] want = Arrays.copyOfRange(expected, i * TrainingData.CLASSES, (i + 1) * TrainingData.CLASSES);
                assertArrayEquals(want, TestImages.floats(row.getList(row.fieldIndex("probabilities"))), "row " + i);
                assertArrayEquals(want, predictions.get(i).probabilities(), "image " + i);
                assertEquals(ScoringIterator.argmax(want), row.getInt(row.fieldIndex("prediction")), "row " + i);
                assertEquals(ScoringIterator.argmax(want), predictions.get(i).predictedClass(), "image " + i);
            }
        }
        assertEquals(1, ExecutorModels.SHARED.loads() - loadsBefore, "one load for both jobs and all their tasks");
    }

    /** Every forward pass ran on a task thread, in one model's layer, and {@code meeting} of them at once. */
    private static void assertWatched(int meeting) {
        assertEquals(0, ForwardWatch.offTaskThreads(), "forward passes on threads other than the tasks'");
        assertTrue(ForwardWatch.onTaskThreads() >= PARTITIONS, "forward passes on task threads: "
                + ForwardWatch.onTaskThreads());
        assertEquals(1, ForwardWatch.instances(), "instances of the model that the tasks ran");
        assertEquals(meeting, ForwardWatch.mostInFlight(), "forward passes at once");
    }

    /** The images as an RDD of float arrays, in {@code PARTITIONS} partitions. */
    private static JavaRDD<float[]> floats() {
        float[] scaled = TestImages.scaled(data.pixels);
        int size = TrainingData.IMAGE.size();
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            images.add(Arrays.copyOfRange(scaled, i * size, (i + 1) * size));
        }
        return jsc.parallelize(images, PARTITIONS);
    }
}
