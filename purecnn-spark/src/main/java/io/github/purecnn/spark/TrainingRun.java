package io.github.purecnn.spark;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.Callback;
import io.github.purecnn.model.EpochLog;
import io.github.purecnn.model.Evaluation;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.History;
import io.github.purecnn.model.Metric;
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
import java.util.List;
import java.util.Locale;
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
    private final boolean accuracy;
    private final String trainingId = UUID.randomUUID().toString();

    private long jobs;
    private double readingSeconds;
    private double placingSeconds;
    private double jobSeconds;
    private double updateSeconds;
    private int epochsTrained;
    private TrainingStatistics statistics;

    TrainingRun(JavaSparkContext spark, Sequential model, FitOptions options, TrainingMode mode, int partitions) {
        this.spark = spark;
        this.model = model;
        this.options = options;
        this.mode = mode;
        this.partitions = partitions;
        this.callbacks = options.callbacks();
        this.accuracy = model.metrics().contains(Metric.ACCURACY);
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
            Totals totals;
            try {
                job(where(epoch, "placing its images"), placed::count);
                placingSeconds += seconds(start);
                totals = mode.kind() == TrainingMode.Kind.AVERAGING
                        ? averagingEpoch(epoch, placed, layout, training, shipped)
                        : synchronousEpoch(epoch, placed, layout, training, shipped);
            } finally {
                placed.unpersist(false);
                positions.destroy();
            }
            double seconds = seconds(start);
            double valLoss = Double.NaN;
            double valAccuracy = Double.NaN;
            Dataset validation = options.validationData();
            if (validation != null) {
                Evaluation v = model.evaluate(validation);
                valLoss = v.loss();
                valAccuracy = v.accuracy();
            }
            EpochLog log = new EpochLog(epoch, totals.seen == 0 ? Double.NaN : totals.lossSum / totals.seen,
                    accuracy && totals.seen > 0 ? (double) totals.correct / totals.seen : Double.NaN, valLoss, valAccuracy,
                    seconds);
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

    /** The loss, correct count and images of an epoch's applied steps, added up in step order. */
    private static final class Totals {
        double lossSum;
        long correct;
        long seen;
    }

    private Totals synchronousEpoch(int epoch, JavaRDD<EpochPartition> placed, EpochLayout layout,
                                    ShardedTraining training, ShippedModel shipped) {
        Totals totals = new Totals();
        int steps = layout.steps();
        for (int b = 0; b < steps; b++) {
            ShardedTraining.Step step = training.nextStep(b);
            for (Callback c : callbacks) {
                c.onBatchBegin(epoch, b + 1);
            }
            long start = System.nanoTime();
            Broadcast<float[][]> parameters = spark.broadcast(parameterValues());
            List<ShardedTraining.ShardResult> results;
            try {
                ShardTask task = new ShardTask(trainingId, shipped, parameters, step, b);
                results = job(where(epoch, "step " + (b + 1) + " of " + steps), () -> placed.mapPartitions(task).collect());
            } finally {
                parameters.destroy();
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
            totals.lossSum += applied.lossSum();
            totals.correct += applied.correct();
            totals.seen += applied.images();
            batchEnd(epoch, b, steps, totals);
        }
        return totals;
    }

    private Totals averagingEpoch(int epoch, JavaRDD<EpochPartition> placed, EpochLayout layout,
                                  ShardedTraining training, ShippedModel shipped) {
        Totals totals = new Totals();
        int steps = layout.steps();
        long perRound = (long) mode.localSteps() * partitions;
        for (int first = 0; first < steps; first += (int) Math.min(perRound, steps - first)) {
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
                LocalStepsTask task = new LocalStepsTask(trainingId, shipped, state, byPartition, layout);
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
            List<Long> weights = new ArrayList<>();
            for (LocalResult r : results) {
                if (r.images() > 0) {
                    states.add(r.state());
                    weights.add((long) r.images());
                }
                totals.lossSum += r.lossSum();
                totals.correct += r.correct();
                totals.seen += r.images();
            }
            if (!states.isEmpty()) {
                ModelState.average(states, weights.stream().mapToLong(Long::longValue).toArray()).applyTo(model);
            }
            updateSeconds += seconds(start);
            batchEnd(epoch, end - 1, steps, totals);
        }
        return totals;
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

    private void batchEnd(int epoch, int b, int steps, Totals totals) {
        for (Callback c : callbacks) {
            c.onBatchEnd(epoch, b + 1, steps, (double) totals.lossSum / totals.seen,
                    accuracy ? (double) totals.correct / totals.seen : Double.NaN);
        }
    }

    /** Copies of the model's trainable parameters, model order: what a step's tasks compute with. */
    private float[][] parameterValues() {
        List<Parameter> params = model.parameters();
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
        String line = String.format(Locale.ROOT, "Epoch %d/%d - %d steps in %.1f s - loss: %.4f%s%s", log.epoch(),
                options.epochs(), steps, log.seconds(), log.loss(),
                accuracy ? String.format(Locale.ROOT, " - accuracy: %.4f", log.accuracy()) : "",
                log.hasValidation() ? String.format(Locale.ROOT, " - val_loss: %.4f%s", log.validationLoss(),
                        accuracy ? String.format(Locale.ROOT, " - val_accuracy: %.4f", log.validationAccuracy()) : "")
                        : "");
        LOG.info("model '{}': {}", model.name(), line);
        if (options.verbose() > 0) {
            options.progressStream().println(line);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
