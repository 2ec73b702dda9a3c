package io.github.purecnn.data;

/**
 * How a data set stored as unsigned bytes hands its values out as floats.
 *
 * <p>Both conversions go through a table of the 256 possible values, so a byte becomes the same
 * float wherever and however often it is read.
 */
public enum PixelScale {
    /**
     * {@code b / 255f}: pixels in 0..1, as the seed tutorial's {@code x.astype("float32") / 255}
     * (computed as float division, so 255 gives exactly 1.0f and each value equals NumPy's bit for
     * bit).
     */
    UNIT,
    /**
     * {@code (float) b}: pixels in 0..255, as Keras's {@code image_dataset_from_directory} hands
     * them out (a model then starts with a rescaling of its own).
     */
    RAW;

    private final float[] table = new float[256];

    PixelScale() {
        for (int b = 0; b < 256; b++) {
            table[b] = ordinal() == 0 ? b / 255f : b;
        }
    }

    /**
     * The float value of the unsigned byte {@code b & 0xFF}.
     *
     * @param b a stored byte, read unsigned (0 to 255)
     * @return the value handed out: in 0..1 for {@link #UNIT}, 0..255 for {@link #RAW}
     */
    public float toFloat(byte b) {
        return table[b & 0xFF];
    }

    /** The conversion table, indexed by the unsigned byte; shared, never written. */
    float[] table() {
        return table;
    }
}
