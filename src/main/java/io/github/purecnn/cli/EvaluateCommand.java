package io.github.purecnn.cli;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.runtime.Truth;
import io.github.purecnn.model.ModelFiles;
import io.github.purecnn.model.Sequential;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code evaluate}: a saved model's loss, accuracy and confusion matrix on the MNIST test images. */
final class EvaluateCommand implements Command {
    static final Option<Path> MODEL = Option.path("model", "FILE",
            "the model: a model file as 'train --save' writes it, or a Keras .h5 or .keras file when the command line"
                    + " carries the Keras module (the format is decided by the content)", null);
    static final Option<Integer> THREADS = Option.integer("threads",
            "threads for the forward passes; the results do not depend on it", Runtime.getRuntime().availableProcessors(),
            1, 1024);

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "evaluate a saved model on the MNIST test images";
    }

    @Override
    public String description() {
        return "Loads a model (--model) and runs it on the MNIST test images: prints the test loss (with the loss the"
                + " model was compiled with), the accuracy, and the confusion matrix with each class's recall"
                + " (right column) and precision (bottom row).";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(MODEL, Training.DATA, THREADS);
    }

    @Override
    public void run(ParsedOptions args, PrintStream out, PrintStream err) throws Exception {
        Path file = args.get(MODEL);
        if (file == null) {
            throw new UsageException("option '--model' is required: expected the model file to evaluate");
        }
        Sequential model = ModelFiles.load(file).threads(args.get(THREADS));
        Dataset test = Training.loadMnist(args.get(Training.DATA)).test();
        Report.Predictions p = PredictCommand.predict(model, file, test);
        int n = test.size();
        int classes = p.probabilities().sampleSize();
        out.println("model: " + file + " (" + model + ")");
        if (model.isCompiled()) {
            // The mean of the same per-image losses evaluate() sums, from the probabilities already computed.
            double loss = model.loss().sum(p.probabilities().data(), Truth.ofLabels(test.labels(), classes), n) / n;
            out.printf(Locale.ROOT, "test loss: %.4f (%s)%n", loss, model.loss().kerasName());
        } else {
            out.println("test loss: - (the model was saved uncompiled, without a loss)");
        }
        ConfusionMatrix confusion = ConfusionMatrix.of(test.labels(), p.predicted(), classes);
        long correct = 0;
        for (int c = 0; c < classes; c++) {
            correct += confusion.counts()[c][c];
        }
        out.printf(Locale.ROOT, "test accuracy: %.2f%% (%d test images)%n", 100.0 * correct / n, n);
        out.println();
        out.print(confusion.table());
    }
}
