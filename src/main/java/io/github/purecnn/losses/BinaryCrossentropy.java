package io.github.purecnn.losses;

import io.github.purecnn.layers.Activation;
import io.github.purecnn.runtime.Truth;

/**
 * Keras's {@code binary_crossentropy}: each value is an independent probability (a sigmoid
 * output) or, with {@code from_logits}, a logit; per row the mean over its values of
 * {@code -(t log(p) + (1 - t) log(1 - p))} with p clipped to {@code [1e-7, 1 - 1e-7]} (Keras 2
 * added 1e-7 inside both logarithms too), or on logits
 * {@code max(z, 0) - z t + log(1 + exp(-|z|))}. Class labels are taken as their one-hot
 * encodings, or as the value itself for a single output.
 *
 * <p>After a sigmoid output the gradient is taken with respect to the sigmoid's input,
 * {@code (p - t) / cols} ({@link #fusedActivation()}), as Keras's TensorFlow backend does by
 * reading the sigmoid's logits; the loss value is still computed from the clipped probabilities.
 */
public final class BinaryCrossentropy extends CrossEntropy {

    /** The loss on probabilities, or on logits when {@code fromLogits}. */
    public BinaryCrossentropy(boolean fromLogits) {
        super(fromLogits);
    }

    @Override
    public String kerasName() {
        return "binary_crossentropy";
    }

    @Override
    public Activation fusedActivation() {
        return fromLogits() ? null : Activation.SIGMOID;
    }

    @Override
    double rowLoss(float[] pred, int base, Truth truth, int row, int cols) {
        float[] t = truth.values();
        double sum = 0;
        for (int j = base; j < base + cols; j++) {
            if (fromLogits()) {
                double z = pred[j];
                sum += Math.max(z, 0) - z * t[j] + StrictMath.log1p(StrictMath.exp(-Math.abs(z)));
            } else {
                float p = clip(pred[j]);
                sum -= t[j] * StrictMath.log(p) + (1 - t[j]) * StrictMath.log(1 - p);
            }
        }
        return sum / cols;
    }

    @Override
    void rowGradient(float[] dPred, float[] pred, int base, Truth truth, int row, int cols, float factor) {
        float[] t = truth.values();
        float f = factor / cols;
        for (int j = base; j < base + cols; j++) {
            if (fromLogits()) {
                float sigmoid = (float) (1.0 / (1.0 + StrictMath.exp(-(double) pred[j])));
                dPred[j] = f * (sigmoid - t[j]);
            } else {
                float p = pred[j];
                // Outside the clipping range the loss is constant, so its gradient is zero.
                dPred[j] = p < EPSILON || p > 1f - EPSILON ? 0f
                        : f * ((1 - t[j]) / (1 - p) - t[j] / p);
            }
        }
    }

    /** {@code factor * (p - t) / cols}. */
    @Override
    void rowFusedGradient(float[] dz, float[] p, int base, Truth truth, int row, int cols, float factor) {
        float[] t = truth.values();
        float f = factor / cols;
        for (int j = base; j < base + cols; j++) {
            dz[j] = f * (p[j] - t[j]);
        }
    }
}
