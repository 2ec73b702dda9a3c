package io.github.purecnn.model;

import io.github.purecnn.benchmarks.plans.KernelPaths;
import io.github.purecnn.benchmarks.plans.PlanMinima;
import io.github.purecnn.benchmarks.suite.SuiteModel;
import io.github.purecnn.benchmarks.suite.TrainingFlops;
import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.ScratchNeeds;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.runtime.Truth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a suite model's training step goes: each planned step's forward and backward over one
 * shard of 16 images (as {@link Planner} plans them, fused steps included), the loss, and whole
 * steps through {@link BatchEngine} on 1 and 2 threads (computing the gradients, then the
 * reduction and Adam). Times are minima over rounds: robust to other jobs sharing the cores,
 * close to what the hardware does alone. With {@code --peak}, the whole steps' GFLOP/s as a share
 * of the measured FMA peak of one core (1 thread) and of two (2 threads). Not JMH: a development
 * harness, whose whole-step figures {@link TrainingStepBenchmark} confirms.
 *
 * <pre>{@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.github.purecnn.model.StepProfile [--path vector] [--models lenet,convnet,strided,cifar] \
 *     [--rounds 100] [--peak GFLOPS_PER_CORE] [--steps-only]}</pre>
 * ({@code --steps-only}: only the whole steps, for a profiler to see them alone)
 */
public final class StepProfile {
    private static final long ROUND_NANOS = 2_000_000;

    private StepProfile() {
    }

