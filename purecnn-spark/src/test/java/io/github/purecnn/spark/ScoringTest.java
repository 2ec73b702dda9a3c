package io.github.purecnn.spark;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Scoring on Spark ({@code local[2]}, several partitions, batches that do not divide them) gives
 * bit for bit what {@code Sequential.predict} gives for the same images in one call, whichever
 * way the images are held.
 */
class ScoringTest {
    private static final Shape DIGIT = Shape.of(28, 28, 1);
    private static final int IMAGES = 150;
    private static final int PARTITIONS = 3;
    /** Divides neither the partitions (50 images each) nor the core's own inference batch. */
    private static final int BATCH = 16;

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static JavaSparkContext jsc;
    private static Path modelFile;
    private static byte[] pixels;
    /** What the core predicts for the images, all in one call. */
    private static float[] expected;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.session();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Sequential model = LeNet.create(11);
        modelFile = dir.resolve("lenet.purecnn");
        model.save(modelFile);
        pixels = TestImages.randomPixels(3, IMAGES, DIGIT);
        expected = model.predict(Dataset.ofBytes(pixels, new int[IMAGES], 28, 28, 1, 10)).data();
    }

    @Test
    void pixelColumnScoresAsPredict() throws IOException {
        List<Row> scored = score(DataTypes.BinaryType, i -> TestImages.image(pixels, i, DIGIT),
                ImageColumn.pixels("image"));
        assertScoredAsPredicted(scored, expected, 10);
    }

    @Test
    void floatAndDoubleColumnsScoreAsPredict() throws IOException {
        float[] scaled = TestImages.scaled(pixels);
        List<Row> floats = score(DataTypes.createArrayType(DataTypes.FloatType), i -> {
            Float[] image = new Float[DIGIT.size()];
            for (int j = 0; j < image.length; j++) {
                image[j] = scaled[i * image.length + j];
            }
            return image;
        }, ImageColumn.floats("image"));
        assertScoredAsPredicted(floats, expected, 10);
        // Doubles that hold floats round back to the same floats.
        List<Row> doubles = score(DataTypes.createArrayType(DataTypes.DoubleType), i -> {
            Double[] image = new Double[DIGIT.size()];
            for (int j = 0; j < image.length; j++) {
                image[j] = (double) scaled[i * image.length + j];
            }
            return image;
        }, ImageColumn.floats("image"));
        assertScoredAsPredicted(doubles, expected, 10);
    }

    @Test
    void encodedImageFilesScoreAsTheirPixels() throws IOException {
        List<Row> scored = score(DataTypes.BinaryType, i -> TestImages.png(TestImages.image(pixels, i, DIGIT), DIGIT),
                ImageColumn.encoded("image"));
        assertScoredAsPredicted(scored, expected, 10);
    }

    @Test
    void imageFilesByPathScoreAsTheirPixels() throws IOException {
        Path images = Files.createDirectories(dir.resolve("digits"));
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            Path file = images.resolve("digit-" + i + ".png");
            Files.write(file, TestImages.png(TestImages.image(pixels, i, DIGIT), DIGIT));
            // Plain paths and file: URIs alike.
            paths.add(i % 2 == 0 ? file.toString() : file.toUri().toString());
        }
        List<Row> scored = score(DataTypes.StringType, paths::get, ImageColumn.paths("image"));
        assertScoredAsPredicted(scored, expected, 10);
    }

    @Test
    void rddsOfFloatArraysScoreAsPredict() throws IOException {
        float[] scaled = TestImages.scaled(pixels);
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            images.add(Arrays.copyOfRange(scaled, i * DIGIT.size(), (i + 1) * DIGIT.size()));
        }
        JavaRDD<float[]> rdd = jsc.parallelize(images, PARTITIONS);
        try (ImageScorer scorer = ImageScorer.load(spark.sparkContext(), modelFile).batchSize(BATCH)) {
            List<Prediction> fromJava = scorer.predict(rdd).collect();
            List<Prediction> fromScala = scorer.predict(rdd.rdd()).toJavaRDD().collect();
            assertEquals(IMAGES, fromJava.size());
            for (int i = 0; i < IMAGES; i++) {
                float[] want = Arrays.copyOfRange(expected, i * 10, (i + 1) * 10);
                assertArrayEquals(want, fromJava.get(i).probabilities(), "image " + i);
                assertEquals(ScoringIterator.argmax(want), fromJava.get(i).predictedClass(), "image " + i);
                assertEquals(fromJava.get(i), fromScala.get(i), "image " + i);
            }
        }
    }

    @Test
    void colourImagesScoreAsTheirPixels() throws IOException {
        Shape rgb = Shape.of(6, 5, 3);
        Sequential model = new Sequential(4, rgb,
                new Conv2D(4, 3).activation(Activation.RELU),
                new Flatten(),
                new Dense(7).activation(Activation.SOFTMAX));
        Path file = dir.resolve("rgb.purecnn");
        model.save(file);
        int count = 40;
        // Palette images: every pixel one of 9 colours; their RGB pixels are the palette's entries.
        byte[] palette = TestImages.randomPixels(5, 3, Shape.of(3, 3));
        byte[] indexes = TestImages.randomPixels(6, count, Shape.of(6, 5));
        byte[] colours = new byte[count * rgb.size()];
        for (int p = 0; p < indexes.length; p++) {
            int entry = (indexes[p] & 0xFF) % 9;
            indexes[p] = (byte) entry;
            System.arraycopy(palette, 3 * entry, colours, 3 * p, 3);
        }
        float[] want = model.predict(new Tensor(rgb.withBatch(count), TestImages.scaled(colours))).data();

        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("pixels", DataTypes.BinaryType).add("png", DataTypes.BinaryType).add("palette", DataTypes.BinaryType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] image = TestImages.image(colours, i, rgb);
            byte[] imageIndexes = TestImages.image(indexes, i, Shape.of(6, 5));
            rows.add(RowFactory.create(i, image, TestImages.png(image, rgb),
                    TestImages.encode(TestImages.indexed(imageIndexes, palette, 6, 5), "png")));
        }
        org.apache.spark.sql.Dataset<Row> images = spark.createDataFrame(jsc.parallelize(rows, PARTITIONS), schema);
        try (ImageScorer scorer = ImageScorer.load(spark.sparkContext(), file).batchSize(BATCH)) {
            for (ImageColumn column : List.of(ImageColumn.pixels("pixels"), ImageColumn.encoded("png"),
                    ImageColumn.encoded("palette"))) {
                assertScoredAsPredicted(scorer.score(images, column).collectAsList(), want, 7);
            }
        }
    }

    @Test
    void eachJvmLoadsAModelOnceForAllItsTasks() throws IOException {
        Path file = dir.resolve("once.purecnn");
        LeNet.create(12).save(file);
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("image", DataTypes.BinaryType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create(i, TestImages.image(pixels, i, DIGIT)));
        }
        org.apache.spark.sql.Dataset<Row> images = spark.createDataFrame(jsc.parallelize(rows, 8), schema);
        long before = ExecutorModels.SHARED.loads();
        try (ImageScorer scorer = ImageScorer.load(spark.sparkContext(), file).batchSize(4)) {
            // Two jobs of 8 tasks each, on two task threads.
            assertEquals(40, scorer.score(images, ImageColumn.pixels("image")).count());
            assertEquals(40, scorer.score(images, ImageColumn.pixels("image")).collectAsList().size());
        }
        assertEquals(1, ExecutorModels.SHARED.loads() - before);
    }

    /** Scores {@code IMAGES} rows (id, image) in {@code PARTITIONS} partitions, the image of row i made by {@code image}. */
    private static List<Row> score(org.apache.spark.sql.types.DataType type, IntFunction<Object> image,
                                   ImageColumn column) throws IOException {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("image", type);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < IMAGES; i++) {
            rows.add(RowFactory.create(i, image.apply(i)));
        }
        org.apache.spark.sql.Dataset<Row> images = spark.createDataFrame(jsc.parallelize(rows, PARTITIONS), schema);
        try (ImageScorer scorer = ImageScorer.load(spark.sparkContext(), modelFile).batchSize(BATCH)) {
            org.apache.spark.sql.Dataset<Row> scored = scorer.score(images, column);
            assertEquals(PARTITIONS, scored.rdd().getNumPartitions());
            assertEquals(List.of("id", "image", "probabilities", "prediction"), Arrays.asList(scored.columns()));
            return scored.collectAsList();
        }
    }

    /** Row i (id i) holds {@code want}'s probabilities i, bit for bit, and their first largest as prediction. */
    private static void assertScoredAsPredicted(List<Row> rows, float[] want, int classes) {
        assertEquals(want.length / classes, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertEquals(i, row.getInt(0), "rows keep their order");
            float[] probabilities = TestImages.floats(row.getList(row.fieldIndex("probabilities")));
            float[] wanted = Arrays.copyOfRange(want, i * classes, (i + 1) * classes);
            assertArrayEquals(wanted, probabilities, "row " + i);
            assertEquals(ScoringIterator.argmax(wanted), row.getInt(row.fieldIndex("prediction")), "row " + i);
        }
    }
}
