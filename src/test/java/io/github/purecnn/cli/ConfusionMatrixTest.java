package io.github.purecnn.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ConfusionMatrixTest {
    // Five images of three classes: true 0 0 1 1 2, predicted 0 1 1 1 0.
    private final ConfusionMatrix m = ConfusionMatrix.of(new int[] {0, 0, 1, 1, 2}, new int[] {0, 1, 1, 1, 0}, 3);

    @Test
    void countsByTrueRowAndPredictedColumn() {
        assertArrayEquals(new int[] {1, 1, 0}, m.counts()[0]);
        assertArrayEquals(new int[] {0, 2, 0}, m.counts()[1]);
        assertArrayEquals(new int[] {1, 0, 0}, m.counts()[2]);
    }

    @Test
    void precisionAndRecallByHand() {
        assertEquals(0.5, m.precision(0));      // predicted 0: images 0 and 4, one right
        assertEquals(0.5, m.recall(0));         // true 0: images 0 and 1, one found
        assertEquals(2.0 / 3, m.precision(1));  // predicted 1: images 1, 2, 3
        assertEquals(1.0, m.recall(1));
        assertEquals(Double.NaN, m.precision(2)); // nothing predicted as 2
        assertEquals(0.0, m.recall(2));
    }

    @Test
    void tableShowsCountsRecallAndPrecision() {
        assertEquals("""
                true \\ predicted     0     1     2    recall
                               0     1     1     0    50.0%
                               1     0     2     0     100%
                               2     1     0     0     0.0%
                       precision 50.0% 66.7%     -
                """, m.table());
    }
}
