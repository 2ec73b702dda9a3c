/**
 * Weight penalties, as Keras's {@code L1}, {@code L2} and {@code L1L2}:
 * {@link io.github.purecnn.regularizers.Regularizer}, which {@code Dense} and {@code Conv2D} take
 * as their kernel and bias regularizers.
 */
package io.github.purecnn.regularizers;
