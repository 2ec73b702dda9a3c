package io.github.purecnn.spark;

import io.github.purecnn.model.BatchLog;
import io.github.purecnn.model.Callback;
import io.github.purecnn.model.EpochLog;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.ModelCheckpoint;
import io.github.purecnn.model.Sequential;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilled;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults during training on Spark ({@code local[2,4]}: a failed task is tried up to 4 times):
 * step tasks killed and run again, cached data lost (as with a lost executor) and a failed first
 * attempt at reading it again leave fit's weights unchanged; a task that keeps failing fails the
 * training naming its cause, and the last checkpoint loads and resumes to fit's weights.
 */
class FaultTest {
    private static final long SEED = 11;
    private static final int BATCH = 40;
    private static final int EPOCHS = 3;
    /** The source partition whose reading fails when armed. */
    private static final int FAILING_PARTITION = 1;

    /** Armed: the next first attempt at reading the failing partition fails, once. */
    private static volatile boolean failNextFirstAttempt;
    /** Armed: every attempt at reading the failing partition fails. */
    private static volatile boolean failAlways;
    private static final AtomicInteger injected = new AtomicInteger();
    private static final AtomicInteger reads = new AtomicInteger();

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static JavaSparkContext jsc;
    private static TrainingData data;
    /** fit's model after each number of epochs: [e] after e + 1 epochs */
    private static Sequential[] fitted;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.session();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        data = new TrainingData(4, TrainingData.IMAGES);
        fitted = new Sequential[EPOCHS];
        for (int e = 0; e < EPOCHS; e++) {
            fitted[e] = TrainingData.model(SEED, true);
            fitted[e].fit(data.local(), options(e + 1));
        }
    }

    @BeforeEach
    @AfterEach
    void disarm() {
        TaskFailures.arm(TaskFailures.Mode.NEVER);
        failNextFirstAttempt = false;
        failAlways = false;
        injected.set(0);
        reads.set(0);
    }

    private static FitOptions options(int epochs) {
        return new FitOptions().epochs(epochs).batchSize(BATCH).verbose(0);
    }

    /** The training rows, read through a step that fails as armed. */
    private static org.apache.spark.sql.Dataset<Row> source() {
        JavaRDD<Row> rows = data.rows(jsc, 3).mapPartitions(FaultTest::readPartition);
        return spark.createDataFrame(rows, TrainingData.schema());
    }

    private static Iterator<Row> readPartition(Iterator<Row> rows) {
        TaskContext task = TaskContext.get();
        if (task.partitionId() == FAILING_PARTITION) {
            reads.incrementAndGet();
            if (failAlways || failNextFirstAttempt && task.attemptNumber() == 0) {
                failNextFirstAttempt = false;
                injected.incrementAndGet();
                throw new IllegalStateException("injected failure of partition " + FAILING_PARTITION + ", attempt "
                        + task.attemptNumber());
            }
        }
        return rows;
    }

    /** Drops every cached block (the training data and the epoch's placed images), as a lost executor would; the RDDs stay marked for caching. */
    private static void loseCachedData() {
        for (JavaRDD<?> rdd : jsc.getPersistentRDDs().values()) {
            StorageLevel level = rdd.getStorageLevel();
            rdd.unpersist(true);
            rdd.persist(level);
        }
    }

    @Test
    void killedStepTasksRunAgainToTheSameWeights() {
        StepTaskKiller killer = new StepTaskKiller(spark.sparkContext());
        spark.sparkContext().addSparkListener(killer);
        Sequential trained = TrainingData.model(SEED, true);
        try {
            new ImageTrainer().partitions(2).fit(trained, source(), ImageColumn.pixels("image"), "label",
                    options(EPOCHS));
        } finally {
            spark.sparkContext().removeSparkListener(killer);
        }
        TrainingData.assertSameModel(fitted[EPOCHS - 1], trained);
        assertTrue(killer.requested.get() >= 18, "every first attempt of the 9 steps' 2 tasks: " + killer.requested);
        assertTrue(killer.killed.get() > 0, "no kill landed before its task ended (" + killer.requested + " asked)");
    }

    @Test
    void lostDataAndAFailedAttemptChangeNothing() {
        Sequential trained = TrainingData.model(SEED, true);
        Callback faults = new Callback() {
            @Override
            public void onEpochEnd(int epoch, EpochLog log) {
                if (epoch == 1) {
                    loseCachedData();                   // epoch 2 reads the source again...
                    failNextFirstAttempt = true;        // ...and the first attempt at a partition fails
                }
            }

            @Override
            public void onBatchEnd(int epoch, int batch, int batches, BatchLog logs) {
                if (epoch == 2 && batch == 1) {
                    loseCachedData();                   // the rest of epoch 2 places its images again
                }
            }
        };
        new ImageTrainer().partitions(2).fit(trained, source(), ImageColumn.pixels("image"), "label",
                options(EPOCHS).callbacks(faults));
        TrainingData.assertSameModel(fitted[EPOCHS - 1], trained);
        assertEquals(1, injected.get(), "one failed attempt");
        assertTrue(reads.get() >= 4, "the source read for its indexes, cached, read again and retried: " + reads);
    }

    @Test
    void aTaskThatKeepsFailingFailsTrainingAndTheCheckpointResumes() throws IOException {
        Path checkpoint = dir.resolve("checkpoint.purecnn");
        Sequential trained = TrainingData.model(SEED, true);
        Callback faults = new Callback() {
            @Override
            public void onEpochEnd(int epoch, EpochLog log) {
                if (epoch == 1) {
                    loseCachedData();
                    failAlways = true;
                }
            }
        };
        TrainingFailedException e = assertThrows(TrainingFailedException.class, () -> new ImageTrainer().partitions(2)
                .fit(trained, source(), ImageColumn.pixels("image"), "label",
                        options(EPOCHS).callbacks(new ModelCheckpoint(checkpoint), faults)));
        assertTrue(e.getMessage().startsWith("model 'sequential': epoch 2 of 3, placing its images failed"), e.getMessage());
        assertTrue(e.getMessage().contains("failed 4 times"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.IllegalStateException: injected failure of partition 1, attempt 3"),
                e.getMessage());
        assertEquals(4, injected.get());
        assertTrue(jsc.getPersistentRDDs().isEmpty(), "training leaves nothing cached: " + jsc.getPersistentRDDs());

        Sequential resumed = Sequential.load(checkpoint);
        TrainingData.assertSameModel(fitted[0], resumed);
        failAlways = false;
        new ImageTrainer().partitions(3).fit(resumed, source(), ImageColumn.pixels("image"), "label",
                options(EPOCHS - 1));
        TrainingData.assertSameModel(fitted[EPOCHS - 1], resumed);
    }

    /** The tests' model with a layer that throws inside Spark tasks when armed. */
    private static Sequential failingModel() {
        return TrainingData.model(SEED, true, List.of(new TaskFailures()));
    }

    @Test
    void stepTasksThrowingOnTheirFirstAttemptChangeNothing() {
        Sequential expected = failingModel();
        expected.fit(data.local(), options(2));
        Sequential trained = failingModel();
        TaskFailures.arm(TaskFailures.Mode.FIRST_ATTEMPTS);
        try {
            new ImageTrainer().partitions(2).fit(trained, data.frame(spark, 2), ImageColumn.pixels("image"), "label",
                    options(2));
            // each epoch: steps 1 and 2 have shards on both partitions, step 3 (10 images, one shard) on one
            assertEquals(2 * 5, TaskFailures.thrown(), "the first attempt of every step task that computes");
        } finally {
            TaskFailures.arm(TaskFailures.Mode.NEVER);
        }
        TrainingData.assertSameModel(expected, trained);
    }

    @Test
    void aStepTaskThatKeepsThrowingFailsTrainingNamingItsCause() throws IOException {
        Path checkpoint = dir.resolve("failing.purecnn");
        Sequential expected = failingModel();
        expected.fit(data.local(), options(1));
        Sequential trained = failingModel();
        Callback failFromEpoch2 = new Callback() {
            @Override
            public void onEpochEnd(int epoch, EpochLog log) {
                TaskFailures.arm(TaskFailures.Mode.ALWAYS);
            }
        };
        try {
            TrainingFailedException e = assertThrows(TrainingFailedException.class, () -> new ImageTrainer()
                    .partitions(2).fit(trained, data.frame(spark, 2), ImageColumn.pixels("image"), "label",
                            options(EPOCHS).callbacks(new ModelCheckpoint(checkpoint), failFromEpoch2)));
            assertTrue(e.getMessage().startsWith("model 'sequential': epoch 2 of 3, step 1 of 3 failed, nothing of it"
                    + " was applied and checkpoints written so far are untouched"), e.getMessage());
            assertTrue(e.getMessage().contains("failed 4 times"), e.getMessage());
            assertTrue(e.getMessage().contains("java.lang.IllegalStateException: injected failure in stage "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("attempt 3"), e.getMessage());
            assertTrue(TaskFailures.thrown() >= 4, "4 attempts of the failing task: " + TaskFailures.thrown());
        } finally {
            TaskFailures.arm(TaskFailures.Mode.NEVER);
        }
        assertTrue(jsc.getPersistentRDDs().isEmpty(), "training leaves nothing cached: " + jsc.getPersistentRDDs());
        TrainingData.assertSameModel(expected, Sequential.load(checkpoint));
    }

    /**
     * Kills the first attempt of every task of the training's step jobs as it starts; Spark runs
     * a killed task again. A kill that arrives after its task ended changes nothing.
     */
    private static final class StepTaskKiller extends StepStages {
        private final SparkContext spark;
        final AtomicInteger requested = new AtomicInteger();
        final AtomicInteger killed = new AtomicInteger();

        StepTaskKiller(SparkContext spark) {
            super(", step ");                   // synchronous steps
            this.spark = spark;
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart task) {
            if (isStepStage(task.stageId()) && task.taskInfo().attemptNumber() == 0) {
                requested.incrementAndGet();
                spark.killTaskAttempt(task.taskInfo().taskId(), true, "killed by the test");
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd task) {
            if (task.reason() instanceof TaskKilled) {
                killed.incrementAndGet();
            }
        }
    }
}
