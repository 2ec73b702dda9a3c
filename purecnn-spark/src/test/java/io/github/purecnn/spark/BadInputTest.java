package io.github.purecnn.spark;

import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.ModelFormatException;
import io.github.purecnn.tensor.Shape;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
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

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input fails with a message that names what is wrong and where: the row (its position, its
 * partition and its id), the image file, the column or the model file.
 */
class BadInputTest {
    private static final Shape DIGIT = Shape.of(28, 28, 1);
    /** Ten rows in two partitions: ids 0-4 in partition 0, 5-9 in partition 1. */
    private static final int ROWS = 10;
    private static final int BAD_ID = 7;
    private static final String BAD_ROW = "row 2 of partition 1 (id = 7)";

    @TempDir
    static Path dir;
    private static SparkSession spark;
    private static JavaSparkContext jsc;
    private static Path modelFile;
    private static ImageScorer scorer;
    private static byte[] pixels;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.session();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        modelFile = dir.resolve("lenet.purecnn");
        LeNet.create(21).save(modelFile);
        scorer = ImageScorer.load(spark.sparkContext(), modelFile).idColumn("id").batchSize(3);
        pixels = TestImages.randomPixels(8, ROWS, DIGIT);
    }

    @AfterAll
    static void tearDown() {
        scorer.close();
    }

    @Test
    void anImageOfTheWrongSizeNamesItsRow() {
        String message = failure(DataTypes.BinaryType,
                i -> i == BAD_ID ? new byte[783] : TestImages.image(pixels, i, DIGIT), ImageColumn.pixels("image"));
        assertContains(message, "IllegalArgumentException: " + BAD_ROW
                + ": column 'image' holds 783 bytes, the model takes images of shape (28, 28, 1), 784 bytes");
    }

    @Test
    void floatsOfTheWrongSizeOrNullNameTheirRow() {
        String shortImage = failure(DataTypes.createArrayType(DataTypes.FloatType),
                i -> halves(i == BAD_ID ? 100 : DIGIT.size()), ImageColumn.floats("image"));
        assertContains(shortImage, BAD_ROW + ": column 'image' holds 100 values, the model takes images of shape"
                + " (28, 28, 1), 784 values");
        String nullValue = failure(DataTypes.createArrayType(DataTypes.FloatType), i -> {
            Float[] image = halves(DIGIT.size());
            if (i == BAD_ID) {
                image[300] = null;
            }
            return image;
        }, ImageColumn.floats("image"));
        assertContains(nullValue, BAD_ROW + ": column 'image' has a null at index 300");
    }

    @Test
    void aNullImageNamesItsRow() {
        String message = failure(DataTypes.BinaryType, i -> i == BAD_ID ? null : TestImages.image(pixels, i, DIGIT),
                ImageColumn.pixels("image"));
        assertContains(message, BAD_ROW + ": column 'image' is null");
    }

    @Test
    void aMissingFileNamesItselfAndItsRow() throws IOException {
        List<String> paths = digitFiles("missing");
        Path missing = dir.resolve("missing").resolve("no-such-digit.png");
        paths.set(BAD_ID, missing.toString());
        String message = failure(DataTypes.StringType, paths::get, ImageColumn.paths("image"));
        assertContains(message, "UncheckedIOException: " + BAD_ROW + ": " + missing + ": image file does not exist");
    }

    @Test
    void aDamagedOrForeignFileNamesItselfAndItsRow() throws IOException {
        List<String> paths = digitFiles("damaged");
        Path truncated = dir.resolve("damaged").resolve("truncated.png");
        byte[] png = TestImages.png(TestImages.image(pixels, 0, DIGIT), DIGIT);
        Files.write(truncated, Arrays.copyOf(png, png.length / 2));
        paths.set(BAD_ID, truncated.toString());
        assertContains(failure(DataTypes.StringType, paths::get, ImageColumn.paths("image")),
                "UncheckedIOException: " + BAD_ROW + ": image file '" + truncated + "': ");

        Path text = dir.resolve("damaged").resolve("notes.png");
        Files.writeString(text, "not a picture");
        paths.set(BAD_ID, text.toString());
        assertContains(failure(DataTypes.StringType, paths::get, ImageColumn.paths("image")),
                BAD_ROW + ": image file '" + text + "': not an image format that javax.imageio reads (it reads ");
    }

    @Test
    void anImageFileThatDoesNotFitNamesItselfAndItsRow() throws IOException {
        List<String> paths = digitFiles("unfit");
        Path narrow = dir.resolve("unfit").resolve("narrow.png");
        Files.write(narrow, TestImages.png(new byte[28 * 27], Shape.of(28, 27, 1)));
        paths.set(BAD_ID, narrow.toString());
        assertContains(failure(DataTypes.StringType, paths::get, ImageColumn.paths("image")),
                "IllegalArgumentException: " + BAD_ROW + ": image file '" + narrow
                        + "': the image is 27 x 28 pixels (width x height), the model takes 28 x 28");

        Path colour = dir.resolve("unfit").resolve("colour.png");
        Files.write(colour, TestImages.png(new byte[28 * 28 * 3], Shape.of(28, 28, 3)));
        paths.set(BAD_ID, colour.toString());
        assertContains(failure(DataTypes.StringType, paths::get, ImageColumn.paths("image")),
                BAD_ROW + ": image file '" + colour + "': the image has 3 channels (RGB), the model takes 1");
    }

    @Test
    void encodedImagesNameTheirColumnAndRow() {
        String message = failure(DataTypes.BinaryType, i -> i == BAD_ID ? new byte[] {1, 2, 3}
                : TestImages.png(TestImages.image(pixels, i, DIGIT), DIGIT), ImageColumn.encoded("image"));
        assertContains(message, BAD_ROW + ": column 'image': not an image format that javax.imageio reads");
    }

    @Test
    void anArrayOfTheWrongSizeNamesItsPlaceInTheRdd() {
        List<float[]> images = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            images.add(new float[i == BAD_ID ? 10 : DIGIT.size()]);
        }
        Exception e = assertThrows(Exception.class, () -> scorer.predict(jsc.parallelize(images, 2)).collect());
        assertContains(text(e), "image 2 of partition 1: the image has 10 values, the model takes images of shape"
                + " (28, 28, 1), 784 values");
    }

    @Test
    void aDamagedModelFileNamesItselfBeforeAnyJob() throws IOException {
        byte[] good = Files.readAllBytes(modelFile);
        Path truncated = dir.resolve("truncated.purecnn");
        Files.write(truncated, Arrays.copyOf(good, good.length - 100));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ImageScorer.load(spark.sparkContext(), truncated));
        assertContains(e.getMessage(), truncated.toString());

        Path foreign = dir.resolve("foreign.purecnn");
        Files.writeString(foreign, "{\"format\": \"something else\"}");
        e = assertThrows(ModelFormatException.class, () -> ImageScorer.load(spark.sparkContext(), foreign));
        assertContains(e.getMessage(), foreign.toString());

        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> ImageScorer.load(spark.sparkContext(), dir.resolve("absent.purecnn")));
    }

    @Test
    void damagedModelBytesNameTheirSourceNotATemporaryFile() throws IOException {
        byte[] good = Files.readAllBytes(modelFile);
        byte[] damaged = good.clone();
        damaged[damaged.length / 2] ^= 0x55;
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ImageScorer.fromBytes(spark.sparkContext(), damaged, "s3://models/lenet.purecnn"));
        assertTrue(e.getMessage().startsWith("s3://models/lenet.purecnn"), e.getMessage());
        assertFalse(e.getMessage().contains("purecnn-model-"), e.getMessage());
    }

    @Test
    void columnsAreCheckedBeforeAnyJob() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("image", DataTypes.StringType)
                .add("prediction", DataTypes.DoubleType);
        org.apache.spark.sql.Dataset<Row> images = spark.createDataFrame(List.of(), schema);
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> scorer.score(images, ImageColumn.pixels("image"))).getMessage(),
                "column 'image' is of type string, pixels('image') needs binary (raw pixel bytes)");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> scorer.score(images, ImageColumn.floats("picture"))).getMessage(),
                "no column 'picture' among [id, image, prediction]");
        assertContains(assertThrows(IllegalArgumentException.class,
                () -> scorer.score(images, ImageColumn.paths("image"))).getMessage(),
                "the images already have a column 'prediction'");
        assertContains(assertThrows(IllegalArgumentException.class, () -> scorer.batchSize(0)).getMessage(),
                "batch size must be between 1 and");
    }

    /** An image of {@code size} values, all 0.5. */
    private static Float[] halves(int size) {
        Float[] image = new Float[size];
        Arrays.fill(image, 0.5f);
        return image;
    }

    /** PNG files of the ten digits in a folder of their own, their paths in order. */
    private static List<String> digitFiles(String folder) throws IOException {
        Path images = Files.createDirectories(dir.resolve(folder));
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            Path file = images.resolve("digit-" + i + ".png");
            Files.write(file, TestImages.png(TestImages.image(pixels, i, DIGIT), DIGIT));
            paths.add(file.toString());
        }
        return paths;
    }

    /** Scores rows (id, image) in two partitions, row i's image made by {@code image}; returns the failure's text. */
    private static String failure(DataType type, IntFunction<Object> image, ImageColumn column) {
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("image", type);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(RowFactory.create(i, image.apply(i)));
        }
        org.apache.spark.sql.Dataset<Row> images = spark.createDataFrame(jsc.parallelize(rows, 2), schema);
        Exception e = assertThrows(Exception.class, () -> scorer.score(images, column).collectAsList());
        return text(e);
    }

    /** The messages of an exception and its causes, as a Spark job's failure reports the task's exception. */
    private static String text(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }

    private static void assertContains(String text, String part) {
        assertTrue(text.contains(part), () -> "expected\n  " + part + "\nin\n  " + text);
    }
}
