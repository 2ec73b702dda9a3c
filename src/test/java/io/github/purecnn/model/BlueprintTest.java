package io.github.purecnn.model;

import io.github.purecnn.kernels.Padding;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.ActivationLayer;
import io.github.purecnn.layers.AveragePooling2D;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Layers;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model file knows each layer type's Keras weight shapes before building it; they must be
 * exactly what building the layer creates, for every type {@link Layers#fromConfig} makes.
 */
class BlueprintTest {

    /** Every layer type, with and without bias where there is one, on an input each accepts in this order. */
    private static List<Layer> everyType() {
        return List.of(
                new Conv2D(4, 3, 2).strides(2, 1).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(3, 2).useBias(false),
                new MaxPooling2D(2, 1),
                new AveragePooling2D(2).padding(Padding.SAME),
                new ActivationLayer(Activation.TANH),
                new Dropout(0.3),
                new Flatten(),
                new Dense(5).useBias(false),
                new Dense(7).activation(Activation.SOFTMAX));
    }

    @Test
    void theWeightShapesKnownBeforeBuildingAreTheOnesBuildingCreates() {
        List<Layer> unbuilt = new ArrayList<>();
        for (Layer l : everyType()) {
            unbuilt.add(Layers.fromConfig(l.typeName(), l.config()));
        }
        assertEquals(Layers.TYPES, new TreeSet<>(unbuilt.stream().map(Layer::typeName).toList()),
                "the test covers every type a model file can hold");
        Blueprint blueprint = new Blueprint(1, "m", Shape.of(9, 8, 2), unbuilt, 0, 0);
        List<Blueprint.Weight> expected = blueprint.weights();

        Sequential built = blueprint.build();
        List<Parameter> params = built.parameters();
        assertEquals(params.size(), expected.size());
        for (int i = 0; i < params.size(); i++) {
            assertEquals(params.get(i).shape(), expected.get(i).shape(), params.get(i).path());
        }
        MemoryEstimate before = blueprint.memory(2);
        MemoryEstimate after = MemoryEstimate.of(built.inputShape(), built.layers(), 2);
        assertEquals(after.bytes(16), before.bytes(16), "the same estimate from the blueprint as from the built model");
    }

    @Test
    void aLayerThatCannotTakeItsInputIsNamedBeforeAnythingIsBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Blueprint(1, "m",
                Shape.of(4, 4, 1), List.of(new Flatten(), new Conv2D(2, 3).named("late")), 0, 0));
        assertTrue(e.getMessage().startsWith("model.layers[1]: layer 1 'late' (Conv2D) cannot take input of shape (16,)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Blueprint(1, "m", Shape.of(100_000),
                List.of(new Dense(100_000)), 0, 0));
        assertTrue(e.getMessage().contains("does not fit in one float[]"), e.getMessage());
    }
}
