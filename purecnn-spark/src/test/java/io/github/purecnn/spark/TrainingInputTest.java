package io.github.purecnn.spark;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.BatchNormalization;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What training on Spark refuses, and how it says so: bad rows fail the reading of the data,
 * before the first step, naming the row; bad columns, options and models fail on the driver
 * before any job. The model is untouched either way.
 */
class TrainingInputTest {
    private static final int BAD = 7;
    private static SparkSession spark;
    private static JavaSparkContext jsc;
    private static TrainingData data;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.session();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        data = new TrainingData(4, 30);
    }

    private static FitOptions options() {
        return new FitOptions().epochs(1).batchSize(8).verbose(0);
    }

    /** A frame of the test images whose row BAD has {@code image} and {@code label} from the functions. */
    private static org.apache.spark.sql.Dataset<Row> frame(StructType schema, IntFunction<Object> image,
                                                           IntFunction<Object> label) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data.labels.length; i++) {
            rows.add(RowFactory.create(i, image.apply(i), label.apply(i)));
        }
        return spark.createDataFrame(jsc.parallelize(rows, 2), schema);
    }

    private static Object pixels(int i) {
        return TestImages.image(data.pixels, i, TrainingData.IMAGE);
    }

    /** Training on rows that fail must fail with a message containing {@code expected}, the model untouched. */
    private static void assertRowsFail(org.apache.spark.sql.Dataset<Row> rows, String expected) {
        Sequential model = TrainingData.model(1, false);
        List<Tensor> before = model.getWeights();
        TrainingFailedException e = assertThrows(TrainingFailedException.class, () -> new ImageTrainer()
                .fit(model, rows, ImageColumn.pixels("image"), "label", options()));
        assertTrue(e.getMessage().startsWith("model 'sequential': reading the training data failed"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertUntouched(before, model);
    }

    private static void assertUntouched(List<Tensor> before, Sequential model) {
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i).data(), model.getWeights().get(i).data());
        }
        assertEquals(0, model.stepsTrained());
        assertEquals(0, model.epochsTrained());
    }

    @Test
    void badRowsFailTheReadingNamingTheRow() {
        assertRowsFail(frame(TrainingData.schema(), TrainingInputTest::pixels, i -> i == BAD ? 3 : data.labels[i]),
                "java.lang.IllegalArgumentException: row 7: column 'label' holds 3, outside the model's classes [0, 3)");
        assertRowsFail(frame(TrainingData.schema(), TrainingInputTest::pixels, i -> i == BAD ? null : data.labels[i]),
                "row 7: column 'label' is null");
        assertRowsFail(frame(TrainingData.schema(), i -> i == BAD ? new byte[99] : pixels(i), i -> data.labels[i]),
                "row 7: column 'image' holds 99 bytes, the model takes images of shape (10, 10, 1), 100 bytes");
        assertRowsFail(frame(TrainingData.schema(), i -> i == BAD ? null : pixels(i), i -> data.labels[i]),
                "row 7: column 'image' is null");
        StructType longLabels = new StructType().add("id", DataTypes.IntegerType).add("image", DataTypes.BinaryType)
                .add("label", DataTypes.LongType);
        assertRowsFail(frame(longLabels, TrainingInputTest::pixels, i -> i == BAD ? -1L : (long) data.labels[i]),
                "row 7: column 'label' holds -1, outside the model's classes [0, 3)");
    }

    @Test
    void badLabeledImagesNameTheirIndex() {
        Sequential model = TrainingData.model(1, false);
        List<LabeledImage> images = new ArrayList<>(data.labeled(jsc, 1).collect());
        images.set(BAD, new LabeledImage(new float[99], 0));
        TrainingFailedException e = assertThrows(TrainingFailedException.class,
                () -> new ImageTrainer().fit(model, jsc.parallelize(images, 2), options()));
        assertTrue(e.getMessage().contains("image 7 has 99 values, the model takes images of shape (10, 10, 1), 100 values"),
                e.getMessage());
        images.set(BAD, new LabeledImage(new float[100], 5));
        e = assertThrows(TrainingFailedException.class,
                () -> new ImageTrainer().fit(model, jsc.parallelize(images, 2), options()));
        assertTrue(e.getMessage().contains("image 7: its label holds 5, outside the model's classes [0, 3)"),
                e.getMessage());
        assertEquals(0, model.stepsTrained());
    }

    @Test
    void badColumnsOptionsAndModelsFailBeforeAnyJob() {
        org.apache.spark.sql.Dataset<Row> rows = data.frame(spark, 2);
        Sequential model = TrainingData.model(1, false);
        List<Tensor> before = model.getWeights();
        ImageTrainer trainer = new ImageTrainer();
        assertMessage(IllegalArgumentException.class, () -> trainer.fit(model, rows, ImageColumn.pixels("image"),
                "class", options()), "no label column 'class' among [id, image, label]");
        assertMessage(IllegalArgumentException.class, () -> trainer.fit(model, rows.withColumn("label",
                        rows.col("label").cast("string")), ImageColumn.pixels("image"), "label", options()),
                "label column 'label' is of type string, training needs integer classes");
        assertMessage(IllegalArgumentException.class, () -> trainer.fit(model, rows, ImageColumn.floats("image"),
                "label", options()), "column 'image' is of type binary, floats('image') needs an array of floats");
        assertMessage(IllegalArgumentException.class, () -> trainer.fit(model, rows, ImageColumn.pixels("image"),
                "label", options().validationSplit(0.2)), "a validation split takes the last images of a local data set");
        assertMessage(IllegalArgumentException.class, () -> trainer.fit(model, rows, ImageColumn.pixels("image"),
                "label", options().validationData(Dataset.of(new Tensor(Shape.of(2, 5, 5, 1), new float[50]), new int[2],
                        3))),
                "validation data has images of shape (5, 5, 1), model 'sequential' takes (10, 10, 1)");
        assertMessage(IllegalArgumentException.class, () -> new ImageTrainer().partitions(0), "at least 1 partition");
        assertMessage(IllegalArgumentException.class, () -> TrainingMode.averaging(0), "at least 1 local step");

        Sequential uncompiled = new Sequential(1, TrainingData.IMAGE, new Flatten(), new Dense(3));
        assertMessage(IllegalStateException.class, () -> trainer.fit(uncompiled, rows, ImageColumn.pixels("image"),
                "label", options()), "call compile(optimizer, loss, metrics) before training model 'sequential'");

        Sequential normalised = new Sequential(1, TrainingData.IMAGE, new Flatten(), new BatchNormalization(),
                new Dense(3).activation(Activation.SOFTMAX));
        normalised.compile(new SGD(0.1), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        List<Tensor> normalisedBefore = normalised.getWeights();
        assertMessage(IllegalArgumentException.class, () -> trainer.fit(normalised, rows, ImageColumn.pixels("image"),
                "label", options()), "model 'sequential' cannot be trained on Spark: the shards of batch_normalization");
        assertMessage(IllegalArgumentException.class, () -> trainer.fit(normalised, rows, ImageColumn.pixels("image"),
                "label", options()), "need sums over the whole batch, so they cannot be computed one by one; train it with"
                + " fit on one machine");
        assertUntouched(before, model);
        assertUntouched(normalisedBefore, normalised);

        Sequential oneOutput = new Sequential(1, TrainingData.IMAGE, new Flatten(), new Dense(1));
        oneOutput.compile(new SGD(0.1), Loss.sparseCategoricalCrossentropy());
        assertMessage(IllegalArgumentException.class, () -> trainer.fit(oneOutput, rows, ImageColumn.pixels("image"),
                "label", options()), "model 'sequential' cannot be trained on Spark: shard data:"
                + " sparse_categorical_crossentropy needs an output of several classes");
        assertEquals(0, oneOutput.stepsTrained());
        assertMessage(IllegalArgumentException.class, () -> trainer.fit(model, rows, ImageColumn.pixels("image"),
                "label", options().sampleWeight(new float[30])), "training on Spark takes class weights (classWeight),"
                + " not sample weights");
    }

    @Test
    void emptyDataIsRefused() {
        Sequential model = TrainingData.model(1, false);
        org.apache.spark.sql.Dataset<Row> none = spark.createDataFrame(jsc.parallelize(List.<Row>of(), 2),
                TrainingData.schema());
        assertMessage(IllegalArgumentException.class, () -> new ImageTrainer().fit(model, none,
                ImageColumn.pixels("image"), "label", options()), "the training data holds 0 images");
    }

    private static void assertMessage(Class<? extends Exception> type, Executable call, String expected) {
        Exception e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
