/**
 * Internal file utilities, not part of the public API (the module exports them to the Keras
 * module only): a strict JSON reader and writer ({@link io.github.purecnn.io.internal.Json},
 * {@link io.github.purecnn.io.internal.ConfigReader}), atomic replacement of files
 * ({@link io.github.purecnn.io.internal.AtomicFiles}), and what every reader opens files through:
 * {@link io.github.purecnn.io.internal.RegularFiles}, {@link io.github.purecnn.io.internal.ZipArchives}
 * and {@link io.github.purecnn.io.internal.StrictGzipInputStream}.
 */
package io.github.purecnn.io.internal;
