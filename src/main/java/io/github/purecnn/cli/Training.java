package io.github.purecnn.cli;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.io.internal.AtomicFiles;
import io.github.purecnn.io.internal.Json;
import io.github.purecnn.model.EpochLog;
import io.github.purecnn.model.Evaluation;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.History;
import io.github.purecnn.model.Sequential;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The steps the {@code tutorial} and {@code train} commands share: their options, loading the
 * data, training the seed model and reporting how it went.
 */
final class Training {
    static final Option<Path> DATA = Option.path("data", "DIR",
            "folder holding the four MNIST-format files, plain or .gz", Path.of("mnist-data"));
    static final Option<Integer> EPOCHS = Option.integer("epochs", "passes over the training images", 10, 1, 10_000);
    static final Option<Integer> BATCH_SIZE = Option.integer("batch-size", "images per training step", 64, 1, 1 << 16);
    static final Option<Double> LEARNING_RATE = Option.decimal("learning-rate", "Adam's learning rate", 0.001,
            0, false, 10);
    static final Option<Long> SEED = Option.longInteger("seed",
            "seed of the initial weights and the shuffling: the same seed gives the same results", 1L);
    static final Option<Integer> THREADS = Option.integer("threads",
            "training threads; the results do not depend on it", Runtime.getRuntime().availableProcessors(), 1, 1024);
    static final Option<Integer> TRAIN_LIMIT = Option.integer("train-limit",
            "train on the first N training images only (default all)", null, 1, Integer.MAX_VALUE);
    static final Option<Double> VALIDATION_SPLIT = Option.decimal("validation-split",
            "hold out this fraction of the training images, from their end, for validation", 0.0, 0, true, 1);
    static final Option<Path> METRICS_JSON = Option.path("metrics-json", "FILE",
            "also write the per-epoch and test metrics to FILE as JSON", null);

    /** The training options shared by both commands, report folder excepted (its default differs). */
    static final List<Option<?>> SHARED = List.of(DATA, EPOCHS, BATCH_SIZE, LEARNING_RATE, SEED, THREADS, TRAIN_LIMIT,
            VALIDATION_SPLIT);

    /** What the command line asked for. */
    record Settings(Path data, int epochs, int batchSize, double learningRate, long seed, int threads,
                    Integer trainLimit, double validationSplit, Path report, Path metricsJson) {

        static Settings of(ParsedOptions a, Option<Path> report) {
            return new Settings(a.get(DATA), a.get(EPOCHS), a.get(BATCH_SIZE), a.get(LEARNING_RATE), a.get(SEED),
                    a.get(THREADS), a.get(TRAIN_LIMIT), a.get(VALIDATION_SPLIT), a.get(report), a.get(METRICS_JSON));
        }
    }

    /**
     * How training went.
     *
     * @param seconds wall time of {@code fit}, validation included, as the tutorial times it
     */
    record Outcome(History history, double seconds, Evaluation test) {
    }

    private Training() {
    }

    /**
     * Loads the data set, keeping the first {@code --train-limit} training images.
     *
     * @throws IOException naming the folder and the file that is missing or malformed
     * @throws UsageException when the limit exceeds the training images
     */
    static Mnist.TrainTest load(Settings s) throws IOException, UsageException {
        return limit(loadMnist(s.data()), s);
    }

    /**
     * Keeps the first {@code --train-limit} training samples of {@code all}.
     *
     * @throws UsageException when the limit exceeds the training samples
     */
    static Mnist.TrainTest limit(Mnist.TrainTest all, Settings s) throws UsageException {
        Dataset train = all.train();
        if (s.trainLimit() == null) {
            return all;
        }
        if (s.trainLimit() > train.size()) {
            throw new UsageException("option '--train-limit': expected at most " + train.size()
                    + " (the training images in " + s.data() + "), found " + s.trainLimit());
        }
        return new Mnist.TrainTest(train.subset(0, s.trainLimit()), all.test());
    }

    /** {@link Mnist#load}, with a message that says what was being loaded. */
    static Mnist.TrainTest loadMnist(Path dir) throws IOException {
        try {
            return Mnist.load(dir);
        } catch (IOException e) {
            throw new IOException("cannot load MNIST from " + dir + ": " + Main.describe(e), e);
        }
    }

