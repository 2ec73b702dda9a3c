package io.github.purecnn.visual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesTest {
    @TempDir
    Path dir;

    private static final double[] LOSS = {0.9, 0.5, 0.3, 0.2, 0.15};
    private static final double[] ACCURACY = {0.7, 0.85, 0.9, 0.93, 0.95};

    @Test
    void fallingLossIsDrawnFromHighLeftToLowRight() throws IOException {
        Path file = dir.resolve("curves.png");
        TrainingCurves.write(file, LOSS, ACCURACY, new double[] {0.8, 0.6, 0.4, 0.35, 0.3},
                new double[] {0.75, 0.8, 0.86, 0.88, 0.9});
        BufferedImage image = Pixels.read(file);

        assertEquals(TrainingCurves.WIDTH, image.getWidth());
        assertEquals(TrainingCurves.HEIGHT, image.getHeight());
        // Below the legend row, in the left (loss) panel: the train colour's leftmost pixel is
        // higher up than its rightmost one.
        int[] first = extreme(image, TrainingCurves.TRAIN, 0, TrainingCurves.WIDTH / 2, true);
        int[] last = extreme(image, TrainingCurves.TRAIN, 0, TrainingCurves.WIDTH / 2, false);
        assertTrue(first[1] < last[1] - 100, "loss should fall: first " + first[1] + ", last " + last[1]);
        // And in the right (accuracy) panel a rising curve: the other way round.
        int[] up = extreme(image, TrainingCurves.TRAIN, TrainingCurves.WIDTH / 2, TrainingCurves.WIDTH, true);
        int[] top = extreme(image, TrainingCurves.TRAIN, TrainingCurves.WIDTH / 2, TrainingCurves.WIDTH, false);
        assertTrue(up[1] > top[1] + 100, "accuracy should rise: first " + up[1] + ", last " + top[1]);
        assertTrue(extreme(image, TrainingCurves.VALIDATION, 0, TrainingCurves.WIDTH, true) != null,
                "validation curve missing");
    }

    @Test
    void oneEpochWithoutValidationRenders() {
        BufferedImage image = TrainingCurves.render(new double[] {0.4}, new double[] {0.9}, null, null);
        assertEquals(TrainingCurves.WIDTH, image.getWidth());
        assertTrue(extreme(image, TrainingCurves.TRAIN, 0, TrainingCurves.WIDTH / 2, true) != null, "no point drawn");
        assertEquals(null, extreme(image, TrainingCurves.VALIDATION, 0, TrainingCurves.WIDTH, true));
    }

    @Test
    void rendersWithoutFontsAtTheSameSize() {
        BufferedImage image = TrainingCurves.render(LOSS, ACCURACY, null, null, false);
        assertEquals(TrainingCurves.WIDTH, image.getWidth());
        assertEquals(TrainingCurves.HEIGHT, image.getHeight());
        assertTrue(extreme(image, TrainingCurves.TRAIN, 0, TrainingCurves.WIDTH, true) != null, "blank without text");
    }

    @Test
    void badArgumentsSayWhatWasExpectedAndFound() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> TrainingCurves.render(new double[] {0.5, Double.NaN}, new double[] {0.5, 0.6}, null, null));
        assertTrue(nan.getMessage().contains("loss: expected finite values, found NaN at index 1"), nan.getMessage());

        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> TrainingCurves.render(LOSS, new double[] {0.5}, null, null));
        assertTrue(lengths.getMessage().contains("accuracy: expected 5 entries, one per epoch of loss, found 1"),
                lengths.getMessage());

        IllegalArgumentException half = assertThrows(IllegalArgumentException.class,
                () -> TrainingCurves.render(LOSS, ACCURACY, LOSS, null));
        assertTrue(half.getMessage().contains("both or neither"), half.getMessage());

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> TrainingCurves.render(new double[0], new double[0], null, null));
        assertTrue(empty.getMessage().contains("loss: expected at least one value, found none"), empty.getMessage());
    }

    @Test
    void axesHaveRoundTicksAroundTheData() {
        TrainingCurves.Axis axis = TrainingCurves.Axis.around(0.862, 0.991);
        assertEquals(0.85, axis.lo(), 1e-12);
        assertEquals(1.0, axis.hi(), 1e-12);
        assertEquals(0.05, axis.step(), 1e-12);
        assertEquals(4, axis.ticks().length);
        assertEquals(2, axis.decimals());
    }

    /**
     * The {x, y} of the leftmost (or rightmost) pixel close to {@code colour} between columns
     * [from, to), below the title and legend row; null if there is none.
     */
    private static int[] extreme(BufferedImage image, Color colour, int from, int to, boolean leftmost) {
        for (int i = 0; i < to - from; i++) {
            int x = leftmost ? from + i : to - 1 - i;
            for (int y = 40; y < image.getHeight(); y++) {
                if (Pixels.near(image.getRGB(x, y) & 0xFFFFFF, colour.getRGB() & 0xFFFFFF, 8)) {
                    return new int[] {x, y};
                }
            }
        }
        return null;
    }
}
