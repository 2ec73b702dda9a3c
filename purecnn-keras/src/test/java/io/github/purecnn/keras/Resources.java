package io.github.purecnn.keras;

import io.github.purecnn.io.Npy;
import io.github.purecnn.io.NpyArray;
import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The test resources under {@code keras/} (see its README) and the kernel paths to run them on. */
final class Resources {
    private Resources() {
    }

    static Path file(String name) {
        try {
            return Path.of(Resources.class.getResource("/keras/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource keras/" + name, e);
        }
    }

    /** A float32 {@code .npy} as a tensor. */
    static Tensor tensor(String name) throws IOException {
        NpyArray a = Npy.read(file(name));
        return new Tensor(Shape.of(a.shape()), a.toFloats());
    }

    /** A float64 {@code .npy}'s values. */
    static double[] doubles(String name) throws IOException {
        return Npy.read(file(name)).toDoubles();
    }

    /** Both kernel paths: plain Java, and the Vector API where the JVM has it (the build's tests always do). */
    static List<Kernels> kernelPaths() {
        return KernelsProvider.vectorApiAvailable() ? List.of(new JavaKernels(), KernelsProvider.vector())
                : List.of(new JavaKernels());
    }
}
