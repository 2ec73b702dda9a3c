package io.github.purecnn.benchmarks.peak;

import io.github.purecnn.benchmarks.JsonLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The machine's measured peak of vector fused multiply-adds, in GFLOP/s, on 1 and 2 threads (or
 * those given): the yardstick for the share of the machine a kernel or a training run uses.
 *
 * <pre>{@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.github.purecnn.benchmarks.peak.FmaPeak [--threads 1,2] [--seconds 0.5] [--trials 5]}</pre>
 *
 * Each thread runs {@link FmaLoop}'s independent FMA chains for about {@code --seconds}; the
 * figure is the best of {@code --trials} (other jobs on the cores can only lower it). The
 * vectors are the JVM's widest: {@code -XX:MaxVectorSize=32} measures 8-float vectors on an
 * AVX-512 machine. Prints a line per thread count, then the same as JSON lines.
 */
public final class FmaPeak {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Iterations per call of the loop: about a millisecond, long enough to make the call's cost vanish. */
    private static final int CHUNK = 1 << 18;
    private static final int WARMUP_CALLS = 200;

    /** Read by no one: the loops' results go here so the JIT cannot drop them (races do not matter). */
    private static volatile float sink;

    private FmaPeak() {
    }

    /** Measures and prints the peak as the class comment describes; exit status 2 on bad arguments or without the module. */
    public static void main(String[] args) throws InterruptedException {
        List<Integer> threadCounts = List.of(1, 2);
        double seconds = 0.5;
        int trials = 5;
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--threads" -> {
                        threadCounts = new ArrayList<>();
                        for (String t : args[i + 1].split(",")) {
                            threadCounts.add(atLeastOne(t.trim(), "--threads"));
                        }
                    }
                    case "--seconds" -> seconds = positiveSeconds(args[i + 1]);
                    case "--trials" -> trials = atLeastOne(args[i + 1], "--trials");
                    default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("FmaPeak: " + e.getMessage());
            System.err.println("usage: FmaPeak [--threads 1,2] [--seconds 0.5] [--trials 5]");
            System.exit(2);
            return;
        }
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            System.err.println("FmaPeak measures Vector API FMAs: start the JVM with --add-modules " + VECTOR_MODULE);
            System.exit(2);
            return;
        }
        for (int i = 0; i < WARMUP_CALLS; i++) {
            sink += FmaLoop.run(CHUNK / 16);
        }
        long t0 = System.nanoTime();
        sink += FmaLoop.run(CHUNK);
        int chunks = (int) Math.max(1, Math.round(seconds * 1e9 / (System.nanoTime() - t0)));

        System.out.printf(Locale.ROOT, "FMA peak, Vector API, %s, %d independent chains per thread, best of %d runs "
                + "of about %.2f s%n", FmaLoop.vectors(), FmaLoop.CHAINS, trials, seconds);
        List<String> json = new ArrayList<>();
        for (int threads : threadCounts) {
            double best = 0;
            for (int t = 0; t < trials; t++) {
                best = Math.max(best, gflops(threads, chunks));
            }
            System.out.printf(Locale.ROOT, "%d thread%s: %.1f GFLOP/s%n", threads, threads == 1 ? "" : "s", best);
            json.add(new JsonLine().put("threads", threads).put("vector_bits", FmaLoop.SPECIES.vectorBitSize())
                    .put("floats", FmaLoop.SPECIES.length()).put("chains", FmaLoop.CHAINS).put("gflops", best, 1)
                    .toString());
        }
        json.forEach(System.out::println);
    }

    /** Starts {@code threads} threads that each run {@code chunks} calls of the loop; all of their FLOPs over the wall time. */
    private static double gflops(int threads, int chunks) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                float sum = 0;
                for (int c = 0; c < chunks; c++) {
                    sum += FmaLoop.run(CHUNK);
                }
                sink += sum;
            }, "fma-" + t);
            worker.start();
            workers.add(worker);
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        long nanos = System.nanoTime() - t0;
        return (double) threads * chunks * CHUNK * FmaLoop.FLOPS_PER_ITERATION / nanos;
    }

    private static int atLeastOne(String value, String option) {
        try {
            int n = Integer.parseInt(value);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number of at least 1, found '" + value + "'");
    }

    private static double positiveSeconds(String value) {
        try {
            double s = Double.parseDouble(value);
            if (s > 0 && s <= 60) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--seconds must be a number above 0 and at most 60, found '" + value + "'");
    }
}
