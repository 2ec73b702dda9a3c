package io.github.purecnn.spark;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The training tests' model and data: a small convnet with dropout on 10 x 10 grey images of 3
 * classes (a class brightens a band of columns), as raw pixel bytes, with the same images for
 * one machine and for Spark.
 */
final class TrainingData {
    static final Shape IMAGE = Shape.of(10, 10, 1);
    static final int CLASSES = 3;
    /** Batches of 40 make shards of 16, 16 and 8 images; the last batch of an epoch has 10. */
    static final int IMAGES = 90;

    final byte[] pixels;
    final int[] labels;

    TrainingData(long seed, int images) {
        SplittableRandom r = new SplittableRandom(seed);
        pixels = new byte[images * IMAGE.size()];
        labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = r.nextInt(CLASSES);
            for (int p = 0; p < IMAGE.size(); p++) {
                int column = p % 10;
                pixels[i * IMAGE.size() + p] = (byte) (r.nextInt(128) + (column / 4 == labels[i] ? 127 : 0));
            }
        }
    }

    /** The model, compiled, with its weights and dropout drawn from {@code seed}. */
    static Sequential model(long seed, boolean dropout) {
        return model(seed, dropout, List.of());
    }

    /** As {@link #model(long, boolean)}, with {@code afterFlatten} between Flatten and what follows. */
    static Sequential model(long seed, boolean dropout, List<Layer> afterFlatten) {
        Sequential m = new Sequential(seed, IMAGE, new Conv2D(4, 3).activation(Activation.RELU), new MaxPooling2D(2),
                new Flatten());
        afterFlatten.forEach(m::add);
        if (dropout) {
            m.add(new Dropout(0.3));
        }
        m.add(new Dense(CLASSES).activation(Activation.SOFTMAX));
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        return m;
    }

    /** The images as one machine holds them: bytes read as {@code b / 255f}. */
    Dataset local() {
        return Dataset.ofBytes(pixels, labels, 10, 10, 1, CLASSES);
    }

    /** The same images as floats. */
    Dataset localFloats() {
        return Dataset.of(new Tensor(IMAGE.withBatch(labels.length), TestImages.scaled(pixels)), labels, CLASSES);
    }

    /** The images as rows (id, image as raw pixels, label) of a data frame in {@code partitions} partitions. */
    org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(rows(jsc, partitions), schema());
    }

    JavaRDD<Row> rows(JavaSparkContext jsc, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            rows.add(RowFactory.create(i, TestImages.image(pixels, i, IMAGE), labels[i]));
        }
        return jsc.parallelize(rows, partitions);
    }

    static StructType schema() {
        return new StructType().add("id", DataTypes.IntegerType).add("image", DataTypes.BinaryType)
                .add("label", DataTypes.IntegerType);
    }

    /** The images as an RDD of labelled float arrays in {@code partitions} partitions. */
    JavaRDD<LabeledImage> labeled(JavaSparkContext jsc, int partitions) {
        float[] scaled = TestImages.scaled(pixels);
        List<LabeledImage> images = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            float[] image = new float[IMAGE.size()];
            System.arraycopy(scaled, i * image.length, image, 0, image.length);
            images.add(new LabeledImage(image, labels[i]));
        }
        return jsc.parallelize(images, partitions);
    }

    /** Asserts that two models hold the same weights and optimizer state, bit for bit, and the same training progress. */
    static void assertSameModel(Sequential expected, Sequential actual) {
        for (int i = 0; i < expected.getWeights().size(); i++) {
            assertArrayEquals(expected.getWeights().get(i).data(), actual.getWeights().get(i).data(),
                    "weight " + i + " (" + expected.weights().get(i).path() + ")");
        }
        var expectedState = expected.optimizer().state();
        var actualState = actual.optimizer().state();
        assertEquals(expectedState.keySet(), actualState.keySet());
        for (String name : expectedState.keySet()) {
            assertArrayEquals(expectedState.get(name), actualState.get(name), "optimizer state " + name);
        }
        assertEquals(expected.optimizer().iterations(), actual.optimizer().iterations(), "optimizer iterations");
        assertEquals(expected.stepsTrained(), actual.stepsTrained(), "steps trained");
        assertEquals(expected.epochsTrained(), actual.epochsTrained(), "epochs trained");
    }
}
