package io.github.purecnn.model;

import io.github.purecnn.layers.Padding;
import io.github.purecnn.layers.*;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.BatchNormalization;
import io.github.purecnn.layers.Cropping2D;
import io.github.purecnn.layers.DepthwiseConv2D;
import io.github.purecnn.layers.GlobalAveragePooling2D;
import io.github.purecnn.layers.GlobalMaxPooling2D;
import io.github.purecnn.layers.LeakyReLU;
import io.github.purecnn.layers.Reshape;
import io.github.purecnn.layers.SeparableConv2D;
import io.github.purecnn.layers.SpatialDropout2D;
import io.github.purecnn.layers.UpSampling2D;
import io.github.purecnn.layers.ZeroPadding2D;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model file knows each layer type's Keras weight shapes before building it; they must be
 * exactly what building the layer creates, for every type {@link Layers#fromConfig} makes.
 */
class BlueprintTest {

    /** A layer of every type, with and without bias where there is one, each with an input it takes. */
    private static List<Map.Entry<Layer, Shape>> everyType() {
        Shape image = Shape.of(9, 8, 2);
        return List.of(
                Map.entry(new Conv2D(4, 3, 2).strides(2, 1).padding(Padding.SAME).activation(Activation.RELU), image),
                Map.entry(new Conv2D(3, 2).useBias(false).dilationRate(2), image),
                Map.entry(new MaxPooling2D(2, 1), image),
                Map.entry(new AveragePooling2D(2).padding(Padding.SAME), image),
                Map.entry(new ActivationLayer(Activation.TANH), image),
                Map.entry(new Dropout(0.3), image),
                Map.entry(new Flatten(), image),
                Map.entry(new Dense(5).useBias(false), Shape.of(6)),
                Map.entry(new Dense(7).activation(Activation.SOFTMAX), Shape.of(6)),
                Map.entry(new Rescaling(0.5, 1), image),
                Map.entry(new Normalization(), image),
                Map.entry(new Resizing(4, 5), image),
                Map.entry(new RandomFlip(), image),
                Map.entry(new RandomTranslation(0.1, 0.2), image),
                Map.entry(new RandomRotation(0.1), image),
                Map.entry(new RandomZoom(0.2), image),
                Map.entry(new RandomContrast(0.3), image),
                Map.entry(new RandomCrop(5, 6), image),
                Map.entry(new BatchNormalization(), image),
                Map.entry(new BatchNormalization().center(false).scale(false), Shape.of(6)),
                Map.entry(new DepthwiseConv2D(3).depthMultiplier(2).padding(Padding.SAME), image),
                Map.entry(new DepthwiseConv2D(2, 3).useBias(false), image),
                Map.entry(new SeparableConv2D(4, 3).depthMultiplier(3), image),
                Map.entry(new SeparableConv2D(2, 3).useBias(false), image),
                Map.entry(new GlobalAveragePooling2D(), image),
                Map.entry(new GlobalMaxPooling2D().keepDims(true), image),
                Map.entry(new ZeroPadding2D(1, 2), image),
                Map.entry(new Cropping2D(1, 2), image),
                Map.entry(new UpSampling2D(2), image),
                Map.entry(new Reshape(-1, 2), image),
                Map.entry(new SpatialDropout2D(0.2), image),
                Map.entry(new LeakyReLU(), image));
    }

    @Test
    void theWeightShapesKnownBeforeBuildingAreTheOnesBuildingCreates() {
        Set<String> covered = new TreeSet<>();
        for (Map.Entry<Layer, Shape> e : everyType()) {
            Layer unbuilt = Layers.fromConfig(e.getKey().typeName(), e.getKey().config());
            covered.add(unbuilt.typeName());
            Blueprint blueprint = new Blueprint(1, "m", e.getValue(), List.of(unbuilt), 0, 0);
            List<Blueprint.Weight> expected = blueprint.weights();

            Sequential built = blueprint.build();
            List<Parameter> weights = built.weights();
            assertEquals(weights.size(), expected.size(), unbuilt.typeName());
            for (int i = 0; i < weights.size(); i++) {
                assertEquals(weights.get(i).shape(), expected.get(i).shape(), weights.get(i).path());
            }
            MemoryEstimate before = blueprint.memory(2);
            MemoryEstimate after = MemoryEstimate.of(built.inputShape(), built.layers(), 2);
            assertEquals(after.bytes(16), before.bytes(16), "the same estimate from the blueprint as from the built " + unbuilt.typeName());
        }
        assertEquals(new TreeSet<>(Layers.TYPES), covered, "the test covers every type a model file can hold");
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