    public static void main(String[] args) {
        String path = "vector";
        String[] models = SuiteModel.keys().split(",");
        int rounds = 100;
        double peak = 0;
        boolean stepsOnly = false;
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--steps-only")) {     // the only flag without a value
                stepsOnly = true;
                i--;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--path" -> path = args[i + 1];
                case "--models" -> models = args[i + 1].split(",");
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--peak" -> peak = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "': --path, --models, --rounds, --peak, --steps-only");
            }
        }
        Kernels kernels = KernelPaths.named(path);
        for (String model : models) {
            profile(SuiteModel.of(model), kernels, rounds, peak, stepsOnly);
        }
    }

    private static void profile(SuiteModel suiteModel, Kernels kernels, int rounds, double peak,
                                boolean stepsOnly) {
        String name = suiteModel.key();
        BenchModels.checkOneStep(suiteModel, kernels, 2);
        Sequential model = BenchModels.build(suiteModel, kernels);
        int batch = suiteModel.batchSize();
        Dataset train = BenchModels.data(model, 64 * batch);
        List<Layer> layers = model.layers();
        long flops = TrainingFlops.perImage(model) * batch;
        if (stepsOnly) {
            System.out.printf(Locale.ROOT, "%n%s on %s: whole steps of %d, minima over %d rounds%n",
                    name, kernels, batch, rounds);
            wholeSteps(model, kernels, train, batch, rounds, flops, peak);
            return;
        }
        Loss loss = model.loss();
        List<Planner.Planned> plan = Planner.plan(layers, kernels, loss.fusedActivation());
        boolean fused = Planner.fuses(layers, loss.fusedActivation());
        int n = Math.min(BatchEngine.SHARD_SIZE, batch);
        int steps = plan.size();
        Step.Shard[] shards = new Step.Shard[steps];
        float[][] act = new float[steps][];
        float[][] grad = new float[steps][];
        ScratchNeeds needs = ScratchNeeds.NONE;
        float[] input = new float[n * model.inputShape().size()];
        int[] labels = new int[n];
        train.copyImages(BenchModels.identity(n), 0, n, input);
        for (int i = 0; i < n; i++) {
            labels[i] = train.label(i);
        }
        float[] prev = input;
        for (int i = 0; i < steps; i++) {
            Step step = plan.get(i).step();
            if (step == null) {
                act[i] = prev;
                grad[i] = i > 0 ? grad[i - 1] : new float[prev.length];
            } else {
                shards[i] = step.newShard(n);
                act[i] = new float[n * layers.get(plan.get(i).last()).outputShape().size()];
                grad[i] = new float[act[i].length];
                needs = ScratchNeeds.larger(needs, step.scratchNeeds());
                step.prepare();
            }
            prev = act[i];
        }
        Scratch scratch = new Scratch(needs, n);
        int first = 0;
        while (plan.get(first).step() == null) {
            first++;                              // nobody needs the input gradient of the first computing step
        }
        Truth truth = Truth.ofLabels(labels, layers.get(layers.size() - 1).outputShape().size());
        System.out.printf(Locale.ROOT, "%n%s on %s: one shard of %d images, minima over %d rounds (us)%n", name, kernels, n, rounds);
        double total = 0;
        for (int i = 0; i < steps; i++) {
            if (shards[i] == null) {
                continue;
            }
            int s = i;
            float[] in = i == 0 ? input : act[i - 1];
            double t = time(() -> shards[s].forward(act[s], in, n, true, 1, scratch), rounds);
            total += t;
            System.out.printf(Locale.ROOT, "  %-60s forward  %8.1f%n", plan.get(i).step().describe(), t);
        }
        int last = steps - 1;
        double tLoss = time(() -> {
            loss.sum(act[last], truth, n);
            if (fused) {
                loss.backwardFused(grad[last], act[last], truth, n, 1f / batch);
            } else {
                loss.backward(grad[last], act[last], truth, n, 1f / batch);
            }
        }, rounds);
        total += tLoss;
        System.out.printf(Locale.ROOT, "  %-60s          %8.1f%n", "loss and its gradient", tLoss);
        for (int i = last; i >= 0; i--) {
            if (shards[i] == null) {
                continue;
            }
            int s = i;
            float[] in = i == 0 ? input : act[i - 1];
            float[] dIn = i <= first ? null : grad[i - 1];
            // backward may overwrite dOut (the activation's gradient): a saved copy keeps every call alike
            float[] dOutSaved = grad[i].clone();
            double t = time(() -> {
                System.arraycopy(dOutSaved, 0, grad[s], 0, dOutSaved.length);
                shards[s].backward(dIn, grad[s], in, act[s], n, scratch);
            }, rounds);
            total += t;
            System.out.printf(Locale.ROOT, "  %-60s backward %8.1f%n", plan.get(i).step().describe(), t);
        }
        System.out.printf(Locale.ROOT, "  %-60s          %8.1f  (x %d shards = %.1f per step)%n", "sum per shard", total,
                batch / n, batch / n * total);
        wholeSteps(model, kernels, train, batch, rounds, flops, peak);
    }

    private static void wholeSteps(Sequential model, Kernels kernels, Dataset train, int batch, int rounds,
                                   long flops, double peak) {
        for (int threads : new int[] {1, 2}) {
            try (BatchEngine engine = BenchModels.engine(model, batch, kernels, threads)) {
                wholeSteps(engine, model, train, batch, threads, rounds, flops, peak);
            }
        }
    }

    /** Whole steps through the engine as training runs them; per phase and for the step, the minimum over rounds. */
    private static void wholeSteps(BatchEngine engine, Sequential model, Dataset train, int batch, int threads, int rounds,
                                   long flops, double peak) {
        int[] order = BenchModels.identity(train.size());
        int batches = train.size() / batch;
        Objective objective = BenchModels.objective(model, train);
        int b = 0;
        // warm up, and find how many steps make a round
        long start = System.nanoTime();
        int warm = 0;
        while (System.nanoTime() - start < 3_000_000_000L) {
            engine.computeGradients(objective, order, b * batch, batch, b);
            engine.applyUpdate(model.optimizer());
            b = (b + 1) % batches;
            warm++;
        }
        int calls = (int) Math.max(1, warm * ROUND_NANOS / 3_000_000_000L);
        double bestGradients = Double.MAX_VALUE;
        double bestUpdate = Double.MAX_VALUE;
        double[] stepTimes = new double[rounds];
        for (int round = 0; round < rounds; round++) {
            long gradients = 0;
            long update = 0;
            for (int c = 0; c < calls; c++) {
                long t0 = System.nanoTime();
                engine.computeGradients(objective, order, b * batch, batch, b);
                long t1 = System.nanoTime();
                engine.applyUpdate(model.optimizer());
                update += System.nanoTime() - t1;
                gradients += t1 - t0;
                b = (b + 1) % batches;
            }
            bestGradients = Math.min(bestGradients, gradients / 1e3 / calls);
            bestUpdate = Math.min(bestUpdate, update / 1e3 / calls);
            stepTimes[round] = (gradients + update) / 1e3 / calls;
        }
        Arrays.sort(stepTimes);
        double best = stepTimes[0];
        double gflops = flops / (best * 1e3);
        System.out.printf(Locale.ROOT, "  %d thread(s): gradients %.1f, reduce + Adam %.1f, whole step %.1f us (median round %.1f): %.1f GFLOP/s%s%n",
                threads, bestGradients, bestUpdate, best, stepTimes[rounds / 2], gflops,
                peak > 0 ? String.format(Locale.ROOT, ", %.0f%% of %d cores' peak", 100 * gflops / (peak * threads), threads) : "");
    }

    /** Microseconds per call of r, the minimum over rounds after a second of warm-up (see {@link PlanMinima#minimum}). */
    private static double time(Runnable r, int rounds) {
        return PlanMinima.minimum(r, rounds, 1_000_000_000L);
    }
}
