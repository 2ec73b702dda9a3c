/**
 * Learning-rate schedules, as Keras's: {@link io.github.purecnn.optimizers.schedules.ExponentialDecay},
 * {@link io.github.purecnn.optimizers.schedules.PiecewiseConstantDecay},
 * {@link io.github.purecnn.optimizers.schedules.CosineDecay} (with warm-up) and
 * {@link io.github.purecnn.optimizers.schedules.InverseTimeDecay}, given to an optimizer's
 * constructor in place of a constant rate.
 */
package io.github.purecnn.optimizers.schedules;
