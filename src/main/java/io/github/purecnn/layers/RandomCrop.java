package io.github.purecnn.layers;

import io.github.purecnn.image.Interpolation;
import io.github.purecnn.kernels.image.Resize;
import io.github.purecnn.tensor.Shape;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Keras's {@code RandomCrop(height, width)}: in training, cuts a random height x width window out
 * of each image; at inference, and in training when the images are smaller than the window,
 * Keras's {@code smart_resize}: the largest centred window with the target's aspect ratio,
 * resized bilinearly to height x width ({@link Resize#croppedToAspectRatio}; for an image of the
 * target's aspect ratio that is a plain resize, for one of the target's size the identity).
 *
 * <p>Image b's window starts at row {@code top = bits * (H - height + 1) >> 24} and column
 * {@code left = bits * (W - width + 1) >> 24} (draws 2b and 2b + 1, 24 random bits each, in
 * integers): every start equally likely. Keras draws one window for a whole batch; here every
 * image has its own, as every other random layer draws per image. The backward pass writes the
 * output gradient into the window of a zero input gradient (or runs the resize's backward pass).
 */
public final class RandomCrop extends RandomImageLayer {
    private final int height;
    private final int width;
    private boolean crops;
    private Resize resize;

    /**
     * Windows of height x width.
     *
     * @param height Keras's {@code height}, the output's rows: at least 1
     * @param width Keras's {@code width}, the output's columns: at least 1
     * @throws IllegalArgumentException if a size is below 1
     */
    public RandomCrop(int height, int width) {
        this.height = atLeastOne("RandomCrop height", height);
        this.width = atLeastOne("RandomCrop width", width);
    }

    @Override
    public String typeName() {
        return "RandomCrop";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("height", height);
        a.put("width", width);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        requireImages(typeName(), input);
        return Shape.of(height, width, input.dim(2));
    }

    /**
     * No parameters: decides once whether training crops or resizes, and makes the resize.
     *
     * @param input the image shape {@code (height, width, channels)}
     * @param into left empty
     * @param rng unused: the windows are drawn per step from the noise seed
     */
    @Override
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        crops = input.dim(0) >= height && input.dim(1) >= width;
        resize = Resize.croppedToAspectRatio(Interpolation.BILINEAR, input.dim(0), input.dim(1), input.dim(2), height,
                width);
    }

    @Override
    String describeTransform() {
        return crops ? "random crop " + height + "x" + width : "resize to " + height + "x" + width + " (images smaller)";
    }

    @Override
    int drawsPerImage() {
        return 2;
    }

    /** p[0], p[1]: the window's top row and left column. */
    @Override
    int parametersPerImage() {
        return 2;
    }

    @Override
    void draw(float[] p, int at, long stream, int b, float[] in, int inOffset) {
        if (crops) {
            p[at] = Noise.below(stream, 2L * b, inputShape().dim(0) - height + 1);
            p[at + 1] = Noise.below(stream, 2L * b + 1, inputShape().dim(1) - width + 1);
        }
    }

    @Override
    void transform(float[] out, int outOffset, float[] in, int inOffset, float[] p, int at) {
        if (!crops) {
            resize.forward(out, outOffset, in, inOffset);
            return;
        }
        int rowIn = inputShape().dim(1) * inputShape().dim(2);
        int rowOut = width * inputShape().dim(2);
        int start = inOffset + (int) p[at] * rowIn + (int) p[at + 1] * inputShape().dim(2);
        for (int y = 0; y < height; y++) {
            System.arraycopy(in, start + y * rowIn, out, outOffset + y * rowOut, rowOut);
        }
    }

    @Override
    void transformBackward(float[] dIn, int inOffset, float[] dOut, int outOffset, float[] in, float[] p, int at) {
        if (!crops) {
            resize.backward(dIn, inOffset, dOut, outOffset);
            return;
        }
        int rowIn = inputShape().dim(1) * inputShape().dim(2);
        int rowOut = width * inputShape().dim(2);
        Arrays.fill(dIn, inOffset, inOffset + inputShape().size(), 0f);
        int start = inOffset + (int) p[at] * rowIn + (int) p[at + 1] * inputShape().dim(2);
        for (int y = 0; y < height; y++) {
            System.arraycopy(dOut, outOffset + y * rowOut, dIn, start + y * rowIn, rowOut);
        }
    }

    @Override
    void infer(float[] out, float[] in, int n) {
        for (int b = 0; b < n; b++) {
            resize.forward(out, b * outputShape().size(), in, b * inputShape().size());
        }
    }

    @Override
    void inferBackward(float[] dIn, float[] dOut, int n) {
        for (int b = 0; b < n; b++) {
            resize.backward(dIn, b * inputShape().size(), dOut, b * outputShape().size());
        }
    }
}
