/**
 * Options of image geometry that the data side and the preprocessing layers share, with Keras's
 * names: {@link io.github.purecnn.image.Interpolation} (how {@code ImageFolders}, {@code Resizing},
 * {@code RandomCrop} and the affine augmentation layers sample between pixels) and
 * {@link io.github.purecnn.image.FillMode} (how {@code RandomTranslation}, {@code RandomRotation}
 * and {@code RandomZoom} extend an image beyond its border). The arithmetic behind them is
 * internal; its float operations follow TensorFlow's kernels, which Keras runs on TensorFlow.
 */
package io.github.purecnn.image;
