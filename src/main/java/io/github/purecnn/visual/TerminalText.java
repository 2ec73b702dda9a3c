package io.github.purecnn.visual;

import java.util.Locale;

/**
 * Digits and class probabilities as plain text, for a terminal or a log. Every line ends with
 * {@code '\n'} whatever the platform, so that the output is the same everywhere and can be
 * compared in tests.
 */
public final class TerminalText {
    /** Width of a probability bar for probability 1, in characters. */
    static final int BAR_WIDTH = 20;

    private TerminalText() {
    }

    /** The characters used for shading, light to dark, and for frames and bars. */
    public enum Charset {
        /** Ten shades {@code " .:-=+*#%@"}, frames of {@code + - |}, bars of {@code #}: for any terminal. */
        ASCII(" .:-=+*#%@", "+-+|+-+", '#'),
        /** Block shades {@code " ░▒▓█"}, box-drawing frames, bars of {@code █}: for UTF-8 terminals. */
        UNICODE(" \u2591\u2592\u2593\u2588", "\u250C\u2500\u2510\u2502\u2514\u2500\u2518", '\u2588');

        private final String shades;
        /** Top-left, top, top-right, side, bottom-left, bottom, bottom-right. */
        private final String frame;
        private final char bar;

        Charset(String shades, String frame, char bar) {
            this.shades = shades;
            this.frame = frame;
            this.bar = bar;
        }

        char shade(float value) {
            return shades.charAt(Math.round(value * (shades.length() - 1)));
        }
    }

    /**
     * One grayscale image as text, two characters per pixel so that a digit looks square. Value
     * 0 is a space (background), value 1 the darkest shade (ink); each line is {@code 2 * width}
     * characters, plus two frame characters when framed.
     *
     * @param height image height in pixels
     * @param width image width in pixels
     * @param charset the characters to draw with
     * @return the lines of text, each ending in a newline
     * @param image {@code height * width} values in [0, 1], row-major; read
     * @param frame whether to draw a box around the image
     */
    public static String digit(float[] image, int height, int width, Charset charset, boolean frame) {
        Checks.image(image, height, width, "image");
        Checks.unitRange(image, width, "image");
        StringBuilder sb = new StringBuilder((2 * width + 3) * (height + 2));
        if (frame) {
            border(sb, charset.frame.charAt(0), charset.frame.charAt(1), charset.frame.charAt(2), width);
        }
        for (int r = 0; r < height; r++) {
            if (frame) {
                sb.append(charset.frame.charAt(3));
            }
            int row = r * width;
            for (int c = 0; c < width; c++) {
                char shade = charset.shade(image[row + c]);
                sb.append(shade).append(shade);
            }
            if (frame) {
                sb.append(charset.frame.charAt(3));
            }
            sb.append('\n');
        }
        if (frame) {
            border(sb, charset.frame.charAt(4), charset.frame.charAt(5), charset.frame.charAt(6), width);
        }
        return sb.toString();
    }

    private static void border(StringBuilder sb, char left, char middle, char right, int width) {
        sb.append(left).append(String.valueOf(middle).repeat(2 * width)).append(right).append('\n');
    }

    /**
     * Class probabilities as a small bar chart, one line per class: the class index, the
     * probability with four decimals and a bar of up to {@value #BAR_WIDTH} characters; the
     * most probable class (the first one on a tie) is marked {@code <- predicted}. For example
     * <pre>
     * 0  0.0100
     * 1  0.9000  ##################  &lt;- predicted
     * 2  0.0900  ##
     * </pre>
     *
     * @param charset the characters to draw with
     * @return the lines of text, each ending in a newline
     * @param probabilities one value in [0, 1] per class, such as a softmax output; read
     */
    public static String probabilities(float[] probabilities, Charset charset) {
        Checks.finite(probabilities, "probabilities");
        int predicted = 0;
        for (int i = 0; i < probabilities.length; i++) {
            float p = probabilities[i];
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("probabilities: expected values in [0, 1], found " + p
                        + " for class " + i);
            }
            if (p > probabilities[predicted]) {
                predicted = i;
            }
        }
        int labelWidth = String.valueOf(probabilities.length - 1).length();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < probabilities.length; i++) {
            String label = String.valueOf(i);
            sb.append(" ".repeat(labelWidth - label.length())).append(label)
                    .append("  ").append(String.format(Locale.ROOT, "%.4f", probabilities[i]));
            int bar = Math.round(probabilities[i] * BAR_WIDTH);
            if (bar > 0) {
                sb.append("  ").append(String.valueOf(charset.bar).repeat(bar));
            }
            if (i == predicted) {
                sb.append("  <- predicted");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
