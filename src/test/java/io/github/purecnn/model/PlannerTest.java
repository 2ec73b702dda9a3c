package io.github.purecnn.model;

import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.AveragePooling2D;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.layers.Padding;
import io.github.purecnn.layers.RandomFlip;
import io.github.purecnn.layers.Rescaling;
import io.github.purecnn.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the planner makes of the suite's models on each kernel path: which layers share a step. */
class PlannerTest {

    /** "first-last" per step, "-" for a layer that only reshapes. */
    private static String spans(List<Layer> layers, Kernels kernels, boolean fusedLoss) {
        List<String> spans = new ArrayList<>();
        for (Planner.Planned p : Planner.plan(layers, kernels, fusedLoss ? Activation.SOFTMAX : null)) {
            spans.add(p.step() == null ? "-" : p.first() == p.last() ? "" + p.first() : p.first() + "-" + p.last());
        }
        return String.join(" ", spans);
    }

    private static List<Layer> convnet() {
        return new Sequential(1, Shape.of(28, 28, 1),
                new Conv2D(32, 3).activation(Activation.RELU), new MaxPooling2D(2),
                new Conv2D(64, 3).activation(Activation.RELU), new MaxPooling2D(2),
                new Flatten(), new Dropout(0.5), new Dense(10).activation(Activation.SOFTMAX)).layers();
    }

    private static List<Layer> strided() {
        return new Sequential(1, Shape.of(28, 28, 1),
                new Conv2D(16, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU),
                new Conv2D(32, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU),
                new Flatten(), new Dense(10).activation(Activation.SOFTMAX)).layers();
    }

    @Test
    void theReferencePathFusesTheFirstConvWithItsPoolingEverywhereItCan() {
        Kernels ref = new ReferenceKernels();
        assertEquals("0-1 2 3 - 5 6 7", spans(LeNet.create(1).layers(), ref, true));
        assertEquals("0-1 2 3 - 5 6", spans(convnet(), ref, true));
        assertEquals("0 1 - 3", spans(strided(), ref, true), "no pooling after the first conv");
    }

    @Test
    void thePlainJavaPathRunsEveryLayerOnItsOwn() {
        Kernels java = new JavaKernels();
        assertEquals("0 1 2 3 - 5 6 7", spans(LeNet.create(1).layers(), java, true));
        assertEquals("0 1 2 3 - 5 6", spans(convnet(), java, true));
    }

    @Test
    void theVectorPathFusesTheFirstConvWithItsPoolingInTheSuite() {
        Kernels vector = KernelsProvider.vector();
        assertEquals("0-1 2 3 - 5 6 7", spans(LeNet.create(1).layers(), vector, true));
        assertEquals("0-1 2 3 - 5 6", spans(convnet(), vector, true));
        assertEquals("0 1 - 3", spans(strided(), vector, true), "no pooling after the first conv");
    }

    @Test
    void onlyAReluConvFirstAndAPoolingAfterItFuse() {
        Kernels ref = new ReferenceKernels();
        Shape in = Shape.of(8, 8, 1);
        assertEquals("0 1 - 3", spans(new Sequential(1, in, new Conv2D(2, 3).activation(Activation.TANH), new AveragePooling2D(2),
                new Flatten(), new Dense(2)).layers(), ref, false), "tanh");
        assertEquals("0 1 2 - 4", spans(new Sequential(1, in, new Conv2D(2, 3).activation(Activation.RELU), new Dropout(0.5),
                new MaxPooling2D(2), new Flatten(), new Dense(2)).layers(), ref, false), "not a pooling next");
        assertEquals("0 1 2 - 4", spans(new Sequential(1, in, new Conv2D(2, 1).activation(Activation.TANH),
                new Conv2D(2, 1).activation(Activation.RELU), new MaxPooling2D(2), new Flatten(), new Dense(2)).layers(), ref, false),
                "only the first computing layer");
    }

    /** The fused pass computes no input gradient, which nothing before the first layer with parameters needs. */
    @Test
    void layersWithoutParametersInFrontLeaveTheFusionOn() {
        Kernels ref = new ReferenceKernels();
        Shape in = Shape.of(8, 8, 1);
        assertEquals("0 1 2-3 - 5", spans(new Sequential(1, in, new Rescaling(0.5), new RandomFlip(),
                new Conv2D(2, 3).activation(Activation.RELU), new MaxPooling2D(2), new Flatten(), new Dense(2)).layers(),
                ref, false));
        assertEquals("0 1-2 - 4", spans(new Sequential(1, in, new Dropout(0.2),
                new Conv2D(2, 3).activation(Activation.RELU), new AveragePooling2D(2), new Flatten(), new Dense(2)).layers(),
                ref, false));
    }

    @Test
    void everyStepSaysWhatRuns() {
        BatchEngine engine = new BatchEngine(LeNet.create(1).layers(), 64, KernelsProvider.vector(), 1, Activation.SOFTMAX);
        String plan = engine.describe();
        engine.close();
        for (String layer : List.of("conv2d", "average_pooling2d", "conv2d_1", "average_pooling2d_1", "dense", "dense_1", "dense_2")) {
            assertTrue(plan.contains(layer + ":") || plan.contains(layer + " + "), layer + " in " + plan);
        }
    }
}
