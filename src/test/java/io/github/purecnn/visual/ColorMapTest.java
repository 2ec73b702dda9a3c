package io.github.purecnn.visual;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ColorMapTest {
    @Test
    void endsAndMiddles() {
        assertEquals(0xFFFFFF, ColorMap.INK.rgb(0));
        assertEquals(0x000000, ColorMap.INK.rgb(1));
        assertEquals(0x808080, ColorMap.GRAY.rgb(0.5));
        assertEquals(0x2166AC, ColorMap.DIVERGING.rgb(0));
        assertEquals(0xFFFFFF, ColorMap.DIVERGING.rgb(0.5));
        assertEquals(0xB2182B, ColorMap.DIVERGING.rgb(1));
        assertEquals(0x6BAED6, ColorMap.BLUES.rgb(0.5));
        assertEquals(0x000000, ColorMap.INK.rgb(7), "clamped");
    }

    @Test
    void unsignedMapsStretchMinToMax() {
        int[] rgb = ColorMap.GRAY.toRgb(new float[] {2, 3, 4});
        assertArrayEquals(new int[] {0x000000, 0x808080, 0xFFFFFF}, rgb);
        assertArrayEquals(new int[] {0x000000, 0x000000}, ColorMap.GRAY.toRgb(new float[] {5, 5}), "constant map");
    }

    @Test
    void signedMapsKeepZeroWhite() {
        // max |v| is 4: -2 sits halfway between blue and white, 0 is white, 4 full red.
        int[] rgb = ColorMap.DIVERGING.toRgb(new float[] {-2, 0, 4});
        assertEquals(ColorMap.DIVERGING.rgb(0.25), rgb[0]);
        assertEquals(0xFFFFFF, rgb[1]);
        assertEquals(0xB2182B, rgb[2]);
        assertArrayEquals(new int[] {0xFFFFFF}, ColorMap.DIVERGING.toRgb(new float[] {0}), "all-zero map");
    }

    @Test
    void nonFiniteValuesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ColorMap.GRAY.toRgb(new float[] {1, Float.POSITIVE_INFINITY}));
        assertTrue(e.getMessage().contains("expected finite values, found Infinity at index 1"), e.getMessage());
    }
}
