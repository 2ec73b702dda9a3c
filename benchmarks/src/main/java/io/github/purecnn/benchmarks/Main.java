package io.github.purecnn.benchmarks;

import io.github.purecnn.benchmarks.plans.KernelPaths;
import io.github.purecnn.benchmarks.plans.PlanPass;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.util.Collection;
import java.util.Locale;

/**
 * The benchmarks jar's entry point: runs JMH with the usual command-line options, then prints
 * one table of GFLOP/s for the plan benchmarks (FLOPs from {@link PlanPass#flops}). Model-level
 * benchmarks appear only in JMH's own table.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        CommandLineOptions options = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(options).run();
        StringBuilder table = new StringBuilder();
        for (RunResult r : results) {
            String op = r.getParams().getParam("op");
            if (op == null) {
                continue;
            }
            String path = r.getParams().getParam("path");
            int n = Integer.parseInt(r.getParams().getParam("n"));
            double micros = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            long flops = PlanPass.of(op, KernelPaths.named(path), n).flops();
            table.append(String.format(Locale.ROOT, "| %s | %s | %d | %.1f ± %.0f%% | %s |%n", op, path, n, micros,
                    Double.isNaN(error) ? 0 : 100 * error / micros,
                    flops > 0 ? String.format(Locale.ROOT, "%.1f", flops / (micros * 1e3)) : "-"));
        }
        if (table.length() > 0) {
            System.out.println();
            System.out.println("| layer/pass | path | n | us | GFLOP/s |");
            System.out.println("| --- | --- | --- | --- | --- |");
            System.out.print(table);
        }
    }
}
