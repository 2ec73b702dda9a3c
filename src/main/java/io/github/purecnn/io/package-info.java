/**
 * NumPy's files, read and written exactly as NumPy does: {@link io.github.purecnn.io.Npy}
 * ({@code .npy}, one array, an {@link io.github.purecnn.io.NpyArray}) and
 * {@link io.github.purecnn.io.Npz} ({@code .npz}, named arrays), with limits against corrupt or
 * hostile files and {@link io.github.purecnn.io.NpyFormatException}s naming the file and entry.
 */
package io.github.purecnn.io;
