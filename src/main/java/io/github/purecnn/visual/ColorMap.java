package io.github.purecnn.visual;

/**
 * Colour maps from a number to an RGB colour, with the per-map normalisation that goes with them.
 *
 * <p>An unsigned map spreads one map's minimum..maximum over its whole scale, so that the
 * structure inside a feature map shows whatever its range. A signed map is symmetric around
 * zero: zero is always the middle colour (white) and the sign of a weight shows as its hue, so a
 * kernel's positive and negative taps can be told apart at a glance.
 *
 * <p>Colours are packed {@code 0xRRGGBB} ints, the pixel layout of
 * {@link java.awt.image.BufferedImage#TYPE_INT_RGB}; nothing here touches AWT.
 */
public enum ColorMap {
    /** Unsigned, low values white and high values black: ink on paper, how digits read best. */
    INK(false, 0xFFFFFF, 0x000000),
    /** Unsigned, low values black and high values white: activations as light. */
    GRAY(false, 0x000000, 0xFFFFFF),
    /** Unsigned, white to dark blue: for heat maps, where darker means more. */
    BLUES(false, 0xFFFFFF, 0x6BAED6, 0x08306B),
    /** Signed, negative blue, zero white, positive red. */
    DIVERGING(true, 0x2166AC, 0xFFFFFF, 0xB2182B);

    private final boolean signed;
    /** Evenly spaced colour stops from t = 0 to t = 1; colours in between are interpolated linearly. */
    private final int[] stops;

    ColorMap(boolean signed, int... stops) {
        this.signed = signed;
        this.stops = stops;
    }

    /**
     * Whether {@link #toRgb} centres this map on zero rather than stretching min..max.
     *
     * @return true for a map centred on zero
     */
    public boolean signed() {
        return signed;
    }

    /**
     * The colour at position {@code t} of this map, {@code 0 <= t <= 1} (clamped into that
     * range); for a signed map, 0.5 is zero.
     *
     * @param t the position in the map
     * @return the colour as {@code 0xRRGGBB}
     */
    public int rgb(double t) {
        double clamped = t < 0 ? 0 : (t > 1 ? 1 : t);
        double scaled = clamped * (stops.length - 1);
        int lower = Math.min((int) scaled, stops.length - 2);
        double f = scaled - lower;
        int a = stops[lower];
        int b = stops[lower + 1];
        return channel(a, b, 16, f) << 16 | channel(a, b, 8, f) << 8 | channel(a, b, 0, f);
    }

    private static int channel(int a, int b, int shift, double f) {
        int ca = (a >> shift) & 0xFF;
        int cb = (b >> shift) & 0xFF;
        return (int) Math.round(ca + (cb - ca) * f);
    }

    /**
     * The colour of each value after per-map normalisation: unsigned maps send the smallest value
     * to t = 0 and the largest to t = 1 (a constant map is all t = 0); signed maps send
     * {@code -max|v|} to 0, zero to 0.5 and {@code +max|v|} to 1 (an all-zero map is all 0.5).
     *
     * @param values read; every value must be finite
     * @return a new array, one packed colour per value
     */
    public int[] toRgb(float[] values) {
        Checks.finite(values, "map values");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        // offset and scale turn a value into t; degenerate ranges keep every value at one colour
        double offset;
        double scale;
        if (signed) {
            double limit = Math.max(Math.abs(min), Math.abs(max));
            offset = 0.5;
            scale = limit == 0 ? 0 : 0.5 / limit;
        } else {
            offset = -min * (max > min ? 1 / (max - min) : 0);
            scale = max > min ? 1 / (max - min) : 0;
        }
        int[] rgb = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            rgb[i] = rgb(offset + values[i] * scale);
        }
        return rgb;
    }
}
