package io.github.purecnn.benchmarks.suite;

import io.github.purecnn.benchmarks.JsonLine;
import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.EpochLog;
import io.github.purecnn.model.FitOptions;
import io.github.purecnn.model.History;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains each model of the speed suite through the public API ({@link Sequential#fit}) and
 * prints its epoch times and GFLOP/s: one JSON line per epoch, then a table with the last
 * epoch of each model (the first includes the JIT's warm-up).
 *
 * <pre>{@code java [--add-modules jdk.incubator.vector] -cp benchmarks/target/benchmarks.jar \
 *     io.github.purecnn.benchmarks.suite.ModelSuite [--models lenet,convnet,strided,cifar] \
 *     [--images N] [--epochs 2] [--threads T] [--data mnist-data] [--seed 1] [--flops]}</pre>
 *
 * The kernel path is the JVM's: the Vector API with {@code --add-modules jdk.incubator.vector},
 * plain Java without. When several models are asked for, each trains in a JVM of its own
 * started with the same options, so that its figures do not depend on which models ran before
 * it (what the JIT compiled for them). {@code --flops} prints each model's training FLOPs per
 * image, layer by layer, without training.
 */
public final class ModelSuite {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Marks a child JVM's run: it prints its table row without the header. */
    private static final String CHILD = "--child";
    private static final String TABLE_HEADER = "| model | kernels | threads | batch | images | epoch | seconds | GFLOP/s | test accuracy |\n"
            + "| --- | --- | --- | --- | --- | --- | --- | --- | --- |";

    private ModelSuite() {
    }

    /** What the command line asked for. */
    record Options(List<SuiteModel> models, Integer images, int epochs, int threads, Path data, long seed,
                   boolean flopsOnly, boolean child) {

        static Options parse(String[] args) {
            List<SuiteModel> models = List.of(SuiteModel.values());
            Integer images = null;
            int epochs = 2;
            int threads = Runtime.getRuntime().availableProcessors();
            Path data = Path.of("mnist-data");
            long seed = 1;
            boolean flops = false;
            boolean child = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--models" -> {
                        models = new ArrayList<>();
                        for (String key : value(args, ++i, a).split(",")) {
                            models.add(SuiteModel.of(key.trim()));
                        }
                    }
                    case "--images" -> images = positive(args, ++i, a);
                    case "--epochs" -> epochs = positive(args, ++i, a);
                    case "--threads" -> threads = positive(args, ++i, a);
                    case "--data" -> data = Path.of(value(args, ++i, a));
                    case "--seed" -> seed = whole(args, ++i, a);
                    case "--flops" -> flops = true;
                    case CHILD -> child = true;
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            return new Options(models, images, epochs, threads, data, seed, flops, child);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static long whole(String[] args, int i, String option) {
            String v = value(args, i, option);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " must be a whole number, found '" + v + "'", e);
            }
        }

        private static int positive(String[] args, int i, String option) {
            long n = whole(args, i, option);
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(option + " must be from 1 to " + Integer.MAX_VALUE + ", found " + n);
            }
            return (int) n;
        }

        /** The same options for one model, as a child JVM's arguments. */
        List<String> forChild(SuiteModel model) {
            List<String> a = new ArrayList<>(List.of("--models", model.key(), "--epochs", Integer.toString(epochs),
                    "--threads", Integer.toString(threads), "--data", data.toString(), "--seed", Long.toString(seed),
                    CHILD));
            if (images != null) {
                a.addAll(List.of("--images", images.toString()));
            }
            return a;
        }
    }

    /** Runs the suite as the class comment describes; exit status 1 on a failed run, 2 on bad arguments. */
    public static void main(String[] args) throws IOException, InterruptedException {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ModelSuite: " + e.getMessage());
            System.err.println("usage: ModelSuite [--models " + SuiteModel.keys() + "] [--images N] [--epochs E] "
                    + "[--threads T] [--data DIR] [--seed S] [--flops]");
            System.exit(2);
            return;
        }
        if (options.flopsOnly()) {
            options.models().forEach(ModelSuite::printFlops);
            return;
        }
        List<String> rows = new ArrayList<>();
        try {
            if (options.models().size() == 1) {
                rows.add(train(options.models().get(0), options));
            } else {
                for (SuiteModel model : options.models()) {
                    rows.add(trainInChild(model, options));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("ModelSuite: " + e.getMessage());
            System.exit(1);
        }
        if (!options.child()) {
            System.out.println(TABLE_HEADER);
        }
        rows.forEach(System.out::println);
    }

    /**
     * Trains {@code model} in this JVM, printing one JSON line per epoch.
     *
     * @return the table row of the last epoch
     */
    static String train(SuiteModel model, Options options) throws IOException {
        SuiteData.Source source = new SuiteData.Source(options.data());
        int images = options.images() != null ? options.images() : model.data().defaultImages();
        Dataset train = source.training(model.data(), images);
        Dataset test = source.test(model.data());
        Sequential network = model.layers(options.seed()).threads(options.threads());
        if (vectorApi()) {
            // an instance of its own: the start-up choice would run a short run's first batches on
            // plain Java (the same bits), and the suite measures the path it names from the start
            network.kernels(KernelsProvider.vector());
        }
        network.compile(new Adam(0.001), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        long flopsPerImage = TrainingFlops.perImage(network);
        String kernels = vectorApi() ? "Vector API" : "plain Java";

        History history = network.fit(train, new FitOptions().epochs(options.epochs()).batchSize(model.batchSize())
                .shuffle(true).verbose(0));
        double accuracy = test == null ? Double.NaN : network.evaluate(test).accuracy();
        EpochLog last = history.last();
        double gflop = (double) flopsPerImage * images / 1e9;
        for (EpochLog epoch : history.epochs()) {
            System.out.println(new JsonLine().put("model", model.key()).put("kernels", kernels)
                    .put("epoch", epoch.epoch()).put("images", images).put("batch", model.batchSize())
                    .put("threads", options.threads()).put("train_seconds", epoch.seconds(), 4)
                    .put("train_loss", epoch.loss(), 5).put("flops_per_image", flopsPerImage).put("gflop", gflop, 3)
                    .put("gflops", gflop / epoch.seconds(), 2)
                    .put("test_acc", epoch == last ? accuracy : Double.NaN, 4));
        }
        return String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %.3f | %.1f | %s |", model.key(), kernels,
                options.threads(), model.batchSize(), images, last.epoch(), last.seconds(),
                gflop / last.seconds(),
                Double.isNaN(accuracy) ? "-" : String.format(Locale.ROOT, "%.4f", accuracy));
    }

    /**
     * Trains {@code model} in a child JVM with this JVM's options and class path, passing its
     * output through.
     *
     * @return the child's table row
     */
    private static String trainInChild(SuiteModel model, Options options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ModelSuite.class.getName()));
        command.addAll(options.forChild(model));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String row = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("| ")) {
                    row = line;
                } else {
                    System.out.println(line);
                }
            }
        }
        int status = child.waitFor();
        if (status != 0 || row == null) {
            throw new IOException("training " + model.key() + " failed (exit status " + status + "): "
                    + String.join(" ", command));
        }
        return row;
    }

    /** Prints the model's forward multiply-adds per layer and its training FLOPs per image. */
    private static void printFlops(SuiteModel model) {
        Sequential network = model.layers(1);
        network.layers().forEach(layer -> {
            long macs = TrainingFlops.forwardMultiplyAdds(layer);
            if (macs > 0) {
                System.out.printf(Locale.ROOT, "%-8s %-10s %-14s %,13d forward multiply-adds%n", model.key(),
                        layer.name(), layer.outputShape(), macs);
            }
        });
        System.out.println(new JsonLine().put("model", model.key()).put("batch", model.batchSize())
                .put("images", model.data().defaultImages())
                .put("forward_multiply_adds", TrainingFlops.forwardMultiplyAdds(network))
                .put("flops_per_image", TrainingFlops.perImage(network)));
    }

    /** Whether this JVM runs purecnn's Vector API kernels (the library picks them when the module is present). */
    private static boolean vectorApi() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }
}
