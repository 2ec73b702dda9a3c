package io.github.purecnn.cli;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.visual.TerminalText;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code tutorial}: the classic Keras MNIST tutorial end to end, what {@code mvn -q compile
 * exec:java} runs. Every default is the seed's setting.
 */
final class TutorialCommand implements Command {
    static final Option<Path> REPORT = Option.path("report", "DIR", "folder for the pictures", Path.of("target", "report"));

    @Override
    public String name() {
        return "tutorial";
    }

    @Override
    public String summary() {
        return "the seed Keras MNIST tutorial end to end, with pictures (what mvn -q compile exec:java runs)";
    }

    @Override
    public String description() {
        return "Loads MNIST and shows its shapes, builds the LeNet-like model and prints its summary, trains it"
                + " (10 epochs of batches of 64, Adam 0.001, the test set as validation data unless"
                + " --validation-split is given), evaluates it on the test set, shows one random test digit with its"
                + " prediction, prints the confusion matrix with each class's precision and recall, and writes"
                + " samples.png, training-curves.png, feature-maps.png and confusion-matrix.png into the report folder.";
    }

    @Override
    public List<Option<?>> options() {
        List<Option<?>> options = new ArrayList<>(Training.SHARED);
        options.add(REPORT);
        options.add(Training.METRICS_JSON);
        return options;
    }

    @Override
    public void run(ParsedOptions args, PrintStream out, PrintStream err) throws Exception {
        Training.Settings s = Training.Settings.of(args, REPORT);
        Sequential model = SeedModel.create(s.seed(), s.learningRate());
        out.printf(Locale.ROOT, "purecnn: the Keras MNIST tutorial in Java (seed %d, %d threads, %s kernels)%n%n",
                s.seed(), s.threads(), model.kernels().name());

        out.println("1. Data from " + s.data());
        Mnist.TrainTest data = Training.load(s);
        printShapes(data, out);

        out.println();
        out.println("2. Model");
        model.printSummary(out);

        out.println();
        out.printf(Locale.ROOT, "3. Training: %d epochs, batches of %d, Adam(learning rate %s), %s%n",
                s.epochs(), s.batchSize(), s.learningRate(), model.loss().kerasName());
        Training.Outcome outcome = Training.fit(model, data, s, true, out, err);
        Training.printResults(outcome, data.test().size(), out);
        Training.writeMetrics(outcome, s, out);

        Dataset test = data.test();
        Report.Predictions p = Report.Predictions.of(model, test);
        int digit = randomDigit(s.seed(), test.size());
        out.println();
        out.printf(Locale.ROOT, "4. One test digit: index %d, drawn with seed %d%n", digit, s.seed());
        Shape shape = test.sampleShape();
        out.print(TerminalText.digit(test.image(digit), shape.dim(0), shape.dim(1), TerminalText.Charset.ASCII, true));
        out.printf(Locale.ROOT, "true label %d, predicted %d%n", test.label(digit), p.predicted()[digit]);
        out.print(TerminalText.probabilities(p.of(digit), TerminalText.Charset.ASCII));

        ConfusionMatrix confusion = ConfusionMatrix.of(test.labels(), p.predicted(), Mnist.NUM_CLASSES);
        out.println();
        out.println("5. Confusion matrix of the test images, with each class's recall and precision");
        out.print(confusion.table());

        out.println();
        out.println("6. Pictures in " + s.report());
        for (String line : Report.write(s.report(), model, outcome.history(), test, p, confusion, digit)) {
            out.println(line);
        }
    }

    /** The test image the tutorial shows: random, but the same for the same seed. */
    static int randomDigit(long seed, int testImages) {
        return new SplittableRandom(seed).nextInt(testImages);
    }

    /** Keras's {@code x_train.shape} lines, and the pixel range after scaling. */
    private static void printShapes(Mnist.TrainTest data, PrintStream out) {
        for (String set : new String[] {"train", "test"}) {
            Dataset d = set.equals("train") ? data.train() : data.test();
            String x = "x_" + set + " " + d.sampleShape().withBatch(d.size());
            out.printf(Locale.ROOT, "%-28s y_%s %s%n", x, set, Shape.of(d.size()));
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        Dataset train = data.train();
        for (int i = 0; i < train.size(); i++) {
            for (float v : train.image(i)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        out.printf(Locale.ROOT, "pixels scaled from bytes 0..255 to floats: the training images range from %s to %s%n",
                min, max);
    }
}
