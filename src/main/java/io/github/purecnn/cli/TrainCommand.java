package io.github.purecnn.cli;

import io.github.purecnn.data.Mnist;
import io.github.purecnn.model.Sequential;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code train}: trains the seed model and reports the metrics, optionally as JSON and pictures. */
final class TrainCommand implements Command {
    static final Option<Path> REPORT = Option.path("report", "DIR",
            "also write the pictures (samples, training curves, feature maps, confusion matrix) into DIR", null);
    static final Option<Path> SAVE = Option.path("save", "FILE",
            "also save the trained model (architecture, weights, optimizer state) to FILE, for 'evaluate' and"
                    + " 'predict'", null);

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train the seed LeNet-like model on MNIST and report its test accuracy";
    }

    @Override
    public String description() {
        return "Trains the seed tutorial's LeNet-like model on the MNIST training images with Adam and sparse"
                + " categorical cross-entropy, then evaluates it on the test images. Progress goes to standard error;"
                + " the per-epoch metrics, the training time and the test loss and accuracy go to standard output.";
    }

    @Override
    public List<Option<?>> options() {
        List<Option<?>> options = new ArrayList<>(Training.SHARED);
        options.add(REPORT);
        options.add(Training.METRICS_JSON);
        options.add(SAVE);
        return options;
    }

    @Override
    public void run(ParsedOptions args, PrintStream out, PrintStream err) throws Exception {
        Training.Settings s = Training.Settings.of(args, REPORT);
        Mnist.TrainTest data = Training.load(s);
        Sequential model = SeedModel.create(s.seed(), s.learningRate());
        Training.Outcome outcome = Training.fit(model, data, s, false, out, err);
        Training.printResults(outcome, data.test().size(), out);
        Training.writeMetrics(outcome, s, out);
        Path save = args.get(SAVE);
        if (save != null) {
            model.save(save);
            out.println("model: " + save);
        }
        if (s.report() != null) {
            Report.Predictions p = Report.Predictions.of(model, data.test());
            ConfusionMatrix confusion = ConfusionMatrix.of(data.test().labels(), p.predicted(), Mnist.NUM_CLASSES);
            for (String line : Report.write(s.report(), model, outcome.history(), data.test(), p, confusion,
                    TutorialCommand.randomDigit(s.seed(), data.test().size()))) {
                out.println("wrote " + line);
            }
        }
    }
}
