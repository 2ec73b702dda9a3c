package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.tensor.Shape;

import java.util.Map;

/**
 * Keras's {@code class_weight}: one weight per class, turned into a weight per sample as Keras's
 * {@code class_weight_to_sample_weights} does: each sample gets the weight of its class, or 1 for
 * a class the map does not list. A sample's class is its label; for float targets, the index of
 * the largest value of a one-hot or soft target, or the rounded value of a single one.
 */
public final class ClassWeights {
    private ClassWeights() {
    }

    /**
     * The weight of each sample of {@code data} (a new array).
     *
     * @param data the training samples: class labels, or float targets of one row per sample
     *     (one-hot, soft, or a single 0/1 value)
     * @param classWeight Keras's {@code class_weight}: the weight of each class index; classes it
     *     does not list weigh 1
     * @return one weight per sample of {@code data}, in its order
     * @throws IllegalArgumentException for targets with more than one class per sample (Keras
     *     supports class weights for one class per sample only), naming their shape
     */
    public static float[] sampleWeights(Dataset data, Map<Integer, Double> classWeight) {
        float[] weights = new float[data.size()];
        if (data.hasClassLabels()) {
            for (int i = 0; i < weights.length; i++) {
                weights[i] = weightOf(classWeight, data.label(i));
            }
            return weights;
        }
        Shape shape = data.targetShape();
        if (shape.rank() != 1) {
            throw new IllegalArgumentException("class_weight needs one class per sample, the targets have shape " + shape
                    + " per sample: give sample weights instead");
        }
        int each = shape.size();
        float[] t = new float[each];
        for (int i = 0; i < weights.length; i++) {
            data.copyTargets(null, i, 1, t);
            int c = each == 1 ? (int) Math.rint(t[0]) : Metric.argmax(t, 0, each);
            weights[i] = weightOf(classWeight, c);
        }
        return weights;
    }

    private static float weightOf(Map<Integer, Double> classWeight, int c) {
        Double w = classWeight.get(c);
        return w == null ? 1f : (float) (double) w;
    }
}
