package io.github.purecnn.model;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Keras-like progress: {@code Epoch 1/10}, then {@code 938/938 [=====] - 2s 2ms/step - loss:
 * 0.3120 - accuracy: 0.9062}. On a terminal (verbose 1) the line is redrawn in place; off a
 * terminal, or with verbose 2, one line per epoch is printed when it ends, so logs stay short.
 */
final class ProgressBar implements Callback {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean inPlace;
    private final int epochs;
    private long epochStart;
    private long lastDraw;
    private int lastLength;
    private int batchesInEpoch;

    ProgressBar(PrintStream out, boolean inPlace, int epochs) {
        this.out = out;
        this.inPlace = inPlace;
        this.epochs = epochs;
    }

    @Override
    public void onEpochBegin(int epoch) {
        out.println("Epoch " + epoch + "/" + epochs);
        epochStart = System.nanoTime();
        lastDraw = 0;
        lastLength = 0;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, BatchLog logs) {
        batchesInEpoch = batches;
        if (!inPlace || batch == batches) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        StringBuilder line = new StringBuilder(bar(batch, batches)).append(" - ETA: ")
                .append(seconds((now - epochStart) / 1e9 / batch * (batches - batch)));
        for (String name : logs.names()) {
            line.append(value(name, logs.get(name)));
        }
        draw(line.toString());
    }

    @Override
    public void onEpochEnd(int epoch, EpochLog log) {
        StringBuilder line = new StringBuilder();
        int steps = Math.max(batchesInEpoch, 1);
        line.append(bar(steps, steps)).append(" - ").append(seconds(log.seconds()))
                .append(String.format(Locale.ROOT, " %.0fms/step", log.seconds() * 1000 / steps));
        // Keras's order: the training quantities, then the validation ones; the learning rate is not shown
        for (String name : log.names()) {
            if (!name.startsWith("val_") && !name.equals("learning_rate")) {
                line.append(value(name, log.get(name)));
            }
        }
        for (String name : log.names()) {
            if (name.startsWith("val_")) {
                line.append(value(name, log.get(name)));
            }
        }
        draw(line.toString());
        out.println();
        out.flush();
    }

    private String bar(int done, int total) {
        int filled = (int) ((long) WIDTH * done / total);
        StringBuilder b = new StringBuilder();
        String count = String.valueOf(total);
        b.append(String.format(Locale.ROOT, "%" + count.length() + "d/%s [", done, count));
        for (int i = 0; i < WIDTH; i++) {
            b.append(i < filled ? '=' : i == filled ? '>' : '.');
        }
        return b.append(']').toString();
    }

    private static String value(String name, double v) {
        return String.format(Locale.ROOT, " - %s: %.4f", name, v);
    }

    private static String seconds(double s) {
        return s < 10 ? String.format(Locale.ROOT, "%.1fs", s) : String.format(Locale.ROOT, "%.0fs", s);
    }

    private void draw(String line) {
        if (inPlace) {
            int pad = Math.max(0, lastLength - line.length());
            out.print("\r" + line + " ".repeat(pad));
            lastLength = line.length();
        } else {
            out.print(line);
        }
        out.flush();
    }
}
