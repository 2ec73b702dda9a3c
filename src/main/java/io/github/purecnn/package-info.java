/**
 * purecnn: convolutional neural networks in pure Java, the Keras way.
 *
 * <p>The public API is what the module {@code io.github.purecnn} exports, less the members marked
 * {@link io.github.purecnn.Internal}:
 * <ul>
 *   <li>{@link io.github.purecnn.model}: {@code Sequential} (build, compile, fit, evaluate, predict,
 *       save, load), its options, callbacks and metrics;</li>
 *   <li>{@link io.github.purecnn.layers}: the Keras layers, activations, initialisers, and
 *       {@code CustomLayer} for layers of your own;</li>
 *   <li>{@link io.github.purecnn.losses}, {@link io.github.purecnn.optimizers} (with
 *       {@link io.github.purecnn.optimizers.schedules}), {@link io.github.purecnn.regularizers};</li>
 *   <li>{@link io.github.purecnn.data}: data sets, MNIST, CIFAR, image folders, NumPy, data larger
 *       than memory;</li>
 *   <li>{@link io.github.purecnn.tensor}: shapes and tensors; {@link io.github.purecnn.io}: NumPy's
 *       {@code .npy} and {@code .npz} files; {@link io.github.purecnn.image}: image options shared by
 *       data and layers; {@link io.github.purecnn.visual}: pictures of digits, training curves,
 *       feature maps and confusion matrices.</li>
 * </ul>
 * The kernels ({@code io.github.purecnn.kernels} and below), the engine's step types
 * ({@code io.github.purecnn.runtime}), file utilities ({@code io.github.purecnn.io.internal}) and
 * the command line ({@code io.github.purecnn.cli}) are internal packages the module does not export.
 */
package io.github.purecnn;
