package io.github.purecnn.cli;

import java.util.Locale;

/**
 * Test predictions counted by true and predicted class, with each class's precision (of the
 * images predicted as the class, the fraction that are) and recall (of the images of the class,
 * the fraction predicted as it).
 *
 * @param counts {@code counts[true][predicted]}
 */
record ConfusionMatrix(int[][] counts) {

    static ConfusionMatrix of(int[] labels, int[] predicted, int classes) {
        int[][] counts = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            counts[labels[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(counts);
    }

    /** NaN when nothing was predicted as class {@code c}. */
    double precision(int c) {
        long predictedAsC = 0;
        for (int[] row : counts) {
            predictedAsC += row[c];
        }
        return (double) counts[c][c] / predictedAsC;
    }

    /** NaN when no image is of class {@code c}. */
    double recall(int c) {
        long ofC = 0;
        for (int n : counts[c]) {
            ofC += n;
        }
        return (double) counts[c][c] / ofC;
    }

    /**
     * The matrix as text, rows the true classes and columns the predicted ones, with each row's
     * recall at its end and each column's precision under it.
     */
    String table() {
        int k = counts.length;
        StringBuilder sb = new StringBuilder();
        sb.append("true \\ predicted");
        for (int j = 0; j < k; j++) {
            sb.append(String.format(Locale.ROOT, "%6d", j));
        }
        sb.append("    recall\n");
        for (int i = 0; i < k; i++) {
            sb.append(String.format(Locale.ROOT, "%16d", i));
            for (int j = 0; j < k; j++) {
                sb.append(String.format(Locale.ROOT, "%6d", counts[i][j]));
            }
            sb.append("    ").append(percent(recall(i))).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%16s", "precision"));
        for (int j = 0; j < k; j++) {
            sb.append(' ').append(percent(precision(j)));
        }
        return sb.append('\n').toString();
    }

    /** Five characters: {@code 99.4%}, {@code  100%}, or {@code    -} when undefined. */
    private static String percent(double fraction) {
        if (Double.isNaN(fraction)) {
            return "    -";
        }
        return fraction == 1 ? " 100%" : String.format(Locale.ROOT, "%4.1f%%", 100 * fraction);
    }
}
