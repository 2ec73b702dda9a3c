package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.losses.Loss;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Where a training step's time goes: each layer's forward and backward over one shard of 16
 * images (the engine's shard; the first conv and its pooling as one where the kernels fuse them,
 * as the engine runs them), the loss, the reduction of four shards' gradients plus Adam, and a
 * whole step of 64 through {@link BatchEngine} with 1 and 2 threads. Times are the minimum over
 * rounds of the mean of a few calls: robust to other jobs sharing the cores, close to what the
 * hardware does alone. Not JMH: a development harness, whose whole-step figures JMH confirms.
 *
 * <pre>{@code java --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.github.purecnn.model.StepProfile [java|vector ...]}</pre>
 */
public final class StepProfile {
    private static final int ROUNDS = 300;
    private static final int CALLS = 10;

    private StepProfile() {
    }

    public static void main(String[] args) {
        Dataset train = SeedModel.mnist().train();
        for (String impl : args.length == 0 ? new String[] {"java", "vector"} : args) {
            profile(impl, train);
        }
    }

    private static void profile(String impl, Dataset train) {
        Kernels kernels = SeedModel.kernels(impl);
        Sequential model = SeedModel.build(kernels);
        List<Layer> layers = model.layers();
        int n = BatchEngine.SHARD_SIZE;
        int last = layers.size() - 1;
        Layer.Shard[] shards = new Layer.Shard[layers.size()];
        float[][] act = new float[layers.size()][];
        float[][] grad = new float[layers.size()][];
        for (int l = 0; l < layers.size(); l++) {
            act[l] = new float[n * layers.get(l).outputShape().size()];
            grad[l] = new float[act[l].length];
        }
        // As the engine runs them: the first conv together with its pooling where the kernels fuse the two.
        boolean[] runs = BatchEngine.fusedWithNext(layers, kernels);
        for (int l = 0; l < layers.size(); l = BatchEngine.lastOfRun(runs, l) + 1) {
            shards[l] = BatchEngine.newShard(layers, runs, l, n, kernels);
        }
        float[] input = new float[n * 28 * 28];
        int[] labels = new int[n];
        train.copyImages(SeedModel.identity(n), 0, n, input);
        train.copyLabels(SeedModel.identity(n), 0, n, labels);
        Loss loss = model.loss();
        System.out.printf(Locale.ROOT, "%n%s: one shard of %d images, min over %d rounds of %d calls (us)%n", impl, n, ROUNDS, CALLS);
        double total = 0;
        for (int l = 0; l < layers.size(); l = BatchEngine.lastOfRun(runs, l) + 1) {
            if (layers.get(l).reshapesOnly()) {
                continue;
            }
            int layer = l, end = BatchEngine.lastOfRun(runs, l);
            float[] in = l == 0 ? input : act[l - 1];
            double t = time(() -> shards[layer].forward(act[end], in, n, true, 0));
            total += t;
            System.out.printf(Locale.ROOT, "  %-22s forward  %8.1f%n", runName(layers, l, end), t);
        }
        boolean fused = loss.fusesWithSoftmax() && layers.get(last).outputActivation() == Activation.SOFTMAX;
        double tLoss = time(() -> {
            loss.sum(act[last], labels, n, 10);
            loss.backwardThroughSoftmax(grad[last], act[last], labels, n, 10, 1f / 64);
        });
        total += tLoss;
        System.out.printf(Locale.ROOT, "  %-22s          %8.1f%n", "loss + softmax grad", tLoss);
        for (int end = last; end >= 0; end = BatchEngine.firstOfRun(runs, end) - 1) {
            int l = BatchEngine.firstOfRun(runs, end);
            if (layers.get(l).reshapesOnly()) {
                continue;
            }
            int layer = l, runEnd = end;
            float[] in = l == 0 ? input : act[l - 1];
            float[] dIn = l == 0 ? null : grad[l - 1];
            boolean pre = fused && end == last;
            // Backward overwrites dOut with the pre-activation gradient; a saved copy keeps every call alike.
            float[] dOutSaved = grad[end].clone();
            double t = time(() -> {
                System.arraycopy(dOutSaved, 0, grad[runEnd], 0, dOutSaved.length);
                shards[layer].backward(dIn, grad[runEnd], in, act[runEnd], n, pre);
            });
            total += t;
            System.out.printf(Locale.ROOT, "  %-22s backward %8.1f%n", runName(layers, l, end), t);
        }
        System.out.printf(Locale.ROOT, "  %-22s          %8.1f  (x4 shards = %.1f per step)%n", "sum per shard", total, 4 * total);
        // The same calls once each, in a step's order: one shard's whole pass, against the sum of its
        // layers timed one at a time (each then repeated on data already in cache).
        double sequence = time(() -> {
            for (int l = 0; l < layers.size(); l = BatchEngine.lastOfRun(runs, l) + 1) {
                int end = BatchEngine.lastOfRun(runs, l);
                if (!layers.get(l).reshapesOnly()) {
                    shards[l].forward(act[end], l == 0 ? input : act[l - 1], n, true, 0);
                }
            }
            loss.sum(act[last], labels, n, 10);
            loss.backwardThroughSoftmax(grad[last], act[last], labels, n, 10, 1f / 64);
            for (int end = last; end >= 0; end = BatchEngine.firstOfRun(runs, end) - 1) {
                int l = BatchEngine.firstOfRun(runs, end);
                if (!layers.get(l).reshapesOnly()) {
                    shards[l].backward(l == 0 ? null : grad[l - 1], grad[end], l == 0 ? input : act[l - 1], act[end], n,
                            fused && end == last);
                }
            }
        });
        System.out.printf(Locale.ROOT, "  %-22s          %8.1f%n", "one shard in sequence", sequence);
        for (int threads : new int[] {1, 2}) {
            try (BatchEngine engine = new BatchEngine(layers, SeedModel.BATCH, kernels, threads)) {
                wholeSteps(engine, model, train, threads);
            }
        }
    }

