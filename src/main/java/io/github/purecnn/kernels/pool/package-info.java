/**
 * Internal: pooling plans ({@link io.github.purecnn.kernels.pool.PoolPlan}) and their reference
 * ({@link io.github.purecnn.kernels.pool.ReferencePool}); see {@link io.github.purecnn.kernels}.
 */
package io.github.purecnn.kernels.pool;
