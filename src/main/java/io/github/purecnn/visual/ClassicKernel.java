package io.github.purecnn.visual;

/**
 * Hand-made 3 x 3 kernels from image processing, to set beside a trained network's filters:
 * they show what a convolution does before anyone has trained one. To apply one, make it the
 * kernel of a one-filter {@code Conv2D} without bias: {@link #weights()} in row-major order is
 * that layer's {@code (3, 3, 1, 1)} kernel layout, so the results come from the same
 * convolution as the network's feature maps and compare directly with them. The kernels have
 * negative weights, except the blur, so their weights and most of their outputs are best shown
 * with {@link ColorMap#DIVERGING}; the blurred digit with {@link ColorMap#INK}.
 */
public enum ClassicKernel {
    /** Outline: a Laplacian, zero on flat areas, strong where the intensity changes in any direction. */
    EDGES("edges", -1, -1, -1, -1, 8, -1, -1, -1, -1),
    /** Sobel x: positive where the image gets brighter to the right, so it finds vertical strokes. */
    VERTICAL_EDGES("vertical edges", -1, 0, 1, -2, 0, 2, -1, 0, 1),
    /** The centre against its four neighbours: crisper strokes. */
    SHARPEN("sharpen", 0, -1, 0, -1, 5, -1, 0, -1, 0),
    /** A Gaussian-like average that sums to one: softer strokes, same brightness. */
    BLUR("blur", 1 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 4 / 16f, 2 / 16f, 1 / 16f, 2 / 16f, 1 / 16f);

    /** Kernel height and width. */
    public static final int SIZE = 3;

    private final String label;
    private final float[] weights;

    ClassicKernel(String label, float... weights) {
        this.label = label;
        this.weights = weights;
    }

    /**
     * A short name for captions, such as {@code "vertical edges"}.
     *
     * @return the label
     */
    public String label() {
        return label;
    }

    /**
     * The 3 x 3 weights, row-major; a copy.
     *
     * @return nine weights
     */
    public float[] weights() {
        return weights.clone();
    }
}
