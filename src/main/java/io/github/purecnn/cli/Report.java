package io.github.purecnn.cli;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Layer;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.model.History;
import io.github.purecnn.model.Sequential;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.github.purecnn.visual.ClassicKernel;
import io.github.purecnn.visual.ColorMap;
import io.github.purecnn.visual.ConfusionHeatMap;
import io.github.purecnn.visual.DigitGrid;
import io.github.purecnn.visual.MapPanel;
import io.github.purecnn.visual.TrainingCurves;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The pictures of a trained model, written into a report folder. */
final class Report {
    static final String SAMPLES = "samples.png";
    static final String CURVES = "training-curves.png";
    static final String FEATURE_MAPS = "feature-maps.png";
    static final String CONFUSION = "confusion-matrix.png";

    /** How many digits each row of the samples picture shows. */
    private static final int SAMPLE_ROW = 10;

    /**
     * The model's answers on the test set.
     *
     * @param probabilities (n, classes), the softmax outputs
     * @param predicted     the most probable class of each image
     */
    record Predictions(Tensor probabilities, int[] predicted) {

        static Predictions of(Sequential model, Dataset data) {
            Tensor p = model.predict(data);
            int classes = p.sampleSize();
            float[] values = p.data();
            int[] predicted = new int[data.size()];
            for (int i = 0; i < predicted.length; i++) {
                int row = i * classes;
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (values[row + c] > values[row + best]) {
                        best = c;
                    }
                }
                predicted[i] = best;
            }
            return new Predictions(p, predicted);
        }

