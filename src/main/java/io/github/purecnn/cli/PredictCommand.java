package io.github.purecnn.cli;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.io.internal.AtomicFiles;
import io.github.purecnn.io.Npy;
import io.github.purecnn.io.NpyArray;
import io.github.purecnn.model.LeNet;
import io.github.purecnn.model.ModelFiles;
import io.github.purecnn.model.Sequential;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code predict}: class probabilities of the MNIST test images from a saved model or Keras weights. */
final class PredictCommand implements Command {
    static final Option<Path> WEIGHTS = Option.path("weights", "FILE",
            "instead of --model: the seed LeNet model with these weights, an .npz as"
                    + " np.savez(FILE, *keras_model.get_weights()) writes it", null);
    static final Option<Integer> LIMIT = Option.integer("limit", "predict the first N test images only (default all)",
            null, 1, Integer.MAX_VALUE);
    static final Option<Path> OUTPUT = Option.path("output", "FILE",
            "write the probabilities to FILE instead of standard output: FILE.npy a float32 array (n, classes),"
                    + " FILE.csv a table", null);

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "class probabilities of the MNIST test images from a saved model or Keras weights";
    }

    @Override
    public String description() {
        return "Loads a model (--model) or Keras-layout weights for the seed LeNet model (--weights), and"
                + " computes the class probabilities of the MNIST test images. Without --output they go to standard"
                + " output as CSV with the header index,label,predicted,p0,p1,...; with --output FILE.csv the same"
                + " table goes to FILE, with --output FILE.npy a float32 NumPy array of shape (n, classes).";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(EvaluateCommand.MODEL, WEIGHTS, Training.DATA, LIMIT, OUTPUT, EvaluateCommand.THREADS);
    }

    @Override
    public void run(ParsedOptions args, PrintStream out, PrintStream err) throws Exception {
        Path modelFile = args.get(EvaluateCommand.MODEL);
        Path weights = args.get(WEIGHTS);
        if ((modelFile == null) == (weights == null)) {
            throw new UsageException("expected exactly one of '--model FILE' and '--weights FILE', found "
                    + (modelFile == null ? "neither" : "both"));
        }
        Path output = args.get(OUTPUT);
        String name = output == null ? "" : String.valueOf(output.getFileName()).toLowerCase(Locale.ROOT);
        if (output != null && !name.endsWith(".npy") && !name.endsWith(".csv")) {
            throw new UsageException("option '--output': expected a file name ending in .npy or .csv, found '"
                    + output + "'");
        }
        Sequential model;
        if (modelFile != null) {
            model = ModelFiles.load(modelFile);
        } else {
            // The seed is irrelevant: every initial weight is replaced by the file's.
            model = LeNet.create(0);
            model.loadWeights(weights);
        }
        model.threads(args.get(EvaluateCommand.THREADS));
        Path data = args.get(Training.DATA);
        Dataset test = Training.loadMnist(data).test();
        Integer limit = args.get(LIMIT);
        if (limit != null) {
            if (limit > test.size()) {
                throw new UsageException("option '--limit': expected at most " + test.size() + " (the test images in "
                        + data + "), found " + limit);
            }
            test = test.subset(0, limit);
        }
        Report.Predictions p = predict(model, modelFile != null ? modelFile : weights, test);
        if (output == null) {
            out.print(csv(test, p));
        } else if (name.endsWith(".npy")) {
            Npy.write(output, NpyArray.of(p.probabilities().data(), test.size(), p.probabilities().sampleSize()));
            out.println("wrote " + test.size() + " predictions to " + output);
        } else {
            byte[] text = csv(test, p).getBytes(StandardCharsets.UTF_8);
            AtomicFiles.write(output, stream -> stream.write(text));
            out.println("wrote " + test.size() + " predictions to " + output);
        }
    }

    /**
     * The model's predictions for the data set.
     *
     * @throws IOException naming the file the model came from when its input or output does not fit
     *     the data, when it is too large to run in this JVM, or when its outputs are NaN or infinite
     *     (its weights overflow): a table of NaN would print as "predicted 0", an accuracy as 9.80%
     */
    static Report.Predictions predict(Sequential model, Path source, Dataset data) throws IOException {
        if (!model.inputShape().equals(data.sampleShape()) || model.outputShape().rank() != 1
                || model.outputShape().size() < data.numClasses()) {
            throw new IOException(source + ": the model takes " + model.inputShape() + " and gives "
                    + model.outputShape() + ": expected " + data.sampleShape() + " images and at least "
                    + data.numClasses() + " class probabilities");
        }
        Report.Predictions p;
        try {
            p = Report.Predictions.of(model, data);
        } catch (IllegalStateException e) {
            // The model's memory check: what the file holds is too large to run here.
            throw new IOException(source + ": " + e.getMessage(), e);
        }
        float[] values = p.probabilities().data();
        int classes = p.probabilities().sampleSize();
        int bad = 0;
        int first = -1;
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                bad++;
                first = first < 0 ? i : first;
            }
        }
        if (bad > 0) {
            throw new IOException(String.format(Locale.ROOT, "%s: the model's outputs are not numbers: %d of %d are"
                    + " NaN or infinite (the first, %s, for image %d, class %d), so its weights overflow; no"
                    + " prediction of it means anything", source, bad, values.length, values[first], first / classes,
                    first % classes));
        }
        return p;
    }

    /** index, true label, predicted class, then each probability as the shortest text that reads back exactly. */
    private static String csv(Dataset test, Report.Predictions p) {
        int classes = p.probabilities().sampleSize();
        float[] values = p.probabilities().data();
        StringBuilder sb = new StringBuilder("index,label,predicted");
        for (int c = 0; c < classes; c++) {
            sb.append(",p").append(c);
        }
        sb.append('\n');
        for (int i = 0; i < test.size(); i++) {
            sb.append(i).append(',').append(test.label(i)).append(',').append(p.predicted()[i]);
            for (int c = 0; c < classes; c++) {
                sb.append(',').append(values[i * classes + c]);
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
