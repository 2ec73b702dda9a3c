package io.github.purecnn.visual;

/**
 * Hand-made 3 x 3 kernels from image processing, to set beside a trained network's filters:
 * they show what a convolution does before anyone has trained one. {@link #apply} slides a
 * kernel over an image as a Conv2D layer does (cross-correlation, no flipping, "valid"
 * padding), so the results compare directly with the network's feature maps. The kernels have
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

    /** A short name for captions, such as {@code "vertical edges"}. */
    public String label() {
        return label;
    }

    /** The 3 x 3 weights, row-major; a copy. */
    public float[] weights() {
        return weights.clone();
    }

    /**
     * The image convolved with this kernel: output {@code (height - 2) x (width - 2)}, pixel
     * (r, c) being the sum of {@code kernel[i][j] * image[r + i][c + j]}.
     *
     * @param image {@code height * width} values, row-major; read
     * @return a new array of {@code (height - 2) * (width - 2)} values
     */
    public float[] apply(float[] image, int height, int width) {
        Checks.image(image, height, width, "image");
        if (height < SIZE || width < SIZE) {
            throw new IllegalArgumentException("image: expected at least " + SIZE + " x " + SIZE + " for a " + SIZE
                    + " x " + SIZE + " kernel, found " + height + " x " + width);
        }
        int outHeight = height - SIZE + 1;
        int outWidth = width - SIZE + 1;
        float[] out = new float[outHeight * outWidth];
        for (int r = 0; r < outHeight; r++) {
            int outRow = r * outWidth;
            for (int c = 0; c < outWidth; c++) {
                float sum = 0;
                for (int i = 0; i < SIZE; i++) {
                    int inRow = (r + i) * width + c;
                    int kernelRow = i * SIZE;
                    for (int j = 0; j < SIZE; j++) {
                        sum += weights[kernelRow + j] * image[inRow + j];
                    }
                }
                out[outRow + c] = sum;
            }
        }
        return out;
    }
}
