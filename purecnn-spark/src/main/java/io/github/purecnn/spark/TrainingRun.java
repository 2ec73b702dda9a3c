package io.github.purecnn.spark;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.BatchLog;
import io.github.purecnn.model.Callback;
import io.github.purecnn.model.EpochLog;
import io.github.purecnn.model.Evaluation;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.History;
import io.github.purecnn.model.NonFiniteLossException;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.model.ShardedTraining;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One {@link ImageTrainer#fit} call on the driver: it reads and caches the training data once,
 * then replays {@code fit}'s epochs and steps with the core's {@link ShardedTraining}. Each
 * epoch's images are placed on the partitions that compute them (one shuffle); each step (or
 * round of local steps) is one Spark job whose tasks compute on their cached partitions, with the
 * parameters broadcast; the driver applies the results. Callbacks run on the driver as in
 * {@code fit}.
 */
final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger(ImageTrainer.class);
    private static final String DESCRIPTION = "spark.job.description";

    private final JavaSparkContext spark;
    private final Sequential model;
    private final FitOptions options;
    private final TrainingMode mode;
    private final int partitions;
    private final List<Callback> callbacks;
    /** What fit logs: {@code loss}, then the compiled metrics' names. */
    private final List<String> logNames;
    private final HashMap<Integer, Double> classWeight;
    private final String trainingId = UUID.randomUUID().toString();

    private long jobs;
    private double readingSeconds;
    private double placingSeconds;
    private double jobSeconds;
    private double updateSeconds;
    private int epochsTrained;
    private TrainingStatistics statistics;

    /**
     * @param metricNames the compiled metrics' names, as fit logs them
     */
    TrainingRun(JavaSparkContext spark, Sequential model, FitOptions options, TrainingMode mode, int partitions,
                List<String> metricNames) {
        this.spark = spark;
        this.model = model;
        this.options = options;
        this.mode = mode;
        this.partitions = partitions;
        this.callbacks = options.callbacks();
        List<String> names = new ArrayList<>();
        names.add("loss");
        names.addAll(metricNames);
        this.logNames = List.copyOf(names);
        this.classWeight = options.classWeight() == null ? null : new HashMap<>(options.classWeight());
    }

    /** Trains on the examples that {@code source} makes (lazily: making them may run a job), and returns the history. */
    History run(Supplier<JavaRDD<Example>> source) {
        String description = spark.getLocalProperty(DESCRIPTION);
        long stepsBefore = model.stepsTrained();
        JavaRDD<Example> examples = null;
        ShippedModel shipped = null;
        ShardedTraining training = null;
        try {
            long start = System.nanoTime();
            JavaRDD<Example> cached = job("reading the training data", () -> source.get())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            examples = cached;
            long count = job("reading the training data", cached::count);
            readingSeconds = seconds(start);
            if (count == 0 || count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the training data holds " + count + " images, training takes 1 to "
                        + Integer.MAX_VALUE);
            }
            int size = (int) count;
            long batch = (long) options.batchSize() * (mode.kind() == TrainingMode.Kind.LARGER_BATCHES ? partitions : 1);
            EpochLayout layout = new EpochLayout(size, (int) Math.min(batch, size), partitions,
                    mode.kind() == TrainingMode.Kind.AVERAGING);
            byte[] bytes = ModelBytes.of(model);
            shipped = new ShippedModel(spark.broadcast(bytes), ModelBytes.sha256(bytes), "model '" + model.name() + "'");
            training = new ShardedTraining(model, size, layout.batchSize(), options.shuffle());
            LOG.info("training model '{}' on {} images in {} partitions, batches of {}, {}", model.name(), size,
                    partitions, layout.batchSize(), mode);
            return epochs(cached, layout, training, shipped);
        } catch (IOException e) {
            throw new UncheckedIOException("model '" + model.name() + "': cannot write its model file to ship it: "
                    + e.getMessage(), e);
        } finally {
            if (examples != null) {
                examples.unpersist(false);
            }
            if (shipped != null) {
                shipped.destroy();
            }
            if (training != null) {
                training.close();
            }
            spark.setLocalProperty(DESCRIPTION, description);
            statistics = new TrainingStatistics(epochsTrained, model.stepsTrained() - stepsBefore, jobs, readingSeconds,
                    placingSeconds, jobSeconds, updateSeconds);
        }
    }

    /** Where the time went, once {@link #run} has returned or failed. */
    TrainingStatistics statistics() {
        return statistics;
    }

    private History epochs(JavaRDD<Example> examples, EpochLayout layout, ShardedTraining training,
                           ShippedModel shipped) {
        History history = new History();
        for (Callback c : callbacks) {
            c.onTrainBegin(model);
        }
        int imageSize = model.inputShape().size();
        for (int epoch = 1; epoch <= options.epochs() && !training.stopRequested(); epoch++) {
            int[] order = training.nextEpoch();
            for (Callback c : callbacks) {
                c.onEpochBegin(epoch);
            }
            long start = System.nanoTime();
            Broadcast<int[]> positions = spark.broadcast(inverse(order));
            JavaRDD<EpochPartition> placed = EpochPlacement.of(examples, positions, layout, imageSize)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            Totals totals = new Totals(logNames.size() - 1);
            try {
                job(where(epoch, "placing its images"), placed::count);
                placingSeconds += seconds(start);
                if (mode.kind() == TrainingMode.Kind.AVERAGING) {
                    averagingEpoch(epoch, placed, layout, training, shipped, totals);
                } else {
                    synchronousEpoch(epoch, placed, layout, training, shipped, totals);
                }
            } finally {
                placed.unpersist(false);
                positions.destroy();
            }
            EpochLog log = new EpochLog(epoch, epochValues(totals), seconds(start));
            history.add(log);
            epochsTrained++;
            report(log, layout.steps());
            for (Callback c : callbacks) {
                c.onEpochEnd(epoch, log);
            }
        }
        for (Callback c : callbacks) {
            c.onTrainEnd(model, history);
        }
        return history;
    }

    /** What fit logs after an epoch: loss, metrics, validation loss and metrics, learning rate. */
    private Map<String, Double> epochValues(Totals totals) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", totals.seen == 0 ? Double.NaN : totals.lossSum / totals.seen);
        for (int k = 1; k < logNames.size(); k++) {
            values.put(logNames.get(k), totals.seen == 0 ? Double.NaN : totals.metric(k - 1));
        }
        Dataset validation = options.validationData();
        if (validation != null) {
            Evaluation v = model.evaluate(validation);
            values.put("val_loss", v.loss());
            for (int k = 1; k < logNames.size(); k++) {
                values.put("val_" + logNames.get(k), v.get(logNames.get(k)));
            }
        }
        values.put("learning_rate", (double) model.optimizer().learningRate());
        return values;
    }

    /** An epoch's measurements over its applied steps, added up in step order as fit adds them. */
    private static final class Totals {
        double lossSum;
        double weightSum;
        final double[] metricSums;
        long seen;

        Totals(int metrics) {
            metricSums = new double[metrics];
        }

        void add(double loss, double weight, double[] metrics, int images) {
            lossSum += loss;
            weightSum += weight;
            for (int k = 0; k < metricSums.length && images > 0; k++) {
                metricSums[k] += metrics[k];
            }
            seen += images;
        }

        /** Keras's Mean metric: the weighted sum over the summed weight, 0 when that is 0. */
        double metric(int k) {
            return weightSum == 0 ? 0 : metricSums[k] / weightSum;
        }
    }

    private void synchronousEpoch(int epoch, JavaRDD<EpochPartition> placed, EpochLayout layout,
                                  ShardedTraining training, ShippedModel shipped, Totals totals) {
        int steps = layout.steps();
        BatchLog batchLog = new BatchLog(logNames);
        for (int b = 0; b < steps && !training.stopRequested(); b++) {
            ShardedTraining.Step step = training.nextStep(b);
            for (Callback c : callbacks) {
                c.onBatchBegin(epoch, b + 1);
            }
            long start = System.nanoTime();
            Broadcast<float[][]> weights = spark.broadcast(trainableValues());
            List<ShardedTraining.ShardResult> results;
            try {
                ShardTask task = new ShardTask(trainingId, shipped, weights, step, b, classWeight);
                results = job(where(epoch, "step " + (b + 1) + " of " + steps), () -> placed.mapPartitions(task).collect());
            } finally {
                weights.destroy();
            }
            jobs++;
            jobSeconds += seconds(start);
            start = System.nanoTime();
            ShardedTraining.StepResult applied;
            try {
                applied = training.apply(step, results);
            } catch (NonFiniteLossException e) {
                goOnAfterNonFiniteLoss(epoch, b, steps, e.loss());
                continue;
            } finally {
                updateSeconds += seconds(start);
            }
            totals.add(applied.lossSum(), applied.weightSum(), applied.metricSums(), applied.images());
            batchEnd(epoch, b, steps, totals, batchLog);
        }
    }

    private void averagingEpoch(int epoch, JavaRDD<EpochPartition> placed, EpochLayout layout,
                                ShardedTraining training, ShippedModel shipped, Totals totals) {
        int steps = layout.steps();
        BatchLog batchLog = new BatchLog(logNames);
        long perRound = (long) mode.localSteps() * partitions;
        for (int first = 0; first < steps && !training.stopRequested(); first += (int) Math.min(perRound, steps - first)) {
            int end = (int) Math.min(steps, first + perRound);
            List<List<ShardedTraining.Step>> mine = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                mine.add(new ArrayList<>());
            }
            for (int b = first; b < end; b++) {
                mine.get(b % partitions).add(training.nextStep(b));
            }
            ShardedTraining.Step[][] byPartition = new ShardedTraining.Step[partitions][];
            for (int p = 0; p < partitions; p++) {
                byPartition[p] = mine.get(p).toArray(new ShardedTraining.Step[0]);
            }
            for (Callback c : callbacks) {
                c.onBatchBegin(epoch, first + 1);
            }
            long start = System.nanoTime();
            Broadcast<ModelState> state = spark.broadcast(ModelState.of(model));
            List<LocalResult> results;
            try {
                LocalStepsTask task = new LocalStepsTask(trainingId, shipped, state, byPartition, layout, classWeight);
                results = new ArrayList<>(job(where(epoch, "steps " + (first + 1) + " to " + end + " of " + steps),
                        () -> placed.mapPartitions(task).collect()));
            } finally {
                state.destroy();
            }
            jobs++;
            jobSeconds += seconds(start);
            start = System.nanoTime();
            results.sort(Comparator.comparingInt(LocalResult::partition));
            TreeMap<Integer, Double> skipped = new TreeMap<>();
            for (LocalResult r : results) {
                for (int i = 0; i < r.skipped().size(); i++) {
                    skipped.put(r.skipped().get(i), r.skippedLosses().get(i));
                }
            }
            for (var s : skipped.entrySet()) {
                goOnAfterNonFiniteLoss(epoch, s.getKey(), steps, s.getValue());
            }
            List<ModelState> states = new ArrayList<>();
            List<Long> images = new ArrayList<>();
            for (LocalResult r : results) {
                if (r.images() > 0) {
                    states.add(r.state());
                    images.add((long) r.images());
                }
                totals.add(r.lossSum(), r.weightSum(), r.metricSums(), r.images());
            }
            if (!states.isEmpty()) {
                ModelState.average(states, images.stream().mapToLong(Long::longValue).toArray()).applyTo(model);
            }
            updateSeconds += seconds(start);
            batchEnd(epoch, end - 1, steps, totals, batchLog);
        }
    }

    /**
     * Asks the callbacks whether training goes on after step {@code b}'s non-finite loss, as
     * {@code fit} does; the step is then skipped.
     *
     * @throws NonFiniteLossException when none says so
     */
    private void goOnAfterNonFiniteLoss(int epoch, int b, int steps, double loss) {
        boolean goOn = false;
        for (Callback c : callbacks) {
            goOn |= c.onNonFiniteLoss(epoch, b + 1, loss);
        }
        if (!goOn) {
            throw new NonFiniteLossException(epoch, b + 1, steps, loss);
        }
        LOG.warn("loss is {} in epoch {}, batch {}: batch skipped", loss, epoch, b + 1);
    }

    private void batchEnd(int epoch, int b, int steps, Totals totals, BatchLog log) {
        log.set(0, totals.lossSum / totals.seen);
        for (int k = 1; k < logNames.size(); k++) {
            log.set(k, totals.metric(k - 1));
        }
        for (Callback c : callbacks) {
            c.onBatchEnd(epoch, b + 1, steps, log);
        }
    }

    /** Copies of the model's trainable weights, model order: what a step's tasks compute with. */
    private float[][] trainableValues() {
        List<Parameter> params = model.trainableWeights();
        float[][] values = new float[params.size()][];
        for (int p = 0; p < values.length; p++) {
            values[p] = params.get(p).value().clone();
        }
        return values;
    }

    /** position[i] = where image i comes in the epoch's order. */
    private static int[] inverse(int[] order) {
        int[] position = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            position[order[i]] = i;
        }
        return position;
    }

    private String where(int epoch, String what) {
        return "epoch " + epoch + " of " + options.epochs() + ", " + what;
    }

    /**
     * Runs a Spark action under a job description that names it, and turns its failure into a
     * {@link TrainingFailedException} that names the model, where training was and the cause.
     */
    private <T> T job(String where, Supplier<T> action) {
        spark.setJobDescription("purecnn: model '" + model.name() + "', " + where);
        try {
            return action.get();
        } catch (Exception e) {      // Spark's SparkException is checked, and undeclared
            throw new TrainingFailedException("model '" + model.name() + "': " + where + " failed, nothing of it was"
                    + " applied and checkpoints written so far are untouched: " + firstLine(e), e);
        }
    }

    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private void report(EpochLog log, int steps) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d - %d steps in %.1f s", log.epoch(),
                options.epochs(), steps, log.seconds()));
        for (Map.Entry<String, Double> v : log.values().entrySet()) {
            line.append(String.format(Locale.ROOT, " - %s: %.4g", v.getKey(), v.getValue()));
        }
        LOG.info("model '{}': {}", model.name(), line);
        if (options.verbose() > 0) {
            options.progressStream().println(line);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
