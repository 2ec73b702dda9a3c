package io.github.purecnn.spark;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.model.Callback;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.History;
import io.github.purecnn.model.ModelCheckpoint;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.model.ShardedTraining;
import io.github.purecnn.tensor.Tensor;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.reflect.ClassTag$;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Trains a compiled purecnn model on images held by Spark, data-parallel: the driver holds the
 * model, the executors compute the gradients of the images they hold, and the driver applies
 * them. In the default {@link TrainingMode#synchronous() synchronous} mode the weights are those
 * of {@link Sequential#fit} with the same seed, batch size and data order, bit for bit, whatever
 * the number of partitions and executors.
 * <pre>{@code
 * ImageTrainer trainer = new ImageTrainer().partitions(8);
 * History history = trainer.fit(model, images, ImageColumn.pixels("image"), "label",
 *         new FitOptions().epochs(5).batchSize(64).callbacks(new ModelCheckpoint(Path.of("model.purecnn"))));
 * }</pre>
 *
 * <p>How it works: the data is read and cached once (its row order is the data order: row
 * {@code i} is image {@code i} of the equivalent one-machine data set). Each epoch, the driver
 * draws {@code fit}'s order of the images, and one shuffle sends every image to the partition
 * that computes its shard (shards are 16 images, fixed by the batch size); each step is then one
 * Spark job: the parameters go out by broadcast, each partition returns the gradients of its
 * shards, and the driver sums them in shard order and applies the optimizer, exactly as
 * {@code fit}. A retried, speculative or recomputed task returns the same values (a shard's
 * gradients are a pure function of the parameters and its images), so lost executors and failed
 * attempts do not change the result; a task that keeps failing fails the training with a
 * {@link TrainingFailedException} naming the cause.
 *
 * <p>{@link FitOptions} as for {@code fit}: epochs, batch size, shuffle, class weights, validation
 * data (evaluated on the driver after each epoch), verbose (one line per epoch) and callbacks,
 * which run on the driver and see {@code fit}'s logs (the loss, the compiled metrics, their
 * {@code val_} values, the learning rate): {@link ModelCheckpoint} writes the model file
 * (atomically) after each epoch, and training resumes from it exactly by loading it and fitting
 * the remaining epochs. A validation split and sample weights, which index a local data set, are
 * refused (split the Spark data instead; weight classes with class weights). In parameter
 * averaging, batch callbacks are called once per round.
 *
 * <p>Each task computes its shards one after the other on one thread, so give training about as
 * many partitions as the executors have cores (the default, Spark's default parallelism). Models
 * whose layers need sums over the whole batch between shards (batch normalisation) are refused
 * before any job: their shards cannot be computed apart.
 */
public final class ImageTrainer {
    private int partitions;
    private TrainingMode mode = TrainingMode.synchronous();
    private TrainingStatistics statistics;

    /** A trainer in synchronous mode, with as many partitions as Spark's default parallelism. */
    public ImageTrainer() {
    }

    /**
     * How many partitions compute each step (default: Spark's default parallelism, the cores of
     * the executors). Results in synchronous mode do not depend on it.
     */
    public ImageTrainer partitions(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("training needs at least 1 partition, found " + count);
        }
        partitions = count;
        return this;
    }

    /** How steps are spread ({@link TrainingMode#synchronous()} unless set). */
    public ImageTrainer mode(TrainingMode trainingMode) {
        mode = Objects.requireNonNull(trainingMode, "mode");
        return this;
    }

    /** The mode in use. */
    public TrainingMode mode() {
        return mode;
    }

    /**
     * Trains {@code model} on the rows of {@code images}: the image in {@code column}, its class
     * in the integer column {@code labelColumn}. Row order is the data order. Columns, model and
     * options are checked on the driver before any job; a row that does not fit (wrong size, a
     * label outside the model's classes, a file that cannot be read) fails the reading of the
     * data, before the first step, naming the row's index.
     *
     * @return the history of the epochs trained, as {@code fit} returns it
     * @throws TrainingFailedException when a Spark job fails after Spark's retries
     * @throws io.github.purecnn.model.NonFiniteLossException when a step's loss is NaN or
     *     infinite and no callback lets training go on
     */
    public History fit(Sequential model, org.apache.spark.sql.Dataset<Row> images, ImageColumn column,
                       String labelColumn, FitOptions options) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(labelColumn, "label column");
        List<String> metricNames = check(model, options);
        StructType schema = images.schema();
        int imageIndex = column.indexIn(schema, model.inputShape());
        if (!Arrays.asList(schema.fieldNames()).contains(labelColumn)) {
            throw new IllegalArgumentException("no label column '" + labelColumn + "' among "
                    + Arrays.toString(schema.fieldNames()));
        }
        int labelIndex = schema.fieldIndex(labelColumn);
        DataType type = schema.fields()[labelIndex].dataType();
        if (!List.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType).contains(type)) {
            throw new IllegalArgumentException("label column '" + labelColumn + "' is of type " + type.simpleString()
                    + ", training needs integer classes (tinyint, smallint, int or bigint)");
        }
        RowExamples reader = new RowExamples(column, imageIndex, labelColumn, labelIndex, model.inputShape(),
                model.outputShape().size());
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(images.sparkSession().sparkContext());
        return run(spark, model, options, metricNames, () -> images.javaRDD().zipWithIndex().map(reader));
    }

    /**
     * Trains {@code model} on an RDD of labelled images, each a flat NHWC float array of the
     * model's input size. The RDD's order is the data order.
     *
     * @see #fit(Sequential, org.apache.spark.sql.Dataset, ImageColumn, String, FitOptions)
     */
    public History fit(Sequential model, JavaRDD<LabeledImage> images, FitOptions options) {
        Objects.requireNonNull(images, "images");
        List<String> metricNames = check(model, options);
        LabeledExamples reader = new LabeledExamples(model.inputShape().size(), model.inputShape().toString(),
                model.outputShape().size());
        return run(JavaSparkContext.fromSparkContext(images.context()), model, options, metricNames,
                () -> images.zipWithIndex().map(reader));
    }

    /** {@link #fit(Sequential, JavaRDD, FitOptions)} for Scala's {@code RDD[LabeledImage]}. */
    public History fit(Sequential model, RDD<LabeledImage> images, FitOptions options) {
        Objects.requireNonNull(images, "images");
        return fit(model, JavaRDD.fromRDD(images, ClassTag$.MODULE$.apply(LabeledImage.class)), options);
    }

    /** Where the time of the last {@code fit} call went (also after a failure); null before any. */
    public TrainingStatistics lastStatistics() {
        return statistics;
    }

    private History run(JavaSparkContext spark, Sequential model, FitOptions options, List<String> metricNames,
                        Supplier<JavaRDD<Example>> examples) {
        int count = partitions > 0 ? partitions : Math.max(1, spark.defaultParallelism());
        TrainingRun run = new TrainingRun(spark, model, options, mode, count, metricNames);
        try {
            return run.run(examples);
        } finally {
            statistics = run.statistics();
        }
    }

    /** What is checked of the model and the options before any job; returns the metrics' names. */
    private static List<String> check(Sequential model, FitOptions options) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        if (!model.isCompiled()) {
            throw new IllegalStateException("call compile(optimizer, loss, metrics) before training model '"
                    + model.name() + "'");
        }
        if (options.validationSplit() > 0) {
            throw new IllegalArgumentException("a validation split takes the last images of a local data set; on Spark,"
                    + " split the data (Dataset.randomSplit) and pass the held-out part as validationData");
        }
        if (options.sampleWeight() != null) {
            throw new IllegalArgumentException("sample weights are an array over a local data set; training on Spark"
                    + " takes class weights (classWeight), not sample weights");
        }
        Dataset validation = options.validationData();
        if (validation != null && !validation.sampleShape().equals(model.inputShape())) {
            throw new IllegalArgumentException("validation data has images of shape " + validation.sampleShape()
                    + ", model '" + model.name() + "' takes " + model.inputShape());
        }
        return probe(model);
    }

    /**
     * Refuses, before any job, a model whose shards cannot be computed apart (batch
     * normalisation) or that cannot train on class labels: the core's worker computes a shard of
     * one blank image of class 0 and says why it cannot. Returns the compiled metrics' names, as
     * fit logs them.
     */
    private static List<String> probe(Sequential model) {
        try (ShardedTraining.Worker worker = new ShardedTraining.Worker(model)) {
            Dataset blank = Dataset.of(new Tensor(model.inputShape().withBatch(1), new float[model.inputShape().size()]),
                    new int[1], model.outputShape().size());
            worker.compute(blank, new ShardedTraining.Step(0, 0, 1, 1, 0), 0);
            return worker.metricNames(blank);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new IllegalArgumentException("model '" + model.name() + "' cannot be trained on Spark: "
                    + e.getMessage() + (e instanceof UnsupportedOperationException
                    ? "; train it with fit on one machine" : ""), e);
        }
    }

    @Override
    public String toString() {
        return "ImageTrainer: " + (partitions > 0 ? partitions + " partitions" : "default parallelism") + ", " + mode;
    }
}
