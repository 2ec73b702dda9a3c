package io.github.purecnn.data;

import io.github.purecnn.io.Npy;
import io.github.purecnn.io.NpyArray;
import io.github.purecnn.io.NpyArray.DType;
import io.github.purecnn.io.Npz;
import io.github.purecnn.tensor.Shape;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Data sets from NumPy files, as Python users save them: {@code np.savez("data.npz",
 * x_train=x, y_train=y)} or {@code np.save} of each array.
 *
 * <p>Inputs {@code x}: uint8, float32 or float64, shape (n, height, width, channels) for images,
 * (n, height, width) for one-channel images (as MNIST is saved), or (n, features) for feature
 * vectors. uint8 values are kept as bytes (a quarter of the memory) and handed out as the chosen
 * {@link PixelScale}; by default as the file holds them, 0..255, as NumPy's
 * {@code x.astype("float32")}. float64 is rounded to float32.
 *
 * <p>Targets {@code y}: an integer array (uint8, int32, int64) of shape (n,) or (n, 1) gives class
 * labels, with as many classes as the largest label plus one; a float array gives float targets,
 * (n,) as one value per sample, (n, ...) as shape (...) per sample (one-hot, soft labels, several
 * regression values).
 *
 * <p>The files are read with the limits of {@link Npy} and {@link Npz}. Shapes that do not make a
 * data set raise a {@link DatasetFormatException} naming the file and the array.
 */
public final class Datasets {
    private Datasets() {
    }

    /**
     * {@link #fromNpz(Path, String, String, PixelScale)} with uint8 inputs handed out as 0..255.
     *
     * @param file  the {@code .npz} archive, as {@code np.savez} or {@code np.savez_compressed} writes it
     * @param xName the name of the inputs' array, such as {@code "x_train"}
     * @param yName the name of the targets' array, such as {@code "y_train"}
     * @return a new in-memory data set of the two arrays
     * @throws DatasetFormatException if an array is missing or the arrays do not make a data set
     * @throws IOException as {@link #fromNpz(Path, String, String, PixelScale)}
     */
    public static Dataset fromNpz(Path file, String xName, String yName) throws IOException {
        return fromNpz(file, xName, yName, PixelScale.RAW);
    }

    /**
     * The data set of arrays {@code xName} and {@code yName} of an {@code .npz} archive, such as
     * {@code "x_train"} and {@code "y_train"}.
     *
     * @param file      the {@code .npz} archive, as {@code np.savez} or {@code np.savez_compressed} writes it
     * @param xName     the name of the inputs' array, such as {@code "x_train"}
     * @param yName     the name of the targets' array, such as {@code "y_train"}
     * @param byteScale how uint8 inputs are handed out; ignored for float inputs
     * @return a new in-memory data set of the two arrays
     * @throws DatasetFormatException if an array is missing (the message lists those present) or
     *     the arrays do not make a data set
     * @throws io.github.purecnn.io.NpyFormatException if the archive is malformed
     * @throws IOException if the file cannot be read or is not a regular file (the message names it)
     * @throws NullPointerException if an array name or {@code byteScale} is null
     */
    public static Dataset fromNpz(Path file, String xName, String yName, PixelScale byteScale) throws IOException {
        Map<String, NpyArray> arrays = Npz.read(file);
        return of(array(file, arrays, xName), file + " array '" + xName + "'",
                array(file, arrays, yName), file + " array '" + yName + "'", byteScale);
    }

    /**
     * {@link #fromNpy(Path, Path, PixelScale)} with uint8 inputs handed out as 0..255.
     *
     * @param xFile the inputs' {@code .npy} file
     * @param yFile the targets' {@code .npy} file
     * @return a new in-memory data set of the two arrays
     * @throws DatasetFormatException if the arrays do not make a data set
     * @throws IOException as {@link #fromNpy(Path, Path, PixelScale)}
     */
    public static Dataset fromNpy(Path xFile, Path yFile) throws IOException {
        return fromNpy(xFile, yFile, PixelScale.RAW);
    }

