package io.github.purecnn.spark;

import io.github.purecnn.data.PixelScale;
import io.github.purecnn.tensor.Shape;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The column of a {@code Dataset<Row>} that holds the images to score, and how it holds them:
 * <ul>
 *   <li>{@link #pixels}: binary, the raw pixels, one unsigned byte per sample, NHWC (row by row,
 *       the channels of a pixel together), scaled to {@code b / 255f} as the core scales byte
 *       pixels ({@link PixelScale#UNIT}, MNIST);</li>
 *   <li>{@link #floats}: an array of floats (or doubles, rounded to float), NHWC, used as given;</li>
 *   <li>{@link #encoded}: binary, the bytes of an image file (PNG, JPEG, BMP, GIF), as Spark's
 *       {@code binaryFile} source reads them into its {@code content} column from any file
 *       system Spark reaches;</li>
 *   <li>{@link #paths}: a string, the path (or {@code file:} URI) of an image file that every
 *       executor can read on its own file system (a local or shared disk).</li>
 * </ul>
 * Image files are decoded with {@code javax.imageio} and scaled by {@code / 255f} as above (see
 * {@link ImageDecoder} for which images fit a model). Every image must have exactly the model's
 * input size: nothing is resized.
 */
public final class ImageColumn implements Serializable {
    private static final long serialVersionUID = 1L;
    /** A URI of another scheme than {@code file:}, such as {@code hdfs://host/dir}. */
    private static final Pattern OTHER_SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:/.*");

    private enum Kind {
        PIXELS("pixels", "binary (raw pixel bytes)"),
        FLOATS("floats", "an array of floats or doubles"),
        ENCODED("encoded", "binary (the bytes of an image file)"),
        PATHS("paths", "a string (the path of an image file)");

        final String factory;
        final String expected;

        Kind(String factory, String expected) {
            this.factory = factory;
            this.expected = expected;
        }
    }

    /** The column's name. */
    private final String name;
    /** How the column holds its images. */
    private final Kind kind;

    private ImageColumn(String name, Kind kind) {
        this.name = Objects.requireNonNull(name, "column name");
        this.kind = kind;
    }

    /** A binary column of raw pixels: unsigned bytes, NHWC, scaled to 0..1 by {@code / 255f}. */
    public static ImageColumn pixels(String name) {
        return new ImageColumn(name, Kind.PIXELS);
    }

    /** An array column of floats (or doubles, rounded to float), NHWC, used as they are. */
    public static ImageColumn floats(String name) {
        return new ImageColumn(name, Kind.FLOATS);
    }

    /** A binary column of image files' bytes (PNG, JPEG, BMP, GIF), such as {@code binaryFile}'s {@code content}. */
    public static ImageColumn encoded(String name) {
        return new ImageColumn(name, Kind.ENCODED);
    }

    /** A string column of paths or {@code file:} URIs of image files that every executor can read. */
    public static ImageColumn paths(String name) {
        return new ImageColumn(name, Kind.PATHS);
    }

    /** The column's name. */
    public String name() {
        return name;
    }

    /**
     * The column's index in {@code schema}, once its type is checked against this kind of column
     * and the model's input.
     *
     * @throws IllegalArgumentException naming the column when it is missing or of another type,
     *     or when image files cannot fit the model's input shape
     */
    int indexIn(StructType schema, Shape inputShape) {
        if (!Arrays.asList(schema.fieldNames()).contains(name)) {
            throw new IllegalArgumentException("no column '" + name + "' among " + Arrays.toString(schema.fieldNames()));
        }
        int index = schema.fieldIndex(name);
        DataType type = schema.fields()[index].dataType();
        boolean fits = switch (kind) {
            case PIXELS, ENCODED -> type.equals(DataTypes.BinaryType);
            case FLOATS -> type instanceof ArrayType array && (array.elementType().equals(DataTypes.FloatType)
                    || array.elementType().equals(DataTypes.DoubleType));
            case PATHS -> type.equals(DataTypes.StringType);
        };
        if (!fits) {
            throw new IllegalArgumentException("column '" + name + "' is of type " + type.simpleString() + ", "
                    + kind.factory + "('" + name + "') needs " + kind.expected);
        }
        if ((kind == Kind.ENCODED || kind == Kind.PATHS) && inputShape.rank() != 3) {
            throw new IllegalArgumentException("column '" + name + "': image files fit models that take"
                    + " (height, width, channels) images, this model takes " + inputShape);
        }
        return index;
    }

    /**
     * Writes the image in field {@code index} of {@code row} into {@code into[offset ..]}, as the
     * model takes it.
     *
     * @throws IllegalArgumentException when the value is null or does not fit the model's input
     * @throws IOException when an image file cannot be read or decoded
     */
    void read(Row row, int index, Shape inputShape, float[] into, int offset) throws IOException {
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException("column '" + name + "' is null");
        }
        switch (kind) {
            case PIXELS -> readPixels(row.<byte[]>getAs(index), inputShape, into, offset);
            case FLOATS -> readFloats(row.getList(index), inputShape, into, offset);
            case ENCODED -> decode(new ByteArrayInputStream(row.<byte[]>getAs(index)), "column '" + name + "'",
                    inputShape, into, offset);
            case PATHS -> readFile(row.getString(index), inputShape, into, offset);
        }
    }

    /** Whether the column holds raw pixel bytes ({@link #pixels}), which training keeps as bytes: a quarter of floats' size. */
    boolean holdsPixelBytes() {
        return kind == Kind.PIXELS;
    }

    /**
     * The raw pixel bytes in field {@code index} of {@code row} (not copied), for a
     * {@link #pixels} column; the model reads them scaled by {@link PixelScale#UNIT}.
     *
     * @throws IllegalArgumentException when the value is null or does not fit the model's input
     */
    byte[] readPixelBytes(Row row, int index, Shape inputShape) {
        if (kind != Kind.PIXELS) {
            throw new IllegalStateException(this + " does not hold raw pixels");
        }
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException("column '" + name + "' is null");
        }
        byte[] pixels = row.getAs(index);
        checkPixelCount(pixels, inputShape);
        return pixels;
    }

    private void readPixels(byte[] pixels, Shape inputShape, float[] into, int offset) {
        checkPixelCount(pixels, inputShape);
        for (int i = 0; i < pixels.length; i++) {
            into[offset + i] = PixelScale.UNIT.toFloat(pixels[i]);
        }
    }

    private void checkPixelCount(byte[] pixels, Shape inputShape) {
        if (pixels.length != inputShape.size()) {
            throw new IllegalArgumentException("column '" + name + "' holds " + pixels.length + " bytes, the model takes"
                    + " images of shape " + inputShape + ", " + inputShape.size() + " bytes");
        }
    }

    private void readFloats(List<Object> values, Shape inputShape, float[] into, int offset) {
        if (values.size() != inputShape.size()) {
            throw new IllegalArgumentException("column '" + name + "' holds " + values.size() + " values, the model takes"
                    + " images of shape " + inputShape + ", " + inputShape.size() + " values");
        }
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            if (v == null) {
                throw new IllegalArgumentException("column '" + name + "' has a null at index " + i);
            }
            into[offset + i] = ((Number) v).floatValue();
        }
    }

    private static void readFile(String location, Shape inputShape, float[] into, int offset) throws IOException {
        String what = "image file '" + location + "'";
        boolean fileUri = location.startsWith("file:");
        if (!fileUri && OTHER_SCHEME.matcher(location).matches()) {
            throw new IllegalArgumentException(what + ": only local paths and file: URIs are read here; read files"
                    + " from other file systems with spark.read().format(\"binaryFile\") and score its content column"
                    + " with ImageColumn.encoded(\"content\")");
        }
        Path file;
        try {
            file = fileUri ? Path.of(URI.create(location)) : Path.of(location);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": not a path or file: URI (" + e.getMessage() + ")", e);
        }
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            NoSuchFileException named = new NoSuchFileException(location, null, "image file does not exist");
            named.initCause(e);
            throw named;
        } catch (IOException e) {
            throw new IOException("cannot open " + what + ": " + e, e);
        }
        try (in) {
            decode(in, what, inputShape, into, offset);
        }
    }

    private static void decode(InputStream in, String what, Shape inputShape, float[] into, int offset)
            throws IOException {
        try {
            ImageDecoder.decode(in, inputShape, into, offset);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException(what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return kind.factory + "('" + name + "')";
    }
}
