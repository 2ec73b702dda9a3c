package io.github.purecnn.regularizers;

import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Layers;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The penalties by hand, their Keras configs, and how layers take them. */
class RegularizerTest {
    private static final float[] W = {0.5f, -2f, 0f, 1.5f};

    /** sum |w| = 4, sum w^2 = 0.25 + 4 + 0 + 2.25 = 6.5. */
    @Test
    void penaltiesAndGradientsByHand() {
        assertEquals(0.04, Regularizer.l1(0.01).loss(W), 1e-15);
        assertEquals(0.065, Regularizer.l2(0.01).loss(W), 1e-15);
        assertEquals(0.4 + 0.13, Regularizer.l1l2(0.1, 0.02).loss(W), 1e-15);
        float[] g = {1f, 1f, 1f, 1f};
        // l1 sign(w) + 2 l2 w = 0.1 sign(w) + 0.04 w; sign(0) = 0
        Regularizer.l1l2(0.1, 0.02).addGradient(g, W, 0, 4);
        assertArrayEquals(new float[] {1f + 0.1f + 0.02f, 1f - 0.1f - 0.08f, 1f, 1f + 0.1f + 0.06f}, g, 1e-7f);
        float[] part = {0f, 0f, 0f, 0f};
        Regularizer.l2(0.5f).addGradient(part, W, 1, 3);
        assertArrayEquals(new float[] {0f, -2f, 0f, 0f}, part, "only [from, to)");
    }

    @Test
    void kerasConfigsAndNames() {
        assertEquals(Map.of("class_name", "L2", "config", Map.of("l2", 0.01)), Regularizer.l2(0.01).serialize());
        assertEquals(Map.of("l1", 0.1, "l2", 0.0), Regularizer.l1l2(0.1, 0).config());
        for (Regularizer r : new Regularizer[] {Regularizer.l1(0.3), Regularizer.l2(1e-4), Regularizer.l1l2(0.1, 0.2)}) {
            assertEquals(r, Regularizer.fromConfig(r.serialize()));
        }
        // Keras 3 writes the module and registered name too; Keras accepts names with its defaults
        Map<String, Object> keras3 = new LinkedHashMap<>();
        keras3.put("module", "keras.regularizers");
        keras3.put("class_name", "L1");
        keras3.put("config", Map.of("l1", 0.05));
        keras3.put("registered_name", null);
        assertEquals(Regularizer.l1(0.05), Regularizer.fromConfig(keras3));
        assertEquals(Regularizer.l2(0.01), Regularizer.fromConfig("l2"));
        assertEquals(Regularizer.l1l2(0, 0), Regularizer.fromConfig("l1_l2"));
    }

    @Test
    void badConfigsAreRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Regularizer.fromConfig(Map.of("class_name", "OrthogonalRegularizer", "config", Map.of())));
        assertTrue(e.getMessage().contains("OrthogonalRegularizer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Regularizer.fromConfig(Map.of("class_name", "L2", "config", Map.of("l1", 0.1))));
        assertTrue(e.getMessage().contains("L2 config") && e.getMessage().contains("'l1'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Regularizer.l2(-1));
        assertTrue(e.getMessage().contains("l2") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Layers.fromConfig("Dense",
                Map.of("units", 2L, "kernel_regularizer", Map.of("class_name", "L3", "config", Map.of()))));
        assertTrue(e.getMessage().contains("Dense config: key 'kernel_regularizer'") && e.getMessage().contains("L3"),
                e.getMessage());
    }

    /** The layers that opt in put their regularizers into their configs, and Layers.fromConfig reads them back. */
    @Test
    void layerConfigsRoundTrip() {
        Layer dense = new Dense(3).kernelRegularizer(Regularizer.l2(0.02)).biasRegularizer(Regularizer.l1(0.5));
        Layer conv = new Conv2D(2, 3).kernelRegularizer(Regularizer.l1l2(0.01, 0.03));
        new Sequential(0, Shape.of(5, 5, 1), conv);
        new Sequential(0, Shape.of(4), dense);
        assertEquals(Regularizer.l2(0.02).serialize(), dense.config().get("kernel_regularizer"));
        assertEquals(Regularizer.l1(0.5).serialize(), dense.config().get("bias_regularizer"));
        assertNull(conv.config().get("bias_regularizer"), "only the regularizers that are set");
        for (Layer l : new Layer[] {dense, conv}) {
            Layer again = Layers.fromConfig(l.typeName(), l.config());
            assertEquals(l.config(), again.config(), l.typeName());
        }
        assertEquals(Regularizer.l2(0.02), dense.parameters().get(0).regularizer(), "the kernel parameter carries it");
        assertEquals(Regularizer.l1(0.5), dense.parameters().get(1).regularizer());
        assertNull(conv.parameters().get(1).regularizer());
    }

    @Test
    void aBiasRegularizerWithoutBiasIsIgnoredAsInKeras() {
        Dense d = new Dense(2).useBias(false).biasRegularizer(Regularizer.l2(1));
        new Sequential(0, Shape.of(3), d);
        assertEquals(1, d.parameters().size());
        assertNull(d.parameters().get(0).regularizer());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.kernelRegularizer(Regularizer.l2(1)));
        assertTrue(e.getMessage().contains("already built"), e.getMessage());
    }
}
