package io.github.purecnn.keras;

/**
 * The two forms of Keras configs: Keras 2 (and tf.keras), as in {@code .h5} files, and Keras 3,
 * as in {@code .keras} archives, whose objects carry {@code module} and {@code registered_name}
 * and whose dtypes are policy objects.
 */
enum KerasDialect {
    KERAS2, KERAS3
}