    /**
     * Trains {@code model} and evaluates it on the test set. With {@code --validation-split} a
     * part of the training images is held out for validation; otherwise, when
     * {@code testAsValidation}, the test set is evaluated after every epoch, as the original
     * tutorial does for its plots (it is then not an unseen set for choosing settings, but
     * training never learns from it). Says on {@code out} what the validation data is; the
     * progress goes to {@code err}.
     */
    static Outcome fit(Sequential model, Mnist.TrainTest data, Settings s, boolean testAsValidation, PrintStream out,
                       PrintStream err) throws UsageException {
        FitOptions options = new FitOptions().epochs(s.epochs()).batchSize(s.batchSize()).progressStream(err);
        String validation = "none";
        int trainImages = data.train().size();
        if (s.validationSplit() > 0) {
            int size = trainImages;
            int held = (int) (size * s.validationSplit());
            if (held < 1 || held >= size) {
                throw new UsageException("option '--validation-split': " + s.validationSplit() + " of " + size
                        + " training images leaves " + held + " for validation and " + (size - held)
                        + " for training; both need at least one");
            }
            options.validationSplit(s.validationSplit());
            trainImages = size - held;
            validation = String.format(Locale.ROOT, "the last %d of the %d training images (--validation-split %s),"
                    + " which training then leaves out", held, size, s.validationSplit());
        } else if (testAsValidation) {
            options.validationData(data.test());
            validation = "the " + data.test().size() + " test images, as the original tutorial's plots do"
                    + " (training never learns from them)";
        }
        out.println("validation data: " + validation);
        out.println("training on " + trainImages + " images; progress on standard error");
        out.flush();
        model.threads(s.threads());
        long start = System.nanoTime();
        History history = model.fit(data.train(), options);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(history, seconds, model.evaluate(data.test()));
    }

    /** The per-epoch table, the training time and the test result. */
    static void printResults(Outcome o, int testImages, PrintStream out) {
        boolean validation = o.history().last().hasValidation();
        out.println(validation ? "epoch    loss  accuracy  val_loss  val_accuracy  seconds"
                : "epoch    loss  accuracy  seconds");
        for (EpochLog e : o.history().epochs()) {
            out.printf(Locale.ROOT, "%5d  %6.4f  %8.4f", e.epoch(), e.loss(), e.accuracy());
            if (validation) {
                out.printf(Locale.ROOT, "  %8.4f  %12.4f", e.validationLoss(), e.validationAccuracy());
            }
            out.printf(Locale.ROOT, "  %7.1f%n", e.seconds());
        }
        out.printf(Locale.ROOT, "training time: %.1f s%n", o.seconds());
        out.printf(Locale.ROOT, "test loss: %.4f%n", o.test().loss());
        out.printf(Locale.ROOT, "test accuracy: %.2f%% (%d test images)%n", 100 * o.test().accuracy(), testImages);
    }

    /** Writes the metrics JSON when {@code --metrics-json} was given, and says where. */
    static void writeMetrics(Outcome o, Settings s, PrintStream out) throws IOException {
        if (s.metricsJson() != null) {
            byte[] text = (Json.write(metrics(o)) + "\n").getBytes(StandardCharsets.UTF_8);
            Path target = s.metricsJson().toAbsolutePath();
            try {
                Files.createDirectories(target.getParent());
                AtomicFiles.write(target, stream -> stream.write(text));
            } catch (IOException e) {
                throw new IOException("cannot write " + s.metricsJson() + ": " + Main.describe(e), e);
            }
            out.println("metrics: " + s.metricsJson());
        }
    }

    /**
     * The metrics document, for scripts and CI:
     * <pre>{@code {"epochs":[{"epoch":1,"seconds":..,"loss":..,"accuracy":..,"val_loss":..,"val_accuracy":..}],
     *  "train_seconds":..,"test_loss":..,"test_accuracy":..}}</pre>
     * The validation keys are present only when training had validation data.
     */
    static Map<String, Object> metrics(Outcome o) {
        List<Object> epochs = new ArrayList<>();
        for (EpochLog e : o.history().epochs()) {
            Map<String, Object> epoch = new LinkedHashMap<>();
            epoch.put("epoch", e.epoch());
            epoch.put("seconds", finiteOrNull(e.seconds()));
            epoch.put("loss", finiteOrNull(e.loss()));
            epoch.put("accuracy", finiteOrNull(e.accuracy()));
            if (e.hasValidation()) {
                epoch.put("val_loss", finiteOrNull(e.validationLoss()));
                epoch.put("val_accuracy", finiteOrNull(e.validationAccuracy()));
            }
            epochs.add(epoch);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("epochs", epochs);
        json.put("train_seconds", finiteOrNull(o.seconds()));
        json.put("test_loss", finiteOrNull(o.test().loss()));
        json.put("test_accuracy", finiteOrNull(o.test().accuracy()));
        return json;
    }

    /** JSON has no NaN or infinity; training stops on a non-finite loss, so null never shows in practice. */
    private static Double finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
