package io.github.purecnn.visual;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    // 2 x 3: a dark pixel, a mid-gray one, background; then the reverse ramp.
    private static final float[] IMAGE = {1f, 0.5f, 0f, 0f, 0.25f, 1f};

    @Test
    void asciiDigitWithoutFrameUsesTwoCharactersPerPixel() {
        assertEquals("@@++  \n  ::@@\n", TerminalText.digit(IMAGE, 2, 3, TerminalText.Charset.ASCII, false));
    }

    @Test
    void unicodeDigitWithFrame() {
        String expected = ""
                + "┌──────┐\n"
                + "│██▒▒  │\n"
                + "│  ░░██│\n"
                + "└──────┘\n";
        assertEquals(expected, TerminalText.digit(IMAGE, 2, 3, TerminalText.Charset.UNICODE, true));
    }

    @Test
    void asciiFrame() {
        assertEquals("+--+\n|@@|\n+--+\n", TerminalText.digit(new float[] {1f}, 1, 1, TerminalText.Charset.ASCII, true));
    }

    @Test
    void probabilitiesMarkTheMostProbableClass() {
        float[] p = {0.01f, 0.9f, 0.09f};
        String expected = ""
                + "0  0.0100\n"
                + "1  0.9000  ##################  <- predicted\n"
                + "2  0.0900  ##\n";
        assertEquals(expected, TerminalText.probabilities(p, TerminalText.Charset.ASCII));
    }

    @Test
    void probabilitiesAlignLabelsPastNineClasses() {
        float[] p = new float[11];
        p[10] = 1f;
        String text = TerminalText.probabilities(p, TerminalText.Charset.UNICODE);
        assertTrue(text.startsWith(" 0  0.0000\n"), text);
        assertTrue(text.endsWith("10  1.0000  " + "█".repeat(20) + "  <- predicted\n"), text);
    }

    @Test
    void badArgumentsSayWhatWasExpectedAndFound() {
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> TerminalText.digit(new float[5], 2, 3, TerminalText.Charset.ASCII, false));
        assertTrue(size.getMessage().contains("expected 2 x 3 = 6 values, found 5"), size.getMessage());

        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> TerminalText.digit(new float[] {0, 255}, 1, 2, TerminalText.Charset.ASCII, false));
        assertTrue(range.getMessage().contains("expected values in [0, 1]"), range.getMessage());
        assertTrue(range.getMessage().contains("found 255.0 at row 0, column 1"), range.getMessage());

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> TerminalText.probabilities(new float[0], TerminalText.Charset.ASCII));
        assertTrue(empty.getMessage().contains("expected at least one value, found none"), empty.getMessage());

        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> TerminalText.probabilities(new float[] {0.5f, Float.NaN}, TerminalText.Charset.ASCII));
        assertTrue(nan.getMessage().contains("expected finite values, found NaN at index 1"), nan.getMessage());
    }
}
