package io.github.purecnn.model;

import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the estimate counts, by hand, and the refusal's message. */
class MemoryEstimateTest {
    /** Input (10,), a Dense of 5 (55 parameters), a Dense of 2 (12 parameters). */
    private static MemoryEstimate twoDense(int optimizerArrays) {
        return new MemoryEstimate(Shape.of(10), List.of(
                new MemoryEstimate.LayerSize("hidden", "Dense", Shape.of(5), 55, 0),
                new MemoryEstimate.LayerSize("out", "Dense", Shape.of(2), 12, 0)), optimizerArrays);
    }

    @Test
    void countsWeightsGradientsOptimizerStateShardGradientsAndActivations() {
        // Batch 16, one shard: per parameter 4 bytes each of value, gradient, 2 Adam arrays, 1 shard gradient.
        long perImage = 4 * 10 + 12 * (5 + 2);
        assertEquals(67 * 4 * 5 + 16 * perImage, twoDense(2).bytes(16));
        assertEquals(67 * 4 * 3 + 16 * perImage, twoDense(0).bytes(16), "no optimizer state before compiling");
        // Batch 33: three shards, each with its own parameter gradients.
        assertEquals(67 * 4 * 7 + 33 * perImage, twoDense(2).bytes(33));
    }

    @Test
    void aModelThatFitsHasNoShortfall() {
        MemoryEstimate m = twoDense(2);
        assertNull(m.shortfall(16, 100, m.bytes(16) + 100));
    }

    @Test
    void theShortfallGivesBothSizesAndNamesTheLargestLayer() {
        MemoryEstimate m = twoDense(2);
        long needed = m.bytes(16) + 1000;
        String why = m.shortfall(16, 1000, needed - 1);
        assertTrue(why.startsWith("needs about " + MemoryEstimate.size(needed) + " of memory for batches of 16 images"), why);
        assertTrue(why.contains("more than the " + MemoryEstimate.size(needed - 1) + " this JVM may use (-Xmx)"), why);
        assertTrue(why.contains("layer 'hidden' (Dense, output (5,), 55 parameters) with 2.01 KiB"), why);
    }

    @Test
    void sizesReadAsAPersonWouldSayThem() {
        assertEquals("512 bytes", MemoryEstimate.size(512));
        assertEquals("1.50 KiB", MemoryEstimate.size(1536));
        assertEquals("10.0 MiB", MemoryEstimate.size(10L << 20));
        assertEquals("931 MiB", MemoryEstimate.size(976_320_000));
        assertEquals("6.94 GiB", MemoryEstimate.size(7_451_000_000L));
    }
}
