/**
 * The optimizers, with Keras 3's defaults and update rules: {@link io.github.purecnn.optimizers.SGD},
 * {@link io.github.purecnn.optimizers.Adam}, {@link io.github.purecnn.optimizers.AdamW},
 * {@link io.github.purecnn.optimizers.RMSprop}, {@link io.github.purecnn.optimizers.Nadam},
 * {@link io.github.purecnn.optimizers.Adagrad} and {@link io.github.purecnn.optimizers.Adamax},
 * each with weight decay and gradient clipping; {@link io.github.purecnn.optimizers.Optimizers}
 * makes one from its Keras config. An optimizer owns its state; the members marked
 * {@link io.github.purecnn.Internal} are how the model drives it, not part of the API.
 */
package io.github.purecnn.optimizers;