    /**
     * The data set of two {@code .npy} files, inputs and targets.
     *
     * @param xFile     the inputs' {@code .npy} file, as {@code np.save} writes it
     * @param yFile     the targets' {@code .npy} file, with as many samples as the inputs
     * @param byteScale how uint8 inputs are handed out; ignored for float inputs
     * @return a new in-memory data set of the two arrays
     * @throws DatasetFormatException if the arrays do not make a data set
     * @throws io.github.purecnn.io.NpyFormatException if a file is not a valid {@code .npy} file
     * @throws IOException if a file cannot be read or is not a regular file (the message names it)
     * @throws NullPointerException if {@code byteScale} is null
     */
    public static Dataset fromNpy(Path xFile, Path yFile, PixelScale byteScale) throws IOException {
        return of(Npy.read(xFile), xFile.toString(), Npy.read(yFile), yFile.toString(), byteScale);
    }

    private static NpyArray array(Path file, Map<String, NpyArray> arrays, String name) throws DatasetFormatException {
        NpyArray a = arrays.get(Objects.requireNonNull(name, "array name"));
        if (a == null) {
            throw new DatasetFormatException(file + ": no array '" + name + "'; the archive holds " + arrays.keySet());
        }
        return a;
    }

    /** {@code xWhere} and {@code yWhere} name the arrays in messages. */
    static Dataset of(NpyArray x, String xWhere, NpyArray y, String yWhere, PixelScale byteScale)
            throws DatasetFormatException {
        Objects.requireNonNull(byteScale, "byteScale");
        int[] xShape = x.shape();
        if (xShape.length < 2 || xShape.length > 4) {
            throw new DatasetFormatException(xWhere + ": inputs of shape " + tuple(xShape) + ": expected (n, features),"
                    + " (n, height, width) or (n, height, width, channels)");
        }
        int n = xShape[0];
        int[] yShape = y.shape();
        if (yShape.length == 0 || yShape[0] != n) {
            throw new DatasetFormatException(yWhere + ": targets of shape " + tuple(yShape) + " do not match the " + n
                    + " samples of " + xWhere + " " + tuple(xShape));
        }
        if (Arrays.stream(xShape).anyMatch(d -> d == 0) || Arrays.stream(yShape).anyMatch(d -> d == 0)) {
            throw new DatasetFormatException(xWhere + " " + tuple(xShape) + " and " + yWhere + " " + tuple(yShape)
                    + ": expected at least one sample and no dimension of size 0");
        }
        int[] sample = Arrays.copyOfRange(xShape, 1, xShape.length);
        Shape sampleShape = Shape.of(xShape.length == 3 ? new int[] {sample[0], sample[1], 1} : sample);
        Targets targets = targets(y, yWhere, yShape);
        try {
            return switch (x.dtype()) {
                case UINT8 -> Dataset.adoptBytes(x.toUint8Bytes(), sampleShape, byteScale, targets);
                case FLOAT32, FLOAT64 -> Dataset.of(new FloatSamples(x.toFloats(), sampleShape), targets);
                default -> throw new DatasetFormatException(xWhere + ": inputs of dtype " + x.dtype().numpyName()
                        + ": expected uint8, float32 or float64");
            };
        } catch (ArithmeticException e) {
            throw new DatasetFormatException(xWhere + ": " + e.getMessage(), e);
        }
    }

    private static Targets targets(NpyArray y, String yWhere, int[] yShape) throws DatasetFormatException {
        DType type = y.dtype();
        if (type == DType.FLOAT32 || type == DType.FLOAT64) {
            Shape perSample = yShape.length == 1 ? Shape.of(1) : Shape.of(Arrays.copyOfRange(yShape, 1, yShape.length));
            try {
                return Targets.ofStore(new FloatSamples(y.toFloats(), perSample));
            } catch (ArithmeticException e) {
                throw new DatasetFormatException(yWhere + ": " + e.getMessage(), e);
            }
        }
        if (yShape.length > 2 || (yShape.length == 2 && yShape[1] != 1)) {
            throw new DatasetFormatException(yWhere + ": integer class labels of shape " + tuple(yShape)
                    + ": expected (n,) or (n, 1); one-hot or other targets must be float32 or float64");
        }
        int[] labels;
        try {
            labels = y.toInts();
        } catch (ArithmeticException e) {
            throw new DatasetFormatException(yWhere + ": " + e.getMessage(), e);
        }
        int max = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new DatasetFormatException(yWhere + ": label at index " + i + " is " + labels[i]
                        + ": class labels must be at least 0");
            }
            max = Math.max(max, labels[i]);
        }
        return Targets.adoptClasses(labels, max + 1);
    }

    private static String tuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
