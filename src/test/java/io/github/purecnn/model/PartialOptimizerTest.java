package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.Optimizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * An optimizer updates exactly the parameters it was built with (a model's trainable ones): the
 * engine skips the others, also when clipping by the global norm, which then covers the trained
 * parameters only.
 */
class PartialOptimizerTest {

    @Test
    void parametersTheOptimizerDoesNotHoldStayAsTheyAre() {
        Sequential model = GoldenModelFileTest.tiny(3);
        List<Parameter> all = model.parameters();
        List<Parameter> trained = List.of(all.get(0), all.get(3));       // conv2d/kernel, dense/bias
        Optimizer opt = new Adam(0.05).globalClipnorm(0.1);
        opt.build(trained);
        model.compile(new Adam(), Loss.sparseCategoricalCrossentropy());   // the loss; its own optimizer is not used here
        float[][] before = new float[all.size()][];
        for (int p = 0; p < all.size(); p++) {
            before[p] = all.get(p).value().clone();
        }
        Dataset data = Dataset.of(GoldenModelFileTest.inputs(20), GoldenModelFileTest.labels(20), 3);
        Objective objective = Objective.of("data", model.name(), data, model.outputShape(), model.loss(), List.of(), null);
        try (BatchEngine engine = new BatchEngine(model.layers(), 20, KernelsProvider.get(), 2, null)) {
            engine.computeGradients(objective, null, 0, 20, 1);
            engine.applyUpdate(opt);
        }
        for (int p = 0; p < all.size(); p++) {
            if (trained.contains(all.get(p))) {
                assertFalse(java.util.Arrays.equals(before[p], all.get(p).value()), all.get(p).path() + " trained");
            } else {
                assertArrayEquals(before[p], all.get(p).value(), all.get(p).path() + " untouched");
            }
        }
    }
}
