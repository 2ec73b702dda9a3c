package io.github.purecnn.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.IOException;
import java.util.Iterator;

/**
 * Scores the rows of one partition of a {@code Dataset<Row>}: each row comes out with its own
 * values followed by the class probabilities and the predicted class.
 */
final class RowScoring implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final ShippedModel model;
    private final ImageColumn column;
    private final int columnIndex;
    /** The column whose value names a row in error messages, and its index (-1 for none). */
    private final String idColumn;
    private final int idIndex;
    private final int batchSize;

    RowScoring(ShippedModel model, ImageColumn column, int columnIndex, String idColumn, int idIndex, int batchSize) {
        this.model = model;
        this.column = column;
        this.columnIndex = columnIndex;
        this.idColumn = idColumn;
        this.idIndex = idIndex;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws IOException {
        ModelPredictor predictor = model.predictor();
        return new ScoringIterator<>(rows, predictor, batchSize, "row", TaskContext.getPartitionId()) {
            @Override
            protected void readImage(Row row, float[] into, int offset) throws IOException {
                column.read(row, columnIndex, predictor.inputShape(), into, offset);
            }

            @Override
            protected Row result(Row row, float[] probabilities, int predicted) {
                Object[] values = new Object[row.size() + 2];
                for (int i = 0; i < row.size(); i++) {
                    values[i] = row.get(i);
                }
                values[row.size()] = probabilities;
                values[row.size() + 1] = predicted;
                return RowFactory.create(values);
            }

            @Override
            protected String describe(Row row) {
                return idIndex < 0 ? "" : " (" + idColumn + " = " + row.get(idIndex) + ")";
            }
        };
    }
}
