package io.github.purecnn.benchmarks.plans;

import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.kernels.ReferenceKernels;

/** The kernel paths by the names the benchmarks take: {@code reference}, {@code java}, {@code vector}. */
public final class KernelPaths {
    private KernelPaths() {
    }

    /** A new instance of the named path; {@code vector} needs {@code --add-modules jdk.incubator.vector}. */
    public static Kernels named(String path) {
        return switch (path) {
            case "reference" -> new ReferenceKernels();
            case "java" -> new JavaKernels();
            case "vector" -> KernelsProvider.vector();
            default -> throw new IllegalArgumentException("unknown kernel path '" + path + "': reference, java or vector");
        };
    }
}
