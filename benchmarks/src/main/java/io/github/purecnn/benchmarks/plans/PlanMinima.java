package io.github.purecnn.benchmarks.plans;

import io.github.purecnn.kernels.Kernels;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The passes of {@link PlanBenchmarks}, each checked against the reference first, timed as the
 * minimum over rounds instead of JMH's mean: on a machine shared with other jobs, whose speed
 * drifts, the minimum is what a core does when nothing else runs, and two builds compare best by
 * running this alternately (see {@code benchmarks/ab.sh}). Prints one table row per pass: the
 * plan, microseconds per call, GFLOP/s, and with {@code --peak} the share of one core's
 * measured FMA peak.
 *
 * <pre>{@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.github.purecnn.benchmarks.plans.PlanMinima [--path vector] [--n 16] [--ops REGEX] \
 *     [--rounds 200] [--peak GFLOPS_PER_CORE] [--warmup 1.5]}</pre>
 * {@code --ops} matches {@code layer/pass}, for example {@code 'convnet.conv2/.*'} or {@code '.+/params'}.
 * {@code --warmup}: seconds each pass runs before it is timed; on a loaded machine C2 may take several
 * seconds to compile the micro-kernels, and a pass timed before that runs (and allocates) in C1's code.
 */
public final class PlanMinima {
    /** Each round runs the pass for about this long, so that the clock's resolution does not matter. */
    private static final long ROUND_NANOS = 1_000_000;

    private PlanMinima() {
    }

    public static void main(String[] args) {
        String path = "vector";
        int n = 16;
        Pattern ops = Pattern.compile(".*");
        int rounds = 200;
        double peak = 0;
        long warmupNanos = 1_500_000_000L;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--path" -> path = args[i + 1];
                case "--n" -> n = Integer.parseInt(args[i + 1]);
                case "--ops" -> ops = Pattern.compile(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--peak" -> peak = Double.parseDouble(args[i + 1]);
                case "--warmup" -> warmupNanos = (long) (Double.parseDouble(args[i + 1]) * 1e9);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': --path, --n, --ops, --rounds, --peak, --warmup");
            }
        }
        Kernels kernels = KernelPaths.named(path);
        List<String> chosen = new ArrayList<>();
        for (SuiteLayer layer : SuiteLayer.all()) {
            for (String pass : layer.passes()) {
                String op = layer.name() + "/" + pass;
                if (ops.matcher(op).matches()) {
                    chosen.add(op);
                }
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("no layer/pass matches " + ops);
        }
        System.out.printf(Locale.ROOT, "%s, n = %d: minimum over %d rounds of about %d us each%n", kernels, n, rounds,
                ROUND_NANOS / 1000);
        System.out.println("| layer/pass | plan | us | GFLOP/s |" + (peak > 0 ? " share of peak |" : "") + " B/call |");
        System.out.println("| --- | --- | --- | --- |" + (peak > 0 ? " --- |" : "") + " --- |");
        for (String op : chosen) {
            PlanPass pass = PlanPass.of(op, kernels, n);
            pass.check();
            double micros = minimum(pass::run, rounds, warmupNanos);
            long allocated = allocatedPerCall(pass);
            double gflops = pass.flops() / (micros * 1e3);
            String share = peak > 0 && pass.flops() > 0 ? String.format(Locale.ROOT, " %.0f%% |", 100 * gflops / peak)
                    : peak > 0 ? " - |" : "";
            System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %s |%s %d |%n", op, pass.planName(), micros,
                    pass.flops() > 0 ? String.format(Locale.ROOT, "%.1f", gflops) : "-", share, allocated);
        }
    }

    /** Bytes the calling thread allocates per call, over 100 calls (a plan should allocate none). */
    static long allocatedPerCall(PlanPass pass) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int c = 0; c < 100; c++) {
            pass.run();
        }
        return (threads.getThreadAllocatedBytes(id) - before) / 100;
    }

    /**
     * Microseconds per call of {@code call}: the best round's mean, over rounds of about 1 ms,
     * after {@code warmupNanos} of calls.
     */
    public static double minimum(Runnable call, int rounds, long warmupNanos) {
        long start = System.nanoTime();
        int calls = 0;
        while (System.nanoTime() - start < warmupNanos) {
            call.run();
            calls++;
        }
        int perRound = (int) Math.max(1, Math.min(10_000, calls * ROUND_NANOS / warmupNanos));
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int c = 0; c < perRound; c++) {
                call.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e3 / perRound);
        }
        return best;
    }
}
