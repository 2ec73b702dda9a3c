/**
 * Internal: convolution and dense plans ({@link io.github.purecnn.kernels.conv.ConvPlan}), on the
 * reference, plain-Java and Vector API paths, and a convolution fused with its ReLU and pooling
 * ({@link io.github.purecnn.kernels.conv.ConvPoolPlan}); see {@link io.github.purecnn.kernels}
 * for the order of every sum.
 */
package io.github.purecnn.kernels.conv;
