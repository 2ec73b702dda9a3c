package io.github.purecnn.model;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.runtime.Step;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a model's layers into the steps the batch engine runs. This is the one place that looks
 * at neighbouring layers: layers describe themselves, the planner decides what runs together.
 *
 * <ul>
 *   <li>A layer that only reshapes (Flatten) gets no step: its output shares its input's buffer.</li>
 *   <li>A last layer with a softmax, under a loss that fuses with it (cross-entropy), takes the
 *       gradient with respect to the softmax's input from the loss and skips the softmax's backward.</li>
 * </ul>
 */
final class Planner {
    private Planner() {
    }

    /**
     * Layers {@code first .. last} run as {@code step}; a null step only reshapes and shares its
     * input's buffer.
     */
    record Planned(Step step, int first, int last) {
    }

    static List<Planned> plan(List<Layer> layers, Kernels kernels, boolean lossFusesWithSoftmax) {
        List<Planned> plan = new ArrayList<>();
        int lastIndex = layers.size() - 1;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (layer.reshapesOnly()) {
                plan.add(new Planned(null, l, l));
                continue;
            }
            boolean preActivation = l == lastIndex && lossFusesWithSoftmax
                    && layer.outputActivation() == Activation.SOFTMAX;
            plan.add(new Planned(layer.newStep(kernels, preActivation), l, l));
        }
        return plan;
    }

    /** Whether the loss hands the last layer the gradient with respect to its softmax's input. */
    static boolean fusesSoftmax(List<Layer> layers, boolean lossFusesWithSoftmax) {
        return lossFusesWithSoftmax && layers.get(layers.size() - 1).outputActivation() == Activation.SOFTMAX;
    }
}
