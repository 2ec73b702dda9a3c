/**
 * The numeric core: plans per operation and exact geometry, on three paths that compute the same
 * bits. Internal: models use it through their layers; nothing here is part of the public API.
 *
 * <h2>Paths and plans</h2>
 * A {@link io.github.purecnn.kernels.Kernels} is a path: {@code reference} (the simplest correct
 * loops, the yardstick), {@code java} (plain Java shaped for HotSpot's auto-vectoriser, the
 * default) and {@code vector} (the JDK's Vector API, when the JVM has
 * {@code --add-modules jdk.incubator.vector}; {@link io.github.purecnn.kernels.KernelsProvider}
 * picks it at start-up; a model's engine on that choice runs a short run's batches on plain Java,
 * whose code the JIT compiles sooner, and moves to the Vector API when the run ahead is long enough
 * to pay for its warm-up, which the shared order of every sum keeps invisible in the results).
 * A path hands out a plan per operation family and exact geometry, chosen
 * once when a model is built: {@link io.github.purecnn.kernels.conv.ConvPlan} (convolutions, and
 * dense layers as a 1x1 window over one pixel), {@link io.github.purecnn.kernels.depthwise.DepthwisePlan}
 * (depthwise convolutions), both {@link io.github.purecnn.kernels.LinearPlan}s;
 * {@link io.github.purecnn.kernels.pool.PoolPlan} (pooling, global pooling as one window over the
 * image); {@link io.github.purecnn.kernels.conv.ConvPoolPlan} (a convolution with ReLU and its
 * pooling as one pass, where a path has one). Element-wise work
 * ({@link io.github.purecnn.kernels.Activations}), batch normalisation's arithmetic
 * ({@link io.github.purecnn.kernels.Normalization}), data movement
 * ({@link io.github.purecnn.kernels.Spatial}: padding, cropping, upsampling) and the optimizers'
 * update rules ({@link io.github.purecnn.kernels.OptimizerUpdates}) are one scalar implementation
 * for every path. Plans hold no mutable state; what they need besides their
 * arguments they declare: a packed copy of the kernel, remade when the kernel changes, and
 * per-thread {@link io.github.purecnn.kernels.Scratch}.
 *
 * <p>Legend used in every kernel file: n images; H, W, C input height, width and channels; R, S
 * window height and width; K filters (output channels); OH, OW output height and width. Images
 * are NHWC, kernels (R, S, C, K) as in Keras.
 *
 * <h2>The order of every sum</h2>
 * Floating-point addition is not associative, so a result depends on the order in which its
 * terms are added. Every sum here has one order, the same on every path, at every vector width and
 * with any number of threads, so that the same seed trains to the same weights everywhere:
 * <ul>
 *   <li>Convolution output {@code out[b, oy, ox, k]}: a chain of fused multiply-adds
 *       ({@link java.lang.Math#fma}, one rounding each; the Vector API's {@code fma} rounds alike)
 *       from +0 over the window cells r, then s, then the channels c; then {@code + bias[k]}; then
 *       ReLU as {@code Math.max(x, 0f)}.</li>
 *   <li>Convolution input gradient {@code dIn[b, iy, ix, c]}: from +0 over the window cells r, s
 *       (in order) that put the cell under an output, and for each over the filters k.</li>
 *   <li>Convolution kernel gradient {@code dKernel[r, s, c, k]}: from +0 over the shard's output
 *       pixels b, oy, ox in order; bias gradient: plain additions from +0 in the same order.</li>
 *   <li>Dense layers are the convolution with a 1x1 window over one pixel: the terms run over the
 *       inputs i (forward), the outputs o (input gradient) or the shard's images b (kernel gradient).</li>
 *   <li>Depthwise convolution output {@code out[b, oy, ox, c*M + m]}: fused multiply-adds from +0
 *       over the window cells r, then s; then {@code + bias}; then ReLU. Input gradient
 *       {@code dIn[b, iy, ix, c]}: over the cells r, s that reach the input cell, and for each over
 *       the multipliers m. Kernel gradient: over the shard's output pixels b, oy, ox; bias
 *       gradient: plain additions in the same order ({@code ReferenceDepthwise}). A separable
 *       convolution is the depthwise one (no bias), rounded to float, then a 1x1 convolution.</li>
 *   <li>Batch normalisation: per channel, sums of x and x * x (forward), of dy and dy * xhat
 *       (backward), in double from +0 over the shard's rows (images, then pixels); the model adds
 *       the shards' sums in shard order ({@code runtime.BatchSums}); per-element work in float in
 *       the order {@code Normalization} states.</li>
 *   <li>Nearest upsampling's gradient: for each input pixel, the gradients of its copies from +0,
 *       rows first, then columns ({@code Spatial}).</li>
 *   <li>The preprocessing layers' image transforms (resizing, sampling through an affine
 *       transform) and their backward passes: one scalar implementation for every path, in
 *       {@link io.github.purecnn.kernels.image}, whose classes state their float operations and the order
 *       in which gradients are added.</li>
 *   <li>Pooling, activations, losses, softmax, the optimizers: see
 *       {@link io.github.purecnn.kernels.pool.ReferencePool}, {@code Activations} and
 *       {@code OptimizerUpdates}: each output on its own, by the same scalar operations on every path.</li>
 *   <li>Across shards: the model sums the shards' parameter gradients in shard order; shards are
 *       cut by the batch size alone (16 images each).</li>
 * </ul>
 * A padding cell adds a zero term. Fast plans may add it or skip it: adding a zero (of either
 * sign) leaves a non-zero sum unchanged and turns a zero sum into +0, and a chain that starts from
 * +0 can only hold -0 where a product too small for a float rounded to it, so both give the same
 * bits for finite values outside that underflow. Plans vectorise across independent outputs (filters, channels, pixels), never across
 * the terms of one sum, so no path ever reorders one.
 *
 * <p>Every plan is tested against the reference bit for bit ({@code PlansMatchReferenceTest}),
 * and models trained on every path compared weight for weight ({@code SameBitsOnEveryPathTest}).
 */
package io.github.purecnn.kernels;
