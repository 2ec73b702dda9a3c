package io.github.purecnn.spark;

import io.github.purecnn.tensor.Shape;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Row;
import scala.Tuple2;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads a row of a {@code Dataset<Row>} and its index into an {@link Example}: the image from its
 * {@link ImageColumn} (raw pixels stay bytes, other kinds become floats) and the class from an
 * integer column. A row that does not fit fails its task with a message naming the row's index.
 */
final class RowExamples implements Function<Tuple2<Row, Long>, Example> {
    private static final long serialVersionUID = 1L;

    private final ImageColumn column;
    private final int imageIndex;
    private final String labelColumn;
    private final int labelIndex;
    /** The model's input shape (Shape is not serializable). */
    private final int[] inputDims;
    private final int classes;

    RowExamples(ImageColumn column, int imageIndex, String labelColumn, int labelIndex, Shape inputShape, int classes) {
        this.column = column;
        this.imageIndex = imageIndex;
        this.labelColumn = labelColumn;
        this.labelIndex = labelIndex;
        this.inputDims = inputShape.dims();
        this.classes = classes;
    }

    @Override
    public Example call(Tuple2<Row, Long> indexed) {
        Row row = indexed._1();
        long index = indexed._2();
        Shape inputShape = Shape.of(inputDims);
        try {
            if (row.isNullAt(labelIndex)) {
                throw new IllegalArgumentException("column '" + labelColumn + "' is null");
            }
            int label = Example.label(((Number) row.get(labelIndex)).longValue(), classes, "column '" + labelColumn + "'");
            if (column.holdsPixelBytes()) {
                return new Example(index, label, column.readPixelBytes(row, imageIndex, inputShape), null);
            }
            float[] values = new float[inputShape.size()];
            column.read(row, imageIndex, inputShape, values, 0);
            return new Example(index, label, null, values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("row " + index + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("row " + index + ": " + e.getMessage(), e);
        }
    }
}
