package io.github.purecnn.layers;

import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Keras's {@code RandomFlip(mode)}: in training, flips each image left-right (horizontal),
 * top-bottom (vertical) or both, each with probability one half; the identity at inference.
 *
 * <p>Image b flips horizontally when its draw {@code u <= 0.5} (Keras's test), u uniform in
 * [0, 1); in {@code horizontal_and_vertical} mode the vertical flip has a draw of its own (draws
 * 2b and 2b + 1), as in Keras 3.0 to 3.5 and tf.keras, so the four outcomes are equally likely
 * (later Keras 3 versions flip both ways on one draw, which only rotates by 180 degrees or not).
 * A flip moves values without changing them, so its gradient is the same flip of the output
 * gradient.
 */
public final class RandomFlip extends RandomImageLayer {
    /** Which flips, with Keras's names. */
    public enum Mode {
        /** Left to right, with probability one half. */
        HORIZONTAL,
        /** Top to bottom, with probability one half. */
        VERTICAL,
        /** Each of the two, drawn independently (Keras's default). */
        HORIZONTAL_AND_VERTICAL;

        /**
         * The Keras spelling: {@code "horizontal"}, {@code "vertical"} or {@code "horizontal_and_vertical"}.
         *
         * @return the lower-case name Keras's configs use
         */
        public String kerasName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The mode of a Keras {@code mode} string.
         *
         * @param name {@code "horizontal"}, {@code "vertical"} or {@code "horizontal_and_vertical"}
         * @return the mode of that name
         * @throws IllegalArgumentException for any other name, which the message shows
         */
        public static Mode fromKerasName(String name) {
            for (Mode m : values()) {
                if (m.kerasName().equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("RandomFlip mode must be 'horizontal', 'vertical' or"
                    + " 'horizontal_and_vertical', found '" + name + "'");
        }
    }

    private final Mode mode;

    /** Keras's default: {@code horizontal_and_vertical}. */
    public RandomFlip() {
        this(Mode.HORIZONTAL_AND_VERTICAL);
    }

    /**
     * Flips of the given mode.
     *
     * @param mode Keras's {@code mode}: which flips each image may get
     * @throws NullPointerException if {@code mode} is null
     */
    public RandomFlip(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    @Override
    public String typeName() {
        return "RandomFlip";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("mode", mode.kerasName());
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        return requireImages(typeName(), input);
    }

    @Override
    String describeTransform() {
        return "random flip " + mode.kerasName();
    }

    @Override
    int drawsPerImage() {
        return mode == Mode.HORIZONTAL_AND_VERTICAL ? 2 : 1;
    }

    /** p[0]: 1 to flip left-right, p[1]: 1 to flip top-bottom. */
    @Override
    int parametersPerImage() {
        return 2;
    }

    @Override
    void draw(float[] p, int at, long stream, int b, float[] in, int inOffset) {
        int k = 0;
        boolean horizontal = false;
        boolean vertical = false;
        if (mode != Mode.VERTICAL) {
            horizontal = uniform(stream, b, k++, 0f, 1f) <= 0.5f;
        }
        if (mode != Mode.HORIZONTAL) {
            vertical = uniform(stream, b, k, 0f, 1f) <= 0.5f;
        }
        p[at] = horizontal ? 1f : 0f;
        p[at + 1] = vertical ? 1f : 0f;
    }

    @Override
    void transform(float[] out, int outOffset, float[] in, int inOffset, float[] p, int at) {
        flip(out, outOffset, in, inOffset, p[at] != 0f, p[at + 1] != 0f);
    }

    @Override
    void transformBackward(float[] dIn, int inOffset, float[] dOut, int outOffset, float[] in, float[] p, int at) {
        flip(dIn, inOffset, dOut, outOffset, p[at] != 0f, p[at + 1] != 0f);
    }

    /** dst (H, W, C) at dstOffset writes: src (H, W, C) at srcOffset, flipped as asked. */
    private void flip(float[] dst, int dstOffset, float[] src, int srcOffset, boolean leftRight, boolean topBottom) {
        int height = inputShape().dim(0);
        int width = inputShape().dim(1);
        int channels = inputShape().dim(2);
        for (int y = 0; y < height; y++) {
            int srcRow = srcOffset + (topBottom ? height - 1 - y : y) * width * channels;
            int dstRow = dstOffset + y * width * channels;
            if (!leftRight) {
                System.arraycopy(src, srcRow, dst, dstRow, width * channels);
                continue;
            }
            for (int x = 0; x < width; x++) {
                System.arraycopy(src, srcRow + (width - 1 - x) * channels, dst, dstRow + x * channels, channels);
            }
        }
    }
}
