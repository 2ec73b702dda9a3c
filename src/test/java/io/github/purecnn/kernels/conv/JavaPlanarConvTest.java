package io.github.purecnn.kernels.conv;

import io.github.purecnn.kernels.Window2D;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What JavaPlanarConv declares; its values are checked against the reference in PlansMatchReferenceTest. */
class JavaPlanarConvTest {

    @Test
    void planesTooLargeForOneArrayAreRefusedNamingTheGeometry() {
        Window2D g = Window2D.of(40_000, 40_000, 1, 3, 3, 1, 1, true);
        JavaPlanarConv plan = new JavaPlanarConv(g, 8, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> plan.scratchFloats(16));
        assertTrue(e.getMessage().contains("40000x40000x1 3x3/1 same"), e.getMessage());
    }

    @Test
    void scratchCoversTheLargestPassAndRowsAreWholeCacheLines() {
        Window2D g = Window2D.of(13, 13, 32, 3, 3, 1, 1, false);
        JavaPlanarConv plan = new JavaPlanarConv(g, 64, true);
        // forward: 32 channel planes of 16 images of 13x13 and a slack of 2 rows and 2 columns
        assertTrue(plan.scratchFloats(16) >= 32 * (16 * 13 * 13 + 2 * 13 + 2));
        assertTrue(plan.scratchRows(16) > FmaRows.GROUP);
        assertTrue((16 + 4 * plan.scratchRowLength(16)) % 64 == 0, "a row array takes whole 64-byte lines");
    }
}
