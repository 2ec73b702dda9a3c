package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.image.Interpolation;
import io.github.purecnn.kernels.image.Resize;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Keras's {@code Resizing(height, width, interpolation="bilinear", crop_to_aspect_ratio=False)}:
 * resizes every image to height x width, in training and at inference, as TensorFlow's
 * {@code tf.image.resize} ({@link Resize}: half-pixel centres, no antialiasing); with
 * {@code crop_to_aspect_ratio}, the largest centred window with the target's aspect ratio is
 * resized, so that nothing is stretched. The sampling positions are computed once, when the
 * model is built. The backward pass is the resize's exact gradient (see {@link Resize}).
 */
public final class Resizing extends Layer {
    private final int height;
    private final int width;
    private Interpolation interpolation = Interpolation.BILINEAR;
    private boolean cropToAspectRatio;
    private Resize resize;

    /**
     * Resizes to height x width, bilinearly, without cropping (Keras's defaults).
     *
     * @param height Keras's {@code height}, the output's rows: at least 1
     * @param width Keras's {@code width}, the output's columns: at least 1
     * @throws IllegalArgumentException if a size is below 1
     */
    public Resizing(int height, int width) {
        this.height = atLeastOne("Resizing height", height);
        this.width = atLeastOne("Resizing width", width);
    }

    /**
     * Keras's {@code interpolation}: bilinear (the default) or nearest.
     *
     * @param method {@link Interpolation#BILINEAR} (the default) or {@link Interpolation#NEAREST}
     * @return this layer
     * @throws NullPointerException if {@code method} is null
     * @throws IllegalStateException once the layer is built
     */
    public Resizing interpolation(Interpolation method) {
        requireUnbuilt("change the interpolation of");
        interpolation = Objects.requireNonNull(method, "interpolation");
        return this;
    }

    /**
     * Keras's {@code crop_to_aspect_ratio}: resize the largest centred window with the target's aspect ratio.
     *
     * @param crop {@code true} to crop to the target's aspect ratio before resizing; {@code false} (the
     *     default) to stretch
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public Resizing cropToAspectRatio(boolean crop) {
        requireUnbuilt("change crop_to_aspect_ratio of");
        cropToAspectRatio = crop;
        return this;
    }

    @Override
    public String typeName() {
        return "Resizing";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("height", height);
        a.put("width", width);
        a.put("interpolation", interpolation.kerasName());
        a.put("crop_to_aspect_ratio", cropToAspectRatio);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        RandomImageLayer.requireImages(typeName(), input);
        return Shape.of(height, width, input.dim(2));
    }

    /**
     * No parameters: makes the resize for the input's size, once.
     *
     * @param input the image shape {@code (height, width, channels)}
     * @param into left empty
     * @param rng unused: resizing draws nothing
     */
    @Override
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        resize = cropToAspectRatio
                ? Resize.croppedToAspectRatio(interpolation, input.dim(0), input.dim(1), input.dim(2), height, width)
                : Resize.of(interpolation, input.dim(0), input.dim(1), input.dim(2), height, width);
    }

    @Internal
    @Override
    public Step newStep(Kernels kernels, boolean lossGivesPreActivationGradient) {
        int inSize = inputShape().size();
        int outSize = outputShape().size();
        String what = interpolation.kerasName() + " resize to " + height + "x" + width
                + (cropToAspectRatio ? ", cropped to the aspect ratio" : "");
        return new StatelessStep(this, what) {
            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                for (int b = 0; b < n; b++) {
                    resize.forward(out, b * outSize, in, b * inSize);
                }
            }

            @Override
            void inputGradient(float[] dIn, float[] dOut, float[] out, int n) {
                for (int b = 0; b < n; b++) {
                    resize.backward(dIn, b * inSize, dOut, b * outSize);
                }
            }
        };
    }
}
