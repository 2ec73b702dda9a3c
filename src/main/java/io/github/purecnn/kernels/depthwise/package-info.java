/**
 * Internal: depthwise convolution plans ({@link io.github.purecnn.kernels.depthwise.DepthwisePlan})
 * on the reference, plain-Java and Vector API paths; see {@link io.github.purecnn.kernels} for the
 * order of every sum.
 */
package io.github.purecnn.kernels.depthwise;