    /**
     * Whole steps through the engine as training runs them: successive batches of the training
     * set, each phase timed on its own. Per phase and for the step, the minimum over rounds of
     * the mean over a round's steps.
     */
    private static void wholeSteps(BatchEngine engine, Sequential model, Dataset train, int threads) {
        int[] order = SeedModel.identity(train.size());
        int batches = train.size() / SeedModel.BATCH;
        double bestGradients = Double.MAX_VALUE;
        double bestUpdate = Double.MAX_VALUE;
        double bestStep = Double.MAX_VALUE;
        double[] steps = new double[ROUNDS];
        int b = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long gradients = 0;
            long update = 0;
            for (int c = 0; c < CALLS; c++) {
                long t0 = System.nanoTime();
                engine.computeGradients(train, order, b * SeedModel.BATCH, SeedModel.BATCH, model.loss(), b);
                long t1 = System.nanoTime();
                engine.applyUpdate(model.optimizer());
                update += System.nanoTime() - t1;
                gradients += t1 - t0;
                b = (b + 1) % batches;
            }
            bestGradients = Math.min(bestGradients, gradients / 1e3 / CALLS);
            bestUpdate = Math.min(bestUpdate, update / 1e3 / CALLS);
            bestStep = Math.min(bestStep, (gradients + update) / 1e3 / CALLS);
            steps[round] = (gradients + update) / 1e3 / CALLS;
        }
        Arrays.sort(steps);
        System.out.printf(Locale.ROOT, "  %d thread(s): shards %.1f, reduce + Adam %.1f, whole step %.1f us -> %.2f s/epoch; median round %.1f us -> %.2f s/epoch%n",
                threads, bestGradients, bestUpdate, bestStep, bestStep * SeedModel.STEPS_PER_EPOCH / 1e6,
                steps[ROUNDS / 2], steps[ROUNDS / 2] * SeedModel.STEPS_PER_EPOCH / 1e6);
    }

    private static String runName(List<Layer> layers, int first, int end) {
        return first == end ? layers.get(first).name() : layers.get(first).name() + " + " + layers.get(end).name();
    }

    private static double time(Runnable r) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int c = 0; c < CALLS; c++) {
                r.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e3 / CALLS);
        }
        return best;
    }
}
