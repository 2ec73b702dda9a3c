package io.github.purecnn.spark;

import io.github.purecnn.model.ModelFormatException;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Scores images with a trained purecnn model inside Spark jobs: class probabilities and the
 * predicted class for every image of a {@code Dataset<Row>} or an RDD, bit for bit what
 * {@link Sequential#predict} gives for the same images.
 * <pre>{@code
 * try (ImageScorer scorer = ImageScorer.load(spark.sparkContext(), Path.of("lenet.purecnn"))) {
 *     Dataset<Row> scored = scorer.score(images, ImageColumn.pixels("image"));
 *     scored.select("id", "prediction").write().parquet("predictions");
 * }
 * }</pre>
 *
 * <p>The model file's bytes go to the executors once, by broadcast. Each executor JVM loads the
 * model once, on its first task, into one {@link io.github.purecnn.model.Predictor} that all its
 * tasks share (see {@code ExecutorModels}). A task scores its partition in batches of
 * {@link #batchSize} images on its own thread, one core per task whatever
 * {@code spark.task.cpus} says (so leave it at 1, its default, and give the data at least as many
 * partitions as the executors have cores), reading one batch at a time, so memory stays bounded
 * whatever the partition's size. Results come out in the order of the input.
 *
 * <p>The model is checked on the driver when the scorer is made, so a damaged model file fails
 * there, before any job; an image that does not fit fails its task with a message that names the
 * row (its position, its partition and, with {@link #idColumn}, its id) or the image file.
 *
 * <p>Transformations are lazy: close the scorer (which frees the broadcast) only once the
 * actions that use its results have run.
 */
public final class ImageScorer implements AutoCloseable {
    /** Images per batch unless {@link #batchSize} says otherwise. */
    public static final int DEFAULT_BATCH_SIZE = 256;
    /** The most floats one batch buffer (one Java array) may hold. */
    private static final long MAX_BATCH_FLOATS = Integer.MAX_VALUE - 8;
    private static final ClassTag<Prediction> PREDICTION = ClassTag$.MODULE$.apply(Prediction.class);

    private final ShippedModel model;
    private final String source;
    private final Shape inputShape;
    private final int classes;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private String probabilitiesColumn = "probabilities";
    private String predictionColumn = "prediction";
    private String idColumn;

    private ImageScorer(ShippedModel model, String source, Shape inputShape, int classes) {
        this.model = model;
        this.source = source;
        this.inputShape = inputShape;
        this.classes = classes;
    }

    /**
     * A scorer for the model saved in {@code modelFile} (by {@link Sequential#save}), whose bytes
     * are broadcast through {@code spark}.
     *
     * @throws ModelFormatException naming the file and the entry when it is not a model file
     *     that this version reads
     * @throws IOException naming the file when it cannot be read
     * @throws IllegalArgumentException when the model does not give one score per class
     */
    public static ImageScorer load(SparkContext spark, Path modelFile) throws IOException {
        Objects.requireNonNull(modelFile, "model file");
        return ship(spark, ModelBytes.read(modelFile), modelFile.toString());
    }

    /**
     * A scorer for the model whose file's bytes are {@code modelBytes} (copied), broadcast through
     * {@code spark}.
     *
     * @param source what the bytes came from, named in error messages
     * @throws ModelFormatException naming {@code source} and the entry when the bytes are not a
     *     model file that this version reads
     * @throws IllegalArgumentException when the model does not give one score per class
     */
    public static ImageScorer fromBytes(SparkContext spark, byte[] modelBytes, String source) throws IOException {
        Objects.requireNonNull(modelBytes, "model bytes");
        Objects.requireNonNull(source, "source");
        return ship(spark, modelBytes.clone(), source);
    }

    private static ImageScorer ship(SparkContext spark, byte[] bytes, String source) throws IOException {
        Objects.requireNonNull(spark, "spark context");
        Sequential checked = ModelBytes.load(bytes, source);
        if (checked.outputShape().rank() != 1) {
            throw new IllegalArgumentException(source + ": model '" + checked.name() + "' gives outputs of shape "
                    + checked.outputShape() + ", scoring needs one value per class (a vector)");
        }
        Broadcast<byte[]> broadcast = JavaSparkContext.fromSparkContext(spark).broadcast(bytes);
        return new ImageScorer(new ShippedModel(broadcast, ModelBytes.sha256(bytes), source), source,
                checked.inputShape(), checked.outputShape().size());
    }

    /** Images per prediction call (default {@value #DEFAULT_BATCH_SIZE}); results do not depend on it. */
    public ImageScorer batchSize(int images) {
        if (images < 1 || (long) images * inputShape.size() > MAX_BATCH_FLOATS) {
            throw new IllegalArgumentException("batch size must be between 1 and "
                    + MAX_BATCH_FLOATS / inputShape.size() + " for images of shape " + inputShape + ", found " + images);
        }
        batchSize = images;
        return this;
    }

    /** The names of the two columns that {@link #score} adds (default {@code probabilities} and {@code prediction}). */
    public ImageScorer outputColumns(String probabilities, String prediction) {
        Objects.requireNonNull(probabilities, "probabilities column");
        Objects.requireNonNull(prediction, "prediction column");
        if (probabilities.equalsIgnoreCase(prediction)) {
            throw new IllegalArgumentException("the output columns need two names, found '" + probabilities + "' twice");
        }
        probabilitiesColumn = probabilities;
        predictionColumn = prediction;
        return this;
    }

    /** A column whose value names a row in error messages (an id, a file name), or null for none (the default). */
    public ImageScorer idColumn(String column) {
        idColumn = column;
        return this;
    }

    /**
     * The rows of {@code images}, each followed by two new columns: the class probabilities
     * ({@code array<float>}, one per class) and the predicted class ({@code int}, the index of
     * the largest probability, the first one on ties). Lazy, as every Spark transformation; the
     * partitions and the order of the rows stay as they were.
     *
     * @param column the column that holds the images, and how
     * @throws IllegalArgumentException naming the column when it is missing, of the wrong type,
     *     or when an output column's name is taken
     */
    public Dataset<Row> score(Dataset<Row> images, ImageColumn column) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(column, "column");
        StructType schema = images.schema();
        int columnIndex = column.indexIn(schema, inputShape);
        int idIndex = -1;
        if (idColumn != null) {
            idIndex = index(schema, idColumn);
            if (idIndex < 0) {
                throw new IllegalArgumentException("no id column '" + idColumn + "' among "
                        + Arrays.toString(schema.fieldNames()));
            }
        }
        for (String output : new String[] {probabilitiesColumn, predictionColumn}) {
            if (index(schema, output) >= 0) {
                throw new IllegalArgumentException("the images already have a column '" + output
                        + "'; name the output columns with outputColumns(probabilities, prediction)");
            }
        }
        StructType scored = schema
                .add(probabilitiesColumn, DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add(predictionColumn, DataTypes.IntegerType, false);
        return images.mapPartitions(new RowScoring(model, column, columnIndex, idColumn, idIndex, batchSize),
                Encoders.row(scored));
    }

    /**
     * The predictions for an RDD of images, each a flat NHWC float array of the model's input
     * size, in the same partitions and order. Lazy.
     */
    public JavaRDD<Prediction> predict(JavaRDD<float[]> images) {
        Objects.requireNonNull(images, "images");
        return JavaRDD.fromRDD(predict(images.rdd()), PREDICTION);
    }

    /** {@link #predict(JavaRDD)} for Scala's {@code RDD[Array[Float]]}. */
    public RDD<Prediction> predict(RDD<float[]> images) {
        Objects.requireNonNull(images, "images");
        return images.mapPartitions(new ArrayScoring(model, batchSize), false, PREDICTION);
    }

    /** The shape of one image that the model takes, without batch dimension, such as (28, 28, 1). */
    public Shape inputShape() {
        return inputShape;
    }

    /** How many class probabilities the model gives per image. */
    public int classes() {
        return classes;
    }

    /** Frees the model's broadcast on the driver and the executors; scoring with this scorer fails after. */
    @Override
    public void close() {
        model.destroy();
    }

    /** The field's index, ignoring case as Spark SQL resolves names by default, or -1. */
    private static int index(StructType schema, String name) {
        String[] names = schema.fieldNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "ImageScorer " + source + ": " + inputShape + " -> " + classes + " classes, batches of " + batchSize;
    }
}
