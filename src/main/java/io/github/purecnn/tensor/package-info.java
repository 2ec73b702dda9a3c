/**
 * The one array representation: {@link io.github.purecnn.tensor.Tensor}, a flat {@code float[]}
 * with an immutable row-major {@link io.github.purecnn.tensor.Shape}, batch dimension first (NHWC
 * for images).
 */
package io.github.purecnn.tensor;
