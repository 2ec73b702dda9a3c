package io.github.purecnn.model;

/**
 * What {@code evaluate} returns: the mean loss over the images and the accuracy ({@code NaN}
 * when the model was compiled without the accuracy metric).
 */
public record Evaluation(double loss, double accuracy) {
}
