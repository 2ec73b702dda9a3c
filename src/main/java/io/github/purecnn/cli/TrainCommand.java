package io.github.purecnn.cli;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.Mnist;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.model.Metric;
import io.github.purecnn.model.ModelFiles;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.optimizers.Adam;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code train}: trains the seed model (or a saved one) and reports the metrics, optionally as JSON and pictures. */
final class TrainCommand implements Command {
    static final Option<Path> REPORT = Option.path("report", "DIR",
            "also write the pictures (samples, training curves, feature maps, confusion matrix) into DIR;"
                    + " one-channel images only", null);
    static final Option<Path> SAVE = Option.path("save", "FILE",
            "also save the trained model (architecture, weights, optimizer state) to FILE, for 'evaluate' and"
                    + " 'predict': a purecnn model file, or a Keras file for a name ending in .keras or .h5 when the"
                    + " command line carries the Keras module", null);
    static final Option<Path> MODEL = Option.path("model", "FILE",
            "train this saved model instead of the seed LeNet: a model file as --save writes it, or a Keras .h5 or"
                    + " .keras file when the command line carries the Keras module (decided by content); training"
                    + " goes on from its weights and, if it was compiled, its optimizer and loss. --learning-rate,"
                    + " when given, recompiles it with a fresh Adam", null);

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train the seed LeNet-like model (or a saved model) and report its test accuracy";
    }

    @Override
    public String description() {
        return "Trains the seed tutorial's LeNet-like model, or the model of --model FILE, on the training data with"
                + " Adam and sparse categorical cross-entropy, then evaluates it on the test data. The data is MNIST"
                + " by default; --data also takes image folders, CIFAR folders and .npz archives (the seed model"
                + " needs 28x28 one-channel images of at most 10 classes: image folders are resized to the model's"
                + " input). Progress goes to standard error; the per-epoch metrics, the training time and the test"
                + " loss and accuracy go to standard output.";
    }

    @Override
    public List<Option<?>> options() {
        List<Option<?>> options = new ArrayList<>(Training.SHARED);
        options.set(options.indexOf(Training.DATA), DataSources.DATA);
        options.add(DataSources.IMAGE_SIZE);
        options.add(DataSources.COLOR_MODE);
        options.add(DataSources.PIXEL_SCALE);
        options.add(MODEL);
        options.add(REPORT);
        options.add(Training.METRICS_JSON);
        options.add(SAVE);
        return options;
    }

    @Override
    public void run(ParsedOptions args, PrintStream out, PrintStream err) throws Exception {
        Training.Settings s = Training.Settings.of(args, REPORT);
        Path modelFile = args.get(MODEL);
        Sequential model = modelFile == null ? SeedModel.create(s.seed(), s.learningRate())
                : savedModel(modelFile, args, s.learningRate(), out);
        DataSources.Loaded loaded = DataSources.load(s.data(), args, model.inputShape(), s.seed(), out);
        Mnist.TrainTest data = Training.limit(loaded.data(), s);
        out.println("data: " + loaded.description() + ": " + data.train() + " for training, " + data.test()
                + " for testing");
        Dataset test = data.test();
        checkFits(data.train(), model, modelFile == null);
        if (s.report() != null && (test.sampleShape().rank() != 3 || test.sampleShape().dim(2) != 1)) {
            throw new UsageException("option '--report' draws one-channel images; the data has samples of shape "
                    + test.sampleShape());
        }
        Training.Outcome outcome = Training.fit(model, data, s, false, out, err);
        Training.printResults(outcome, test.size(), out);
        Training.writeMetrics(outcome, s, out);
        Path save = args.get(SAVE);
        if (save != null) {
            ModelFiles.save(model, save);
            out.println("model: " + save);
        }
        if (s.report() != null) {
            Report.Predictions p = Report.Predictions.of(model, test);
            ConfusionMatrix confusion = ConfusionMatrix.of(test.labels(), p.predicted(), model.outputShape().size());
            for (String line : Report.write(s.report(), model, outcome.history(), test, p, confusion,
                    TutorialCommand.randomDigit(s.seed(), test.size()))) {
                out.println("wrote " + line);
            }
        }
    }

    /** Refuses, before any training, data the model cannot take, with a hint at the options that would help. */
    private static void checkFits(Dataset train, Sequential model, boolean seedModel) throws UsageException {
        if (!train.hasClassLabels()) {
            throw new UsageException("the data has float targets of shape " + train.targetShape() + " per sample;"
                    + " 'train' fits integer class labels");
        }
        if (!train.sampleShape().equals(model.inputShape())) {
            throw new UsageException("the data has samples of shape " + train.sampleShape() + ", the model takes "
                    + model.inputShape() + (seedModel ? ": the seed LeNet needs 28x28 one-channel images (image"
                    + " folders are resized to it); for other data give --model FILE" : ""));
        }
        int outputs = model.outputShape().size();
        if (train.numClasses() > outputs) {
            throw new UsageException("the data has " + train.numClasses() + " classes, the model gives " + outputs
                    + " outputs");
        }
    }

    /** The model of {@code --model}, compiled for training: as saved, or with Adam when uncompiled or asked. */
    private static Sequential savedModel(Path file, ParsedOptions args, double learningRate, PrintStream out)
            throws IOException {
        Sequential model = ModelFiles.load(file);
        if (!model.isCompiled()) {
            model.compile(new Adam(learningRate), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        } else if (args.has(Training.LEARNING_RATE)) {
            model.compile(new Adam(learningRate), model.loss(), model.metrics().toArray(new Metric[0]));
        }
        out.println("model: " + file + " (" + model + ", " + model.countParams() + " parameters)");
        return model;
    }
}
