package io.github.purecnn.data;

import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static io.github.purecnn.data.IdxFiles.bytes;
import static io.github.purecnn.data.IdxReaderTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Datasets beyond labelled images: feature vectors, float targets, unscaled bytes. */
class GeneralDatasetTest {

    /** Three samples of two features with float targets of shape (2,). */
    private static Dataset regression() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor y = Tensor.of(new float[] {0.5f, -1, 1.5f, -2, 2.5f, -3}, 3, 2);
        return Dataset.of(x, Targets.values(y));
    }

    @Test
    void featureVectorsWithClassLabels() {
        Dataset d = Dataset.of(Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4), new int[] {1, 0}, 2);
        assertEquals(Shape.of(4), d.sampleShape());
        assertTrue(d.hasClassLabels());
        assertEquals("Dataset(2 samples of (4,), 2 classes)", d.toString());
        float[] batch = new float[8];
        d.copyImages(new int[] {1, 0}, 0, 2, batch);
        assertArrayEquals(new float[] {5, 6, 7, 8, 1, 2, 3, 4}, batch);
    }

    @Test
    void floatTargetsAreGatheredLikeInputs() {
        Dataset d = regression();
        assertFalse(d.hasClassLabels());
        assertEquals(Shape.of(2), d.targetShape());
        assertEquals("Dataset(3 samples of (2,), float targets of (2,))", d.toString());
        float[] y = new float[5];
        y[4] = 9f; // beyond the batch: must stay untouched
        d.copyTargets(new int[] {2, 0}, 0, 2, y);
        assertArrayEquals(new float[] {2.5f, -3, 0.5f, -1, 9f}, y);
        assertArrayEquals(new float[] {1.5f, -2}, d.target(1));
        assertEquals(Shape.of(3, 2), d.targets().shape());
        Dataset tail = d.subset(1, 2);
        assertArrayEquals(new float[] {1.5f, -2, 2.5f, -3}, tail.targets().data());
        assertArrayEquals(new float[] {3, 4}, tail.image(0));
    }

    @Test
    void oneDimensionalTargetsGiveOneValuePerSample() {
        Dataset d = Dataset.of(Tensor.of(new float[] {1, 2, 3}, 3, 1), Targets.values(Tensor.of(new float[] {7, 8, 9}, 3)));
        assertEquals(Shape.of(1), d.targetShape());
        assertArrayEquals(new float[] {8}, d.target(1));
    }

    @Test
    void oneHotTargetsFromLabels() {
        Targets t = Targets.oneHot(new int[] {2, 0}, 3);
        Dataset d = Dataset.ofBytes(bytes(1, 2), Shape.of(1), PixelScale.RAW, t);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, d.targets().data());
        assertMentions(assertThrows(IllegalArgumentException.class, () -> Targets.oneHot(new int[] {3}, 3)),
                "index 0 is 3", "[0, 3)");
    }

    @Test
    void classLabelsAndFloatTargetsRefuseEachOthersAccessors() {
        Dataset floats = regression();
        assertMentions(assertThrows(IllegalStateException.class, () -> floats.copyLabels(null, 0, 1, new int[1])),
                "copyLabels", "class labels", "floats of shape (2,)");
        assertMentions(assertThrows(IllegalStateException.class, floats::numClasses), "class labels");
        assertMentions(assertThrows(IllegalStateException.class, floats::labels), "class labels");
        Dataset labelled = Dataset.of(Tensor.zeros(1, 2), new int[] {0}, 2);
        assertMentions(assertThrows(IllegalStateException.class, () -> labelled.copyTargets(null, 0, 1, new float[2])),
                "copyTargets", "float targets", "2 classes");
        assertMentions(assertThrows(IllegalStateException.class, labelled::targetShape), "float targets");
    }

    @Test
    void targetBufferMustHoldTheBatch() {
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> regression().copyTargets(null, 0, 2, new float[3])), "2 targets of shape (2,) need 4 floats");
    }

    @Test
    void rawBytesAreHandedOutUnscaled() {
        Dataset d = Dataset.ofBytes(bytes(0, 128, 255), Shape.of(3), PixelScale.RAW, Targets.classes(new int[] {0}, 1));
        assertArrayEquals(new float[] {0, 128, 255}, d.image(0));
        byte[] values = bytes(0, 128, 255);
        Dataset unit = Dataset.ofBytes(values, Shape.of(1, 3), PixelScale.UNIT, Targets.classes(new int[] {0}, 1));
        values[0] = 1; // copied
        assertArrayEquals(new float[] {0, 128 / 255f, 1f}, unit.image(0));
    }

    /** Issue 17's "a model on feature vectors fits": Dense only, input (4,), through the Dataset. */
    @Test
    void aDenseModelFitsFeatureVectors() {
        // Two classes separated by the sign of x0 + x1 - x2 - x3.
        SplittableRandom random = new SplittableRandom(3);
        int n = 256;
        float[] x = new float[n * 4];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            float s = 0;
            for (int f = 0; f < 4; f++) {
                x[i * 4 + f] = (float) random.nextDouble(-1, 1);
                s += f < 2 ? x[i * 4 + f] : -x[i * 4 + f];
            }
            y[i] = s > 0 ? 1 : 0;
        }
        Dataset data = Dataset.of(Tensor.of(x, n, 4), y, 2);
        Sequential model = new Sequential(1, Shape.of(4), new Dense(8).activation(Activation.RELU),
                new Dense(2).activation(Activation.SOFTMAX));
        model.compile(new Adam(0.05), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        model.fit(data, new FitOptions().epochs(20).batchSize(32).verbose(0));
        // A linear boundary: a small network reaches well above the 50% of chance.
        assertTrue(model.evaluate(data).accuracy() > 0.9, "accuracy " + model.evaluate(data).accuracy());
    }
}
