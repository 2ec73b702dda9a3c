/**
 * Internal: what the model runs a layer through, not part of the public API.
 * {@link io.github.purecnn.runtime.Step} (a layer's kernel plans for its exact shapes, and per
 * shard of a batch its caches and gradient buffers), {@link io.github.purecnn.runtime.BatchSums}
 * (sums over the whole batch, added in shard order), {@link io.github.purecnn.runtime.Truth} (what
 * a loss reads: labels or targets and sample weights) and
 * {@link io.github.purecnn.runtime.WeightShape} (a layer's weights, known before it is built).
 */
package io.github.purecnn.runtime;
