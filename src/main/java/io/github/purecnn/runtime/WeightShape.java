package io.github.purecnn.runtime;

import io.github.purecnn.tensor.Shape;

/**
 * A weight a layer has once built, known before it is built: its own name ({@code "kernel"}),
 * shape, and whether the optimizer trains it. A model file's weights are checked against these
 * before any array is allocated.
 *
 * @param name      the weight's name within its layer
 * @param shape     its shape, in Keras's layout
 * @param trainable whether the optimizer updates it
 */
public record WeightShape(String name, Shape shape, boolean trainable) {
}
