package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static io.github.purecnn.data.IdxFiles.bytes;
import static io.github.purecnn.data.IdxReaderTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetTest {
    /**
     * Four 1x2 images with two channels (4 values each): image i holds bytes 10i, 10i+1, 10i+2,
     * 10i+3 except image 3, which holds 0, 128, 254, 255. Labels 2, 0, 1, 2.
     */
    private static Dataset fourImages() {
        byte[] pixels = bytes(
                0, 1, 2, 3,
                10, 11, 12, 13,
                20, 21, 22, 23,
                0, 128, 254, 255);
        return Dataset.ofBytes(pixels, new int[] {2, 0, 1, 2}, 1, 2, 2, 3);
    }

    private static float[] scaled(int... bytes) {
        float[] f = new float[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            f[i] = bytes[i] / 255f;
        }
        return f;
    }

    @Test
    void bytesAreScaledByOne255th() {
        float[] image = fourImages().image(3);
        assertEquals(0f, image[0]);
        assertEquals(128 / 255f, image[1]);
        assertEquals(254 / 255f, image[2]);
        assertEquals(1.0f, image[3]);
    }

    @Test
    void describesItself() {
        Dataset d = fourImages();
        assertEquals(4, d.size());
        assertEquals(Shape.of(1, 2, 2), d.sampleShape());
        assertEquals(3, d.numClasses());
        assertEquals(2, d.label(3));
        assertArrayEquals(new int[] {2, 0, 1, 2}, d.labels());
        assertArrayEquals(new int[] {1, 1, 2}, d.labelHistogram());
        assertEquals("Dataset(4 images of (1, 2, 2), 3 classes)", d.toString());
    }

    @Test
    void imagesAsTensors() {
        Dataset d = fourImages();
        Tensor all = d.images();
        assertEquals(Shape.of(4, 1, 2, 2), all.shape());
        assertEquals(22 / 255f, all.get(2, 0, 1, 0));
        Tensor middle = d.images(1, 2);
        assertEquals(Shape.of(2, 1, 2, 2), middle.shape());
        assertArrayEquals(scaled(10, 11, 12, 13, 20, 21, 22, 23), middle.data());
    }

    @Test
    void copyImagesAndLabelsGatherInTheGivenOrder() {
        Dataset d = fourImages();
        int[] order = {3, 2, 0, 1};
        float[] images = new float[3 * 4 + 1];
        images[12] = -7f; // beyond the batch: must stay untouched
        int[] labels = new int[3];
        d.copyImages(order, 1, 2, images);
        d.copyLabels(order, 1, 2, labels);
        assertArrayEquals(new float[] {20 / 255f, 21 / 255f, 22 / 255f, 23 / 255f, 0, 1 / 255f, 2 / 255f, 3 / 255f,
                0, 0, 0, 0, -7f}, images);
        assertArrayEquals(new int[] {1, 2, 0}, labels);
    }

    @Test
    void floatImagesAreCopiedAndKeptUnscaled() {
        float[] data = {0.5f, -2f, 3f, 300f, 1f, 2f};
        Dataset d = Dataset.of(Tensor.of(data, 2, 1, 3, 1), new int[] {1, 0}, 2);
        data[0] = 99f;
        assertEquals(Shape.of(1, 3, 1), d.sampleShape());
        assertArrayEquals(new float[] {0.5f, -2f, 3f}, d.image(0));
        float[] batch = new float[6];
        d.copyImages(new int[] {1, 0}, 0, 2, batch);
        assertArrayEquals(new float[] {300f, 1f, 2f, 0.5f, -2f, 3f}, batch);
    }

    @Test
    void ofBytesCopiesItsArrays() {
        byte[] pixels = bytes(255, 0);
        int[] labels = {1, 0};
        Dataset d = Dataset.ofBytes(pixels, labels, 1, 1, 1, 2);
        pixels[0] = 0;
        labels[0] = 0;
        d.labels()[1] = 1;
        assertArrayEquals(new float[] {1f}, d.image(0));
        assertArrayEquals(new int[] {1, 0}, d.labels());
    }

    @Test
    void subsetIsAContiguousRangeWithItsOwnIndices() {
        Dataset sub = fourImages().subset(1, 3);
        assertEquals(3, sub.size());
        assertArrayEquals(new int[] {0, 1, 2}, sub.labels());
        assertArrayEquals(new int[] {1, 1, 1}, sub.labelHistogram());
        assertArrayEquals(scaled(10, 11, 12, 13), sub.image(0));
        Dataset subSub = sub.subset(1, 2);
        assertArrayEquals(new int[] {1, 2}, subSub.labels());
        float[] batch = new float[4];
        subSub.copyImages(new int[] {1}, 0, 1, batch);
        assertArrayEquals(scaled(0, 128, 254, 255), batch);
        assertEquals(Shape.of(2, 1, 2, 2), subSub.images().shape());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> subSub.label(2));
        assertMentions(e, "image 2", "2 images");
    }

    // ---- validation ----

    @Test
    void labelOutOfRangeNamesIndexAndValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofBytes(new byte[3], new int[] {0, 3, 1}, 1, 1, 1, 3));
        assertMentions(e, "index 1 is 3", "[0, 3)");
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(Tensor.zeros(2, 1, 1, 1), new int[] {0, -1}, 3));
        assertMentions(negative, "index 1 is -1");
    }

    @Test
    void pixelCountMustMatchLabelsAndShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofBytes(new byte[10], new int[] {0, 1}, 2, 3, 1, 2));
        assertMentions(e, "2 images of shape (2, 3, 1) need 12 pixel bytes, found 10");
    }

    @Test
    void badSizesAndClassCounts() {
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofBytes(new byte[0], new int[0], 1, 1, 1, 2)), "at least one image");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofBytes(new byte[1], new int[] {0}, 1, 0, 1, 2)), "found 1, 0, 1");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofBytes(new byte[1], new int[] {0}, 1, 1, 1, 0)), "numClasses", "found 0");
    }

    @Test
    void tensorNeedsASampleDimensionAndOneLabelPerSample() {
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(Tensor.zeros(2), new int[] {0, 1}, 2)), "at least one sample dimension", "(2,)");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(Tensor.zeros(2, 1, 1, 1), new int[] {0, 1, 1}, 2)), "2 samples", "3 targets");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> Dataset.of(Tensor.zeros(2, 3), Targets.values(Tensor.zeros(3, 1)))), "(2, 3)", "3 targets",
                "float targets of (1,)");
    }

    @Test
    void gatherChecksRangesIndicesAndBuffers() {
        Dataset d = fourImages();
        int[] order = {0, 1, 4, 2};
        assertMentions(assertThrows(IndexOutOfBoundsException.class,
                () -> d.copyImages(order, 1, 2, new float[8])), "order[2] is 4", "4 images");
        assertMentions(assertThrows(IndexOutOfBoundsException.class,
                () -> d.copyLabels(order, 2, 1, new int[1])), "order[2] is 4");
        assertMentions(assertThrows(IndexOutOfBoundsException.class,
                () -> d.copyImages(order, 3, 2, new float[8])), "[3, 5) of 4 entries of order");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> d.copyImages(order, 0, 2, new float[7])), "2 images of shape (1, 2, 2) need 8 floats, dst holds 7");
        assertMentions(assertThrows(IllegalArgumentException.class,
                () -> d.copyLabels(order, 0, 2, new int[1])), "2 labels", "length 1");
        assertMentions(assertThrows(IndexOutOfBoundsException.class,
                () -> d.subset(2, 3)), "[2, 5) of 4 images");
        assertMentions(assertThrows(IndexOutOfBoundsException.class,
                () -> d.images(1, 0)), "count must be at least 1, found 0");
    }
}
