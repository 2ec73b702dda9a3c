package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Spatial;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Removes rows and columns at the edges of each image, as Keras's {@code Cropping2D} (by default
 * none).
 * <pre>{@code new Cropping2D(2, 1)   // two rows off the top and bottom, one column off each side}</pre>
 */
public final class Cropping2D extends Layer {
    private final Margins margins;

    /** No cropping (Keras's default). */
    public Cropping2D() {
        this(0);
    }

    /**
     * {@code cropping} rows and columns off every side.
     *
     * @param cropping the rows and columns to remove from each side, at least 0
     * @throws IllegalArgumentException if {@code cropping} is negative
     */
    public Cropping2D(int cropping) {
        this(cropping, cropping);
    }

    /**
     * {@code rows} off the top and bottom, {@code cols} off the left and right.
     *
     * @param rows the rows to remove from the top and from the bottom, at least 0
     * @param cols the columns to remove from the left and from the right, at least 0
     * @throws IllegalArgumentException if a count is negative
     */
    public Cropping2D(int rows, int cols) {
        this(rows, rows, cols, cols);
    }

    /**
     * Keras's {@code ((top, bottom), (left, right))}.
     *
     * @param top the rows to remove from the top, at least 0
     * @param bottom the rows to remove from the bottom, at least 0
     * @param left the columns to remove from the left, at least 0
     * @param right the columns to remove from the right, at least 0
     * @throws IllegalArgumentException if a count is negative
     */
    public Cropping2D(int top, int bottom, int left, int right) {
        this.margins = new Margins(top, bottom, left, right);
    }

    @Override
    public String typeName() {
        return "Cropping2D";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("cropping", margins.toConfig());
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException("Cropping2D expects images (height, width, channels), found rank " + input.rank());
        }
        long h = (long) input.dim(0) - margins.top() - margins.bottom();
        long w = (long) input.dim(1) - margins.left() - margins.right();
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("cropping " + margins + " leaves nothing of a " + input.dim(0) + "x"
                    + input.dim(1) + " image");
        }
        return Shape.of((int) h, (int) w, input.dim(2));
    }

    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        Shape in = inputShape();
        Shape out = outputShape();
        int FH = in.dim(0), FW = in.dim(1), C = in.dim(2), H = out.dim(0), W = out.dim(1);
        return new StatelessStep(this, "cropping " + margins) {
            @Override
            public void forward(float[] o, float[] i, int n, boolean training, long noiseSeed, Scratch scratch) {
                Spatial.extract(o, i, n, H, W, C, FH, FW, margins.top(), margins.left());
            }

            @Override
            void inputGradient(float[] dIn, float[] dOut, float[] o, int n) {
                Spatial.embed(dIn, dOut, n, H, W, C, FH, FW, margins.top(), margins.left());
            }
        };
    }
}
