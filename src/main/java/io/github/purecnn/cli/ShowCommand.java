package io.github.purecnn.cli;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.visual.DigitGrid;
import io.github.purecnn.visual.TerminalText;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code show}: training digits as text, and as a PNG on request; the tutorial's "look at a digit" step. */
final class ShowCommand implements Command {
    static final Option<Integer> INDEX = Option.integer("index",
            "show this training image (0 is the first); without it, a grid of the first ones", null, 0,
            Integer.MAX_VALUE);
    static final Option<Path> OUTPUT = Option.path("output", "FILE.png", "also draw the digit or the grid into a PNG",
            null);

    /** Digits in the text grid: two rows, each about 125 characters wide. */
    static final int TEXT_GRID = 8;
    private static final int TEXT_COLUMNS = 4;
    /** Digits in the PNG grid: four rows. */
    static final int PNG_GRID = 40;

    @Override
    public String name() {
        return "show";
    }

    @Override
    public String summary() {
        return "draw MNIST training digits in the terminal, and into a PNG with --output";
    }

    @Override
    public String description() {
        return "Draws one training image with its label as text on standard output, at full resolution, or without"
                + " --index the first " + TEXT_GRID + " training images at half resolution with their labels. With"
                + " --output, also draws the image, or the first " + PNG_GRID + " images, into a PNG.";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(Training.DATA, INDEX, OUTPUT);
    }

    @Override
    public void run(ParsedOptions args, PrintStream out, PrintStream err) throws Exception {
        Path output = args.get(OUTPUT);
        if (output != null && !output.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new UsageException("option '--output': expected a file name ending in .png, found " + output);
        }
        Path dir = args.get(Training.DATA);
        Dataset train = Training.loadMnist(dir).train();
        int height = train.sampleShape().dim(0);
        int width = train.sampleShape().dim(1);
        Integer index = args.get(INDEX);
        if (index != null) {
            if (index >= train.size()) {
                throw new UsageException("option '--index': expected 0 to " + (train.size() - 1) + " (the "
                        + train.size() + " training images in " + dir + "), found " + index);
            }
            out.printf(Locale.ROOT, "training image %d of %d, label %d%n", index, train.size(), train.label(index));
            out.print(TerminalText.digit(train.image(index), height, width, TerminalText.Charset.ASCII, true));
            if (output != null) {
                DigitGrid.write(output, new float[][] {train.image(index)}, height, width, new int[] {train.label(index)});
                out.println("wrote " + output);
            }
            return;
        }
        int count = Math.min(TEXT_GRID, train.size());
        out.printf(Locale.ROOT, "the first %d of %d training images, half resolution; --index I shows one in full%n",
                count, train.size());
        out.print(textGrid(train, count));
        if (output != null) {
            int n = Math.min(PNG_GRID, train.size());
            float[][] images = new float[n][];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                images[i] = train.image(i);
                labels[i] = train.label(i);
            }
            DigitGrid.write(output, images, height, width, labels);
            out.println("wrote " + output + " (the first " + n + " training images with their labels)");
        }
    }

    /**
     * Digits side by side, {@value #TEXT_COLUMNS} to a row, each halved in both directions (the
     * mean of 2 x 2 pixels) so that a row fits a wide terminal, each captioned with its index and label.
     */
    private static String textGrid(Dataset data, int count) {
        int height = data.sampleShape().dim(0);
        int width = data.sampleShape().dim(1);
        int h = (height + 1) / 2;
        int w = (width + 1) / 2;
        int cell = 2 * w + 2;
        StringBuilder sb = new StringBuilder();
        for (int first = 0; first < count; first += TEXT_COLUMNS) {
            int last = Math.min(count, first + TEXT_COLUMNS);
            String[][] lines = new String[last - first][];
            for (int i = first; i < last; i++) {
                lines[i - first] = TerminalText.digit(halve(data.image(i), height, width), h, w,
                        TerminalText.Charset.ASCII, true).split("\n");
            }
            for (int row = 0; row < lines[0].length; row++) {
                StringBuilder line = new StringBuilder();
                for (String[] digit : lines) {
                    line.append(digit[row]).append("  ");
                }
                sb.append(line.toString().stripTrailing()).append('\n');
            }
            StringBuilder captions = new StringBuilder();
            for (int i = first; i < last; i++) {
                String caption = "#" + i + "  label " + data.label(i);
                captions.append(caption).append(" ".repeat(Math.max(2, cell + 2 - caption.length())));
            }
            sb.append(captions.toString().stripTrailing()).append("\n\n");
        }
        return sb.toString();
    }

    /** The mean of each 2 x 2 block (of the pixels there are, at an odd edge): half the height and width. */
    private static float[] halve(float[] image, int height, int width) {
        int h = (height + 1) / 2;
        int w = (width + 1) / 2;
        float[] out = new float[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                float sum = 0;
                int n = 0;
                for (int y = 2 * r; y < Math.min(height, 2 * r + 2); y++) {
                    for (int x = 2 * c; x < Math.min(width, 2 * c + 2); x++) {
                        sum += image[y * width + x];
                        n++;
                    }
                }
                out[r * w + c] = sum / n;
            }
        }
        return out;
    }
}
