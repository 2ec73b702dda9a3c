package io.github.purecnn.benchmarks;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * The benchmarks jar's entry point: runs JMH with the usual command-line options, then prints
 * one table of GFLOP/s per kernel, shard size and implementation (FLOPs from
 * {@link KernelBenchmarks#flops}). The model-level benchmarks (training step, inference) have no
 * shard-size parameter and appear only in JMH's table.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(options).run();
        // benchmark -> n -> impl -> GFLOP/s
        Map<String, Map<Integer, Map<String, String>>> table = new TreeMap<>();
        for (RunResult r : results) {
            if (r.getParams().getParam("n") == null) {
                continue;                                // a model-level benchmark: JMH's own table has it
            }
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            int n = Integer.parseInt(r.getParams().getParam("n"));
            String impl = r.getParams().getParam("impl");
            double micros = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            double gflops = KernelBenchmarks.flops(method, n) / (micros * 1e3);
            String cell = String.format(Locale.ROOT, "%.1f (%.1f us ±%.0f%%)", gflops, micros,
                    Double.isNaN(error) ? 0 : 100 * error / micros);
            table.computeIfAbsent(method, m -> new TreeMap<>()).computeIfAbsent(n, x -> new TreeMap<>()).put(impl, cell);
        }
        System.out.println();
        System.out.println("| kernel | n | reference GFLOP/s | java GFLOP/s | vector GFLOP/s |");
        System.out.println("| --- | --- | --- | --- | --- |");
        table.forEach((method, byN) -> byN.forEach((n, byImpl) -> System.out.printf(Locale.ROOT,
                "| %s | %d | %s | %s | %s |%n", method, n, byImpl.getOrDefault("reference", "-"),
                byImpl.getOrDefault("java", "-"), byImpl.getOrDefault("vector", "-"))));
    }
}
