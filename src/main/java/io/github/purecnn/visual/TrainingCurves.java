package io.github.purecnn.visual;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Training curves, as Keras's {@code History} is usually plotted: loss on the left, accuracy on
 * the right, one point per epoch, training solid blue and validation dashed orange. Each value
 * axis is fitted to its data with round tick steps (1, 2 or 5 times a power of ten), so that
 * an accuracy going from 0.97 to 0.99 is not flattened against a 0..1 axis.
 *
 * <p>Size, deterministic: {@value #WIDTH} x {@value #HEIGHT} pixels, whatever the data.
 */
public final class TrainingCurves {
    static final int WIDTH = 960;
    static final int HEIGHT = 380;
    static final Color TRAIN = new Color(0x1F77B4);
    static final Color VALIDATION = new Color(0xFF7F0E);

    private static final int PANEL = WIDTH / 2;
    /** Plot area within a panel; the margins hold the title and legend, tick labels and axis names. */
    private static final int PLOT_LEFT = 70;
    private static final int PLOT_RIGHT = PANEL - 24;
    private static final int PLOT_TOP = 48;
    private static final int PLOT_BOTTOM = HEIGHT - 56;
    /** Beyond this many epochs the per-epoch dots would merge into the line. */
    private static final int MAX_DOTS = 40;

    private TrainingCurves() {
    }

    /**
     * Writes the curves of training only as a PNG; see {@link #render}.
     *
     * @param file the PNG to write
     * @param loss the training loss of each epoch
     * @param accuracy the training accuracy of each epoch
     * @throws IOException naming the file if it cannot be written
     */
    public static void write(Path file, double[] loss, double[] accuracy) throws IOException {
        Png.write(file, render(loss, accuracy, null, null));
    }

    /**
     * Writes the curves of training and validation as a PNG; see {@link #render}.
     *
     * @param file the PNG to write
     * @param loss the training loss of each epoch
     * @param accuracy the training accuracy of each epoch
     * @param validationLoss the validation loss of each epoch
     * @param validationAccuracy the validation accuracy of each epoch
     * @throws IOException naming the file if it cannot be written
     */
    public static void write(Path file, double[] loss, double[] accuracy, double[] validationLoss,
            double[] validationAccuracy) throws IOException {
        if (validationLoss == null || validationAccuracy == null) {
            throw new IllegalArgumentException("expected validation loss and accuracy, found "
                    + (validationLoss == null ? "no validation loss" : "no validation accuracy")
                    + "; use write(file, loss, accuracy) for training curves only");
        }
        Png.write(file, render(loss, accuracy, validationLoss, validationAccuracy));
    }

    /**
     * Draws the two panels. All arrays hold one finite value per epoch, epoch 1 first, and are
     * read only.
     *
     * @param loss the training loss of each epoch
     * @param accuracy the training accuracy of each epoch
     * @param validationAccuracy the validation accuracy of each epoch, or null
     * @return the picture
     * @param validationLoss null for no validation curves, then {@code validationAccuracy} is null too
     */
    public static BufferedImage render(double[] loss, double[] accuracy, double[] validationLoss,
            double[] validationAccuracy) {
        return render(loss, accuracy, validationLoss, validationAccuracy, Canvas.fontsAvailable());
    }

    static BufferedImage render(double[] loss, double[] accuracy, double[] validationLoss,
            double[] validationAccuracy, boolean text) {
        Checks.finite(loss, "loss");
        Checks.finite(accuracy, "accuracy");
        Checks.sameLength(loss.length, accuracy.length, "accuracy", "epoch of loss");
        if ((validationLoss == null) != (validationAccuracy == null)) {
            throw new IllegalArgumentException("expected validation loss and accuracy both or neither, found only "
                    + (validationLoss == null ? "validation accuracy" : "validation loss"));
        }
        if (validationLoss != null) {
            Checks.finite(validationLoss, "validation loss");
            Checks.finite(validationAccuracy, "validation accuracy");
            Checks.sameLength(loss.length, validationLoss.length, "validation loss", "epoch of loss");
            Checks.sameLength(loss.length, validationAccuracy.length, "validation accuracy", "epoch of loss");
        }
        Canvas canvas = new Canvas(WIDTH, HEIGHT, text);
        panel(canvas, 0, "loss", loss, validationLoss);
        panel(canvas, PANEL, "accuracy", accuracy, validationAccuracy);
        return canvas.image();
    }

    private static void panel(Canvas canvas, int x0, String title, double[] train, double[] validation) {
        int n = train.length;
        // One epoch would make a zero-width axis; centre it instead.
        Axis epochs = n == 1 ? new Axis(0, 2, 1) : new Axis(1, n, Math.max(1, Axis.niceStep((n - 1) / 8.0)));
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] curve : new double[][] {train, validation}) {
            if (curve != null) {
                for (double v : curve) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        Axis values = Axis.around(min, max);

        int left = x0 + PLOT_LEFT;
        int right = x0 + PLOT_RIGHT;
        canvas.text(title, left, 12, 120, 26, Canvas.Align.LEFT, Canvas.Style.TITLE, Canvas.BLACK);
        legend(canvas, right, validation != null);

        int decimals = values.decimals();
        for (double v : values.ticks()) {
            int y = (int) Math.round(y(values, v));
            canvas.hairline(left, y, right, y, Canvas.GRID);
            canvas.hairline(left - 4, y, left, y, Canvas.BLACK);
            canvas.text(String.format(Locale.ROOT, "%." + decimals + "f", v), x0, y - 8, PLOT_LEFT - 8, 16,
                    Canvas.Align.RIGHT, Canvas.Style.SMALL, Canvas.BLACK);
        }
        for (double e : epochs.ticks()) {
            if (e >= 1 && e <= n) {
                int x = (int) Math.round(x(epochs, e, left, right));
                canvas.hairline(x, PLOT_BOTTOM, x, PLOT_BOTTOM + 4, Canvas.BLACK);
                canvas.text(String.valueOf((long) e), x - 20, PLOT_BOTTOM + 6, 40, 16, Canvas.Align.CENTER,
                        Canvas.Style.SMALL, Canvas.BLACK);
            }
        }
        canvas.hairline(left, PLOT_TOP, left, PLOT_BOTTOM, Canvas.BLACK);
        canvas.hairline(left, PLOT_BOTTOM, right, PLOT_BOTTOM, Canvas.BLACK);
        canvas.text("epoch", left, PLOT_BOTTOM + 26, right - left, 18, Canvas.Align.CENTER, Canvas.Style.LABEL,
                Canvas.BLACK);

        curve(canvas, epochs, values, left, right, train, TRAIN, false);
        if (validation != null) {
            curve(canvas, epochs, values, left, right, validation, VALIDATION, true);
        }
    }

    private static void curve(Canvas canvas, Axis epochs, Axis values, int left, int right, double[] curve,
            Color colour, boolean dashed) {
        double[] xs = new double[curve.length];
        double[] ys = new double[curve.length];
        for (int i = 0; i < curve.length; i++) {
            xs[i] = x(epochs, i + 1, left, right);
            ys[i] = y(values, curve[i]);
        }
        canvas.polyline(xs, ys, colour, 2f, dashed);
        if (curve.length <= MAX_DOTS) {
            for (int i = 0; i < curve.length; i++) {
                canvas.dot(xs[i], ys[i], 7, colour);
            }
        }
    }

    private static void legend(Canvas canvas, int right, boolean validation) {
        int entry = 110;
        int x = right - (validation ? 2 : 1) * entry;
        legendEntry(canvas, x, "train", TRAIN, false);
        if (validation) {
            legendEntry(canvas, x + entry, "validation", VALIDATION, true);
        }
    }

    private static void legendEntry(Canvas canvas, int x, String name, Color colour, boolean dashed) {
        int y = 25;
        canvas.polyline(new double[] {x, x + 28}, new double[] {y, y}, colour, 2f, dashed);
        canvas.dot(x + 14, y, 7, colour);
        canvas.text(name, x + 34, y - 9, 76, 18, Canvas.Align.LEFT, Canvas.Style.LABEL, Canvas.BLACK);
    }

    private static double x(Axis epochs, double epoch, int left, int right) {
        return left + (epoch - epochs.lo) / (epochs.hi - epochs.lo) * (right - left);
    }

    private static double y(Axis values, double v) {
        return PLOT_BOTTOM - (v - values.lo) / (values.hi - values.lo) * (PLOT_BOTTOM - PLOT_TOP);
    }

    /** An axis from lo to hi with a tick at every multiple of step in between. */
    record Axis(double lo, double hi, double step) {
        /** The smallest axis of round ticks, about five of them, that holds min..max. */
        static Axis around(double min, double max) {
            if (max == min) {
                // A flat curve still needs a range; give it one around its value.
                double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
                min -= pad;
                max += pad;
            }
            double step = niceStep((max - min) / 5);
            return new Axis(Math.floor(min / step) * step, Math.ceil(max / step) * step, step);
        }

        /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
        static double niceStep(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / magnitude;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
        }

        /** The multiples of step from lo to hi. */
        double[] ticks() {
            // The tolerances absorb rounding: lo / step may be a hair off an integer.
            long first = (long) Math.ceil(lo / step - 1e-9);
            long last = (long) Math.floor(hi / step + 1e-9);
            double[] ticks = new double[(int) (last - first + 1)];
            for (int k = 0; k < ticks.length; k++) {
                ticks[k] = (first + k) * step;
            }
            return ticks;
        }

        /** Enough decimals to tell neighbouring ticks apart. */
        int decimals() {
            return Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        }
    }
}
