/**
 * Image geometry with its backward passes, behind the data side and the preprocessing layers.
 * Internal: users choose these through {@link io.github.purecnn.image.Interpolation} and
 * {@link io.github.purecnn.image.FillMode}. Resizing ({@link io.github.purecnn.kernels.image.Resize},
 * which {@code ImageFolders} and the {@code Resizing} and {@code RandomCrop} layers use) and
 * sampling through a projective transform with Keras's fill modes
 * ({@link io.github.purecnn.kernels.image.ProjectiveTransform}, behind {@code RandomTranslation},
 * {@code RandomRotation} and {@code RandomZoom}).
 *
 * <p>Each is one scalar implementation, whatever kernel path a model runs on: every output value
 * is computed on its own by float operations stated in the class's documentation, and every
 * gradient is summed in a stated order, so every path and every thread count gives the same bits.
 * The arithmetic follows TensorFlow's kernels, which Keras runs on TensorFlow.
 */
package io.github.purecnn.kernels.image;
