/**
 * The losses, as Keras 3 computes them, made through the factories of
 * {@link io.github.purecnn.losses.Loss} ({@code sparse_categorical_crossentropy},
 * {@code categorical_crossentropy} and {@code binary_crossentropy}, on probabilities or logits;
 * {@code mean_squared_error}, {@code mean_absolute_error}, {@code huber}) and given to
 * {@code Sequential.compile}.
 */
package io.github.purecnn.losses;
