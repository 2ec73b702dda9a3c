/**
 * The layers, with Keras's names, arguments, defaults, initialisers and weight layouts
 * ({@link io.github.purecnn.layers.Conv2D}, {@link io.github.purecnn.layers.Dense},
 * {@link io.github.purecnn.layers.BatchNormalization}, the poolings, the preprocessing and
 * augmentation layers, ...), the {@link io.github.purecnn.layers.Activation}s and
 * {@link io.github.purecnn.layers.Initializer}s they take, their weights
 * ({@link io.github.purecnn.layers.Parameter}), and {@link io.github.purecnn.layers.Layers}, which
 * rebuilds a layer from its Keras config. A layer of your own extends
 * {@link io.github.purecnn.layers.CustomLayer}, the one layer class open to subclasses; the members
 * marked {@link io.github.purecnn.Internal} are how the model runs a layer, not part of the API.
 */
package io.github.purecnn.layers;
