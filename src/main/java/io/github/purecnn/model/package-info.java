/**
 * Models: {@link io.github.purecnn.model.Sequential} (build, summary, compile, fit, evaluate,
 * predict, save, load), the options of {@code fit} ({@link io.github.purecnn.model.FitOptions}),
 * its results ({@link io.github.purecnn.model.History}, {@link io.github.purecnn.model.EpochLog},
 * {@link io.github.purecnn.model.Evaluation}), the {@link io.github.purecnn.model.Metric}s, the
 * callbacks ({@link io.github.purecnn.model.Callback}: early stopping, checkpoints, learning-rate
 * changes, CSV logs, stopping on NaN), the kernel path a model runs on
 * ({@link io.github.purecnn.model.KernelPath}), the model file and the service interface through
 * which optional modules add file formats ({@link io.github.purecnn.model.ModelFileFormat}), and
 * {@link io.github.purecnn.model.LeNet}, the seed architecture.
 */
package io.github.purecnn.model;
