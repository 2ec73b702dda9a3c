package io.github.purecnn.model;

import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.kernels.ReferenceKernels;

/**
 * The implementation of the numeric kernels a model runs on. Every path computes the same
 * values, bit for bit (every sum is taken in one order, the same on every path), so the choice
 * changes speed only; the library picks the fastest one the JVM can run at start-up
 * ({@link #chosen()}), and {@link Sequential#kernelPath(KernelPath)} sets another for one model.
 */
public enum KernelPath {
    /** The simplest correct loops: the yardstick the other paths are tested against. Slow. */
    REFERENCE("reference"),
    /** Plain Java loops shaped for HotSpot's auto-vectoriser: runs on any Java 17+ JVM. */
    PLAIN_JAVA("java"),
    /**
     * The JDK's Vector API (an incubator module): the fastest, available when the JVM was started
     * with {@code --add-modules jdk.incubator.vector}.
     */
    VECTOR_API("vector");

    private final String kernelsName;

    KernelPath(String kernelsName) {
        this.kernelsName = kernelsName;
    }

    /**
     * Whether this JVM can run the path: always, except {@link #VECTOR_API} without the
     * {@code jdk.incubator.vector} module.
     *
     * @return true when {@link Sequential#kernelPath(KernelPath)} accepts this path
     */
    public boolean isAvailable() {
        return this != VECTOR_API || KernelsProvider.vectorApiAvailable();
    }

    /**
     * The path the library chose at start-up for this JVM, which every new model runs on:
     * {@link #VECTOR_API} when available, {@link #PLAIN_JAVA} otherwise.
     *
     * @return the default path
     */
    public static KernelPath chosen() {
        return of(KernelsProvider.get());
    }

    /** The kernels of this path: the start-up choice's own instance when it is this path. */
    Kernels kernels() {
        Kernels chosen = KernelsProvider.get();
        if (chosen.name().equals(kernelsName)) {
            return chosen;
        }
        return switch (this) {
            case REFERENCE -> new ReferenceKernels();
            case PLAIN_JAVA -> new JavaKernels();
            case VECTOR_API -> KernelsProvider.vector();
        };
    }

    /** The path of a kernel implementation. */
    static KernelPath of(Kernels kernels) {
        for (KernelPath p : values()) {
            if (p.kernelsName.equals(kernels.name())) {
                return p;
            }
        }
        throw new IllegalStateException("kernels '" + kernels.name() + "' belong to no kernel path");
    }
}
