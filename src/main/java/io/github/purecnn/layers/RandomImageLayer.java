package io.github.purecnn.layers;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

/**
 * A random augmentation layer: in training it transforms each image of (H, W, C) images by a
 * random draw of its own; at inference it is the identity (RandomCrop has its own inference).
 *
 * <p>The draws come from the step's noise seed, which the model derives from its seed, the
 * training step, the shard and the layer (as for Dropout): image b of a shard takes draws
 * {@code b * drawsPerImage() ..} of its stream, so an image's transform depends on where it stands
 * in its batch, never on the thread that runs it. Each shard keeps what it drew for its images
 * (the image's parameters, {@link #parametersPerImage()} floats) so that the backward pass undoes
 * exactly the forward pass's transform.
 */
abstract class RandomImageLayer extends Layer {

    /** Draws of the noise stream each image uses. */
    abstract int drawsPerImage();

    /** Floats of what {@link #draw} records per image. */
    abstract int parametersPerImage();

    /**
     * Writes image b's parameters into {@code p} at {@code at}, from its draws
     * {@code b * drawsPerImage() ..} of {@code stream}; the image itself, (H, W, C) at inOffset of
     * {@code in}, is there for parameters that depend on it.
     */
    abstract void draw(float[] p, int at, long stream, int b, float[] in, int inOffset);

    /** out (output shape) at outOffset writes; in (H, W, C) at inOffset reads: one image transformed by its parameters. */
    abstract void transform(float[] out, int outOffset, float[] in, int inOffset, float[] p, int at);

    /**
     * dIn (H, W, C) at inOffset writes: the gradient with respect to one image; dOut (output shape)
     * at outOffset reads; in the image; p its parameters.
     */
    abstract void transformBackward(float[] dIn, int inOffset, float[] dOut, int outOffset, float[] in, float[] p, int at);

    /** What runs outside training over n images: the identity, for every layer but RandomCrop. */
    void infer(float[] out, float[] in, int n) {
        if (out != in) {
            System.arraycopy(in, 0, out, 0, n * inputShape().size());
        }
    }

    /** The gradient of {@link #infer}: dIn (n, H, W, C) writes; dOut reads. */
    void inferBackward(float[] dIn, float[] dOut, int n) {
        if (dIn != dOut) {
            System.arraycopy(dOut, 0, dIn, 0, n * inputShape().size());
        }
    }

    /** The step's description after the layer's name, for logs. */
    abstract String describeTransform();

    /** Image b's draw {@code k} as a float in [lo, hi), as Keras's {@code random.uniform}. */
    final float uniform(long stream, int b, int k, float lo, float hi) {
        return Noise.uniform(stream, (long) b * drawsPerImage() + k, lo, hi);
    }

    /** The image shape, checked: rank 3, (height, width, channels). */
    static Shape requireImages(String type, Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException(type + " expects images (height, width, channels), found rank "
                    + input.rank());
        }
        return input;
    }

    @Override
    public Step newStep(Kernels kernels, boolean lossGivesPreActivationGradient) {
        int inSize = inputShape().size();
        int outSize = outputShape().size();
        int perImage = parametersPerImage();
        return new Step() {
            @Override
            public String describe() {
                return name() + ": " + describeTransform();
            }

            @Override
            public Step.Shard newShard(int capacity) {
                // params (capacity, perImage): what each image drew in the last training forward pass
                float[] params = new float[Math.multiplyExact(capacity, perImage)];
                return new Step.Shard() {
                    private boolean trained;

                    @Override
                    public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                        trained = training;
                        if (!training) {
                            infer(out, in, n);
                            return;
                        }
                        long stream = Noise.stream(noiseSeed);
                        for (int b = 0; b < n; b++) {
                            draw(params, b * perImage, stream, b, in, b * inSize);
                            transform(out, b * outSize, in, b * inSize, params, b * perImage);
                        }
                    }

                    @Override
                    public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                        if (dIn == null) {
                            return;
                        }
                        if (!trained) {
                            inferBackward(dIn, dOut, n);
                            return;
                        }
                        for (int b = 0; b < n; b++) {
                            transformBackward(dIn, b * inSize, dOut, b * outSize, in, params, b * perImage);
                        }
                    }

                    @Override
                    public float[][] grads() {
                        return NO_GRADS;
                    }
                };
            }
        };
    }
}
