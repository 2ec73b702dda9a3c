package io.github.purecnn.model;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.ScratchNeeds;
import io.github.purecnn.kernels.conv.ConvPoolPlan;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.layers.Pooling2D;
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
 *   <li>A last layer whose activation the loss fuses with (a softmax under cross-entropy, a sigmoid
 *       under binary cross-entropy) takes the gradient with respect to the activation's input from
 *       the loss and skips the activation's backward.</li>
 *   <li>The first layer with weights that train, a Conv2D with ReLU followed by a pooling, runs
 *       with it as one pass where the kernels offer one ({@link Kernels#convReluPool}): the
 *       convolution's output then never leaves the pass. Only there, because the pass computes no
 *       input gradient, which nothing before the first layer whose weights train needs (the engine
 *       passes it none).</li>
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

    /**
     * @param lossActivation the output activation the training loss fuses with (see
     *     {@link io.github.purecnn.losses.Loss#fusedActivation}), or null
     */
    static List<Planned> plan(List<Layer> layers, Kernels kernels, Activation lossActivation) {
        List<Planned> plan = new ArrayList<>();
        int lastIndex = layers.size() - 1;
        boolean inputGradientUnused = true;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (layer.reshapesOnly()) {
                plan.add(new Planned(null, l, l));
                continue;
            }
            if (inputGradientUnused && l < lastIndex) {
                Step fused = convReluPool(layer, layers.get(l + 1), kernels);
                if (fused != null) {
                    plan.add(new Planned(fused, l, l + 1));
                    inputGradientUnused = false;
                    l++;
                    continue;
                }
            }
            inputGradientUnused &= layer.trainableWeights().isEmpty();
            boolean preActivation = l == lastIndex && lossActivation != null
                    && layer.outputActivation() == lossActivation;
            plan.add(new Planned(layer.newStep(kernels, preActivation), l, l));
        }
        return plan;
    }

    /** A step for a Conv2D with ReLU and the pooling after it as one pass, or null where that does not apply. */
    private static Step convReluPool(Layer layer, Layer next, Kernels kernels) {
        if (layer instanceof Conv2D conv && conv.outputActivation() == Activation.RELU && next instanceof Pooling2D pool) {
            ConvPoolPlan plan = kernels.convReluPool(conv.geometry(), conv.filters(), pool.geometry(), pool instanceof MaxPooling2D);
            return plan == null ? null : new ConvPoolStep(conv, pool, plan);
        }
        return null;
    }

    /**
     * A thread's scratch for running the planned steps over shards of up to {@code capacity}
     * images: the most floats, ints and rows (of the longest row length) any step declares.
     */
    static Scratch newScratch(List<Planned> plan, int capacity) {
        ScratchNeeds needs = ScratchNeeds.NONE;
        for (Planned p : plan) {
            if (p.step() != null) {
                needs = ScratchNeeds.larger(needs, p.step().scratchNeeds());
            }
        }
        return new Scratch(needs, capacity);
    }

    /** Whether any of layers {@code first .. last} holds weights that train (not frozen). */
    static boolean holdsTrainableWeights(List<Layer> layers, int first, int last) {
        for (int l = first; l <= last; l++) {
            if (!layers.get(l).trainableWeights().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the loss hands the last layer the gradient with respect to its activation's input. */
    static boolean fuses(List<Layer> layers, Activation lossActivation) {
        return lossActivation != null && layers.get(layers.size() - 1).outputActivation() == lossActivation;
    }
}
