/**
 * Data sets, the Keras way: a {@link io.github.purecnn.data.Dataset} holds inputs of any shape
 * (NHWC for images) with {@link io.github.purecnn.data.Targets}, class labels or float values,
 * stored as bytes, floats or a memory-mapped file, and gathers batches without allocating.
 * Readers: {@link io.github.purecnn.data.Mnist} (MNIST-format IDX folders, through the strict
 * {@link io.github.purecnn.data.IdxReader}), {@link io.github.purecnn.data.Cifar} (CIFAR-10 and
 * CIFAR-100 binaries), {@link io.github.purecnn.data.ImageFolders} (Keras's
 * {@code image_dataset_from_directory}), {@link io.github.purecnn.data.Datasets} (NumPy
 * {@code .npy}/{@code .npz}) and {@link io.github.purecnn.data.DatasetFile} (data sets larger than
 * the heap). A file that cannot be read fails with an {@code IOException} naming it.
 */
package io.github.purecnn.data;
