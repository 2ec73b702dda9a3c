package io.github.purecnn.data;

import io.github.purecnn.io.Npy;
import io.github.purecnn.io.NpyArray;
import io.github.purecnn.io.Npz;
import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.github.purecnn.data.IdxFiles.bytes;
import static io.github.purecnn.data.IdxReaderTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatasetsTest {
    @TempDir
    Path dir;

    private Path npz(Object... namesAndArrays) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < namesAndArrays.length; i += 2) {
            arrays.put((String) namesAndArrays[i], (NpyArray) namesAndArrays[i + 1]);
        }
        Path file = dir.resolve("data.npz");
        Npz.write(file, arrays);
        return file;
    }

    @Test
    void uint8ImagesWithoutChannelsGetOne() throws IOException {
        // Two 2 x 2 images as MNIST is saved: (n, height, width) uint8; int64 labels.
        Path file = npz("x_train", NpyArray.ofUint8(bytes(0, 1, 2, 255, 10, 20, 30, 40), 2, 2, 2),
                "y_train", NpyArray.of(new long[] {9, 3}, 2));
        Dataset raw = Datasets.fromNpz(file, "x_train", "y_train");
        assertEquals(Shape.of(2, 2, 1), raw.sampleShape());
        assertEquals("bytes in memory", raw.storage());
        assertArrayEquals(new float[] {0, 1, 2, 255}, raw.image(0));
        assertArrayEquals(new int[] {9, 3}, raw.labels());
        assertEquals(10, raw.numClasses());
        Dataset unit = Datasets.fromNpz(file, "x_train", "y_train", PixelScale.UNIT);
        assertArrayEquals(new float[] {0, 1 / 255f, 2 / 255f, 1f}, unit.image(0));
    }

    @Test
    void floatImagesAndFeatureVectorsWithFloatTargets() throws IOException {
        Path file = npz("x", NpyArray.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 1, 2, 2),
                "features", NpyArray.of(new double[] {0.5, 1.5, 2.5}, 3, 1),
                "y", NpyArray.of(new float[] {0.25f, 0.75f}, 2),
                "onehot", NpyArray.of(new double[] {0, 1, 1, 0}, 2, 2),
                "yf", NpyArray.of(new double[] {1, 2, 3}, 3),
                "labels", NpyArray.of(new int[] {1, 0}, 2, 1));
        Dataset images = Datasets.fromNpz(file, "x", "onehot");
        assertEquals(Shape.of(1, 2, 2), images.sampleShape());
        assertFalse(images.hasClassLabels());
        assertEquals(Shape.of(2), images.targetShape());
        assertArrayEquals(new float[] {0, 1, 1, 0}, images.targets().data());
        Dataset regression = Datasets.fromNpz(file, "features", "yf");
        assertEquals(Shape.of(1), regression.sampleShape());
        assertEquals(Shape.of(1), regression.targetShape());
        assertArrayEquals(new float[] {2.5f}, regression.image(2));
        assertArrayEquals(new int[] {1, 0}, Datasets.fromNpz(file, "x", "labels").labels());
        assertArrayEquals(new float[] {0.25f, 0.75f}, Datasets.fromNpz(file, "x", "y").targets().data());
    }

    @Test
    void npyPairs() throws IOException {
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        Npy.write(x, NpyArray.ofUint8(bytes(5, 6, 7), 3, 1));
        Npy.write(y, NpyArray.ofUint8(bytes(0, 1, 0), 3));
        Dataset d = Datasets.fromNpy(x, y);
        assertArrayEquals(new float[] {6}, d.image(1));
        assertArrayEquals(new int[] {0, 1, 0}, d.labels());
    }

    @Test
    void shapeProblemsNameTheArrays() throws IOException {
        Path file = npz("x", NpyArray.of(new float[] {1, 2, 3, 4}, 2, 2),
                "x5", NpyArray.of(new float[32], 2, 2, 2, 2, 2),
                "xi", NpyArray.of(new int[] {1, 2}, 2, 1),
                "y3", NpyArray.of(new long[] {0, 1, 2}, 3),
                "yneg", NpyArray.of(new int[] {0, -1}, 2),
                "yhot", NpyArray.of(new int[] {0, 1, 1, 0}, 2, 2),
                "yhalf", NpyArray.of(new double[] {0.5, 1}, 2, 1),
                "y", NpyArray.of(new int[] {0, 1}, 2));
        assertMentions(assertThrows(DatasetFormatException.class, () -> Datasets.fromNpz(file, "x_train", "y")),
                "no array 'x_train'", "[x, x5, xi,");
        assertMentions(assertThrows(DatasetFormatException.class, () -> Datasets.fromNpz(file, "x", "y3")),
                "array 'y3'", "(3,)", "2 samples", "array 'x' (2, 2)");
        assertMentions(assertThrows(DatasetFormatException.class, () -> Datasets.fromNpz(file, "x5", "y")),
                "array 'x5'", "(2, 2, 2, 2, 2)");
        assertMentions(assertThrows(DatasetFormatException.class, () -> Datasets.fromNpz(file, "xi", "y")),
                "array 'xi'", "int32", "expected uint8, float32 or float64");
        assertMentions(assertThrows(DatasetFormatException.class, () -> Datasets.fromNpz(file, "x", "yneg")),
                "array 'yneg'", "index 1 is -1");
        assertMentions(assertThrows(DatasetFormatException.class, () -> Datasets.fromNpz(file, "x", "yhot")),
                "array 'yhot'", "(2, 2)", "must be float32 or float64");
        // Float targets of shape (n, 1) stay floats: the dtype says what the user meant.
        assertEquals(Shape.of(1), Datasets.fromNpz(file, "x", "yhalf").targetShape());
    }
}
