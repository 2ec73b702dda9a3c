package io.github.purecnn.model;

import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.layers.Layer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the engine pairs layers: the fused conv + pool block, and the planar hand-over of the conv after it. */
class BatchEngineTest {

    @Test
    void theSeedModelFusesConv1WithPool1AndConv2HandsItsInputGradientOverInPlanesOnTheVectorKernels() {
        List<Layer> layers = LeNet.create(1).layers();
        Kernels vector = KernelsProvider.vector();
        boolean[] fused = BatchEngine.fusedWithNext(layers, vector);
        assertArrayEquals(new boolean[] {true, false, false, false, false, false, false, false}, fused);
        assertTrue(BatchEngine.planarHandOver(layers, fused, 2, vector), "conv2 after conv1 + pool1");
        for (int l = 0; l < layers.size(); l++) {
            if (l != 2) {
                assertFalse(BatchEngine.planarHandOver(layers, fused, l, vector), "layer " + l);
            }
        }
        for (Kernels k : new Kernels[] {new ReferenceKernels(), new JavaKernels()}) {
            boolean[] none = BatchEngine.fusedWithNext(layers, k);
            assertArrayEquals(new boolean[layers.size()], none, k.name());
            assertFalse(BatchEngine.planarHandOver(layers, none, 2, k), k.name());
        }
    }
}
