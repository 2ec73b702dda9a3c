package io.github.purecnn.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The kernels of {@link KernelBenchmarks}, timed as the minimum over rounds instead of JMH's mean:
 * on a shared machine whose speed drifts, the minimum is what the cores do when nothing else
 * runs, and two builds compare best by running this alternately. Each kernel is checked against
 * the reference first ({@link KernelBenchmarks#setUp}).
 *
 * <pre>{@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.github.purecnn.benchmarks.KernelMinima [impl [n [method regex]]]}</pre>
 * (defaults: vector, 16, every kernel).
 */
public final class KernelMinima {
    private static final int WARMUP_CALLS = 3_000;
    private static final int ROUNDS = 300;
    private static final int CALLS = 10;

    private KernelMinima() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        KernelBenchmarks state = new KernelBenchmarks();
        state.impl = args.length > 0 ? args[0] : "vector";
        state.n = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        String pattern = args.length > 2 ? args[2] : ".*";
        state.setUp();
        List<Method> kernels = new ArrayList<>();
        for (Method m : KernelBenchmarks.class.getMethods()) {
            if (m.isAnnotationPresent(Benchmark.class) && m.getName().matches(pattern)) {
                kernels.add(m);
            }
        }
        if (kernels.isEmpty()) {
            throw new IllegalArgumentException("no kernel of KernelBenchmarks matches " + pattern);
        }
        kernels.sort(Comparator.comparing(Method::getName));
        System.out.printf(Locale.ROOT, "%s, n = %d: min over %d rounds of %d calls%n", state.impl, state.n, ROUNDS, CALLS);
        for (Method kernel : kernels) {
            double micros = minimum(kernel, state);
            System.out.printf(Locale.ROOT, "  %-22s %8.1f us %6.1f GFLOP/s%n", kernel.getName(), micros,
                    KernelBenchmarks.flops(kernel.getName(), state.n) / (micros * 1e3));
        }
    }

    private static double minimum(Method kernel, KernelBenchmarks state) throws IllegalAccessException, InvocationTargetException {
        for (int i = 0; i < WARMUP_CALLS; i++) {
            kernel.invoke(state);
        }
        double best = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int c = 0; c < CALLS; c++) {
                kernel.invoke(state);
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e3 / CALLS);
        }
        return best;
    }
}
