package io.github.purecnn.kernels;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the kernel implementation once, when first asked: the Vector API one when the JVM was
 * started with {@code --add-modules jdk.incubator.vector}, the plain-Java one otherwise. The
 * Vector API class is loaded by name only after the module is known to be present, so the
 * library runs on any Java 17+ JVM without the flag.
 */
public final class KernelsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(KernelsProvider.class);
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_IMPLEMENTATION = "io.github.purecnn.kernels.VectorKernels";

    private KernelsProvider() {
    }

    private static final class Holder {
        static final Kernels INSTANCE = choose();
    }

    /** The implementation in use for this JVM. */
    public static Kernels get() {
        return Holder.INSTANCE;
    }

    /** Whether the JVM can run the Vector API implementation. */
    public static boolean vectorApiAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** A new instance of the Vector API implementation; fails when the module is absent. */
    public static Kernels vector() {
        if (!vectorApiAvailable()) {
            throw new IllegalStateException("the Vector API kernels need the JVM option --add-modules " + VECTOR_MODULE);
        }
        try {
            return (Kernels) Class.forName(VECTOR_IMPLEMENTATION).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + VECTOR_IMPLEMENTATION, e);
        }
    }

    /**
     * The path that an engine on {@code steady} starts on while steady's plans warm up, or null
     * when it runs on steady from the start. Only the start-up choice of the Vector API path has
     * one, plain Java: Vector API code runs very slowly until the JIT's last tier has compiled it
     * (before that every vector is an object), which costs a short run more than the faster
     * kernels gain it. Paths given explicitly (tests, benchmarks) run as given. Every path gives
     * the same bits, so when an engine moves changes its speed only.
     */
    public static Kernels startPath(Kernels steady) {
        return steady == get() && steady.getClass().getName().equals(VECTOR_IMPLEMENTATION) ? new JavaKernels() : null;
    }

    private static Kernels choose() {
        if (vectorApiAvailable()) {
            try {
                Kernels k = vector();
                LOG.info("purecnn kernels: Vector API ({})", k);
                return k;
            } catch (IllegalStateException | LinkageError e) {
                LOG.warn("purecnn kernels: the Vector API is present but its kernels failed to load ({}); using plain Java", e.toString());
                return new JavaKernels();
            }
        }
        LOG.info("purecnn kernels: plain Java; start the JVM with --add-modules {} for the faster Vector API kernels",
                VECTOR_MODULE);
        return new JavaKernels();
    }
}