        /** Image i's class probabilities, a copy. */
        float[] of(int i) {
            return probabilities.slice(i, 1).data();
        }
    }

    private Report() {
    }

    /**
     * Writes the four pictures into {@code dir} (created if missing).
     *
     * @param digit the test image whose feature maps to show
     * @return one line per picture: its file and what it shows
     * @throws IOException naming the picture that could not be written
     */
    static List<String> write(Path dir, Sequential model, History history, Dataset test, Predictions p,
                              ConfusionMatrix confusion, int digit) throws IOException {
        List<String> written = new ArrayList<>();
        written.add(samples(dir.resolve(SAMPLES), test, p.predicted()));
        written.add(curves(dir.resolve(CURVES), history));
        written.add(featureMaps(dir.resolve(FEATURE_MAPS), model, test, digit));
        ConfusionHeatMap.write(dir.resolve(CONFUSION), confusion.counts(), ConfusionHeatMap.Shading.COUNT);
        written.add(dir.resolve(CONFUSION) + "  test images by true class (rows) and predicted class (columns)");
        return written;
    }

    /** A row of the first test digits, then a row of the next ones the model got wrong. */
    private static String samples(Path file, Dataset test, int[] predicted) throws IOException {
        int first = Math.min(SAMPLE_ROW, test.size());
        List<Integer> shown = new ArrayList<>();
        for (int i = 0; i < first; i++) {
            shown.add(i);
        }
        for (int i = first; i < test.size() && shown.size() < first + SAMPLE_ROW; i++) {
            if (predicted[i] != test.label(i)) {
                shown.add(i);
            }
        }
        int height = test.sampleShape().dim(0);
        int width = test.sampleShape().dim(1);
        float[][] images = new float[shown.size()][];
        int[] labels = new int[shown.size()];
        int[] guesses = new int[shown.size()];
        for (int k = 0; k < images.length; k++) {
            int i = shown.get(k);
            images[k] = test.image(i);
            labels[k] = test.label(i);
            guesses[k] = predicted[i];
        }
        DigitGrid.write(file, images, height, width, labels, guesses);
        return file + "  the first " + first + " test digits, then the next " + (shown.size() - first)
                + " the model got wrong (true label -> predicted label, mistakes in red)";
    }

    private static String curves(Path file, History h) throws IOException {
        if (h.last().hasValidation()) {
            TrainingCurves.write(file, h.get("loss"), h.get("accuracy"), h.get("val_loss"), h.get("val_accuracy"));
            return file + "  loss and accuracy per epoch, training (solid) and validation (dashed)";
        }
        TrainingCurves.write(file, h.get("loss"), h.get("accuracy"));
        return file + "  loss and accuracy per epoch on the training images";
    }

    /**
     * Five rows: the digit; the first convolution's trained filters; the digit's feature maps
     * through them; classic hand-made kernels; the digit through those. Both convolutions run
     * through the library's own Conv2D, so the pictures show what the network computes.
     */
    private static String featureMaps(Path file, Sequential model, Dataset test, int digit) throws IOException {
        Conv2D trained = firstConv2D(model);
        Shape kernelShape = trained.kernel().shape();
        int kh = kernelShape.dim(0);
        int kw = kernelShape.dim(1);
        int filters = trained.filters();
        Shape input = test.sampleShape();
        int height = input.dim(0);
        int width = input.dim(1);
        float[] image = test.image(digit);

        // A one-layer model sharing the trained layer's weights: the first layer's output alone.
        Sequential first = new Sequential(0, input,
                new Conv2D(filters, kh, kw).activation(trained.outputActivation()));
        first.setWeights(trained.weights().stream().map(Parameter::toTensor).toList());
        Conv2D probe = (Conv2D) first.layers().get(0);
        if (!probe.geometry().equals(trained.geometry())) {
            throw new IllegalStateException("the copy of " + trained.name() + " has geometry " + probe.geometry()
                    + ", the model's layer " + trained.geometry());
        }
        float[] maps = first.predict(Tensor.of(image, height, width, 1)).data();
        int outH = probe.geometry().outH();
        int outW = probe.geometry().outW();

        List<MapPanel.Tile> filterTiles = new ArrayList<>();
        List<MapPanel.Tile> mapTiles = new ArrayList<>();
        float[] kernel = trained.kernel().value();
        for (int k = 0; k < filters; k++) {
            // The seed's first layer reads one channel, so its kernel (kh, kw, 1, filters) has filter k at stride filters.
            filterTiles.add(new MapPanel.Tile("filter " + (k + 1), MapPanel.channel(kernel, kh, kw, filters, k),
                    kh, kw, ColorMap.DIVERGING));
            mapTiles.add(new MapPanel.Tile("map " + (k + 1), MapPanel.channel(maps, outH, outW, filters, k),
                    outH, outW, ColorMap.INK));
        }

        List<MapPanel.Tile> classicTiles = new ArrayList<>();
        List<MapPanel.Tile> convolvedTiles = new ArrayList<>();
        for (ClassicKernel c : ClassicKernel.values()) {
            float[] weights = c.weights();
            ColorMap colors = hasNegative(weights) ? ColorMap.DIVERGING : ColorMap.INK;
            int size = ClassicKernel.SIZE;
            Sequential handMade = new Sequential(0, input, new Conv2D(1, size).useBias(false));
            handMade.setWeights(List.of(Tensor.of(weights, size, size, 1, 1)));
            Conv2D conv = (Conv2D) handMade.layers().get(0);
            float[] out = handMade.predict(Tensor.of(image, height, width, 1)).data();
            classicTiles.add(new MapPanel.Tile(c.label(), weights, size, size, ColorMap.DIVERGING));
            convolvedTiles.add(new MapPanel.Tile(c.label(), out, conv.geometry().outH(), conv.geometry().outW(),
                    colors));
        }

        new MapPanel()
                .row("input: test digit " + digit + " (label " + test.label(digit) + ")",
                        List.of(new MapPanel.Tile("digit", image, height, width, ColorMap.INK)))
                .row("the trained " + trained.name() + " filters, " + kh + " x " + kw
                        + " (red positive, blue negative)", filterTiles)
                .row("their feature maps for the digit (after " + trained.outputActivation().kerasName()
                        + "; darker is stronger)", mapTiles)
                .row("classic hand-made " + ClassicKernel.SIZE + " x " + ClassicKernel.SIZE + " kernels", classicTiles)
                .row("the digit through them (a one-filter Conv2D, no bias)", convolvedTiles)
                .write(file);
        return file + "  test digit " + digit + ", the first Conv2D's filters and feature maps,"
                + " classic kernels and the digit through them";
    }

    private static Conv2D firstConv2D(Sequential model) {
        for (Layer l : model.layers()) {
            if (l instanceof Conv2D c) {
                return c;
            }
        }
        throw new IllegalArgumentException("model '" + model.name() + "' has no Conv2D layer to show");
    }

    private static boolean hasNegative(float[] values) {
        for (float v : values) {
            if (v < 0) {
                return true;
            }
        }
        return false;
    }
}
