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
 * Adds rows and columns of zeros around each image, as Keras's {@code ZeroPadding2D}: by default
 * one on every side.
 * <pre>{@code new ZeroPadding2D(1, 2)   // one row above and below, two columns left and right}</pre>
 */
public final class ZeroPadding2D extends Layer {
    private final Margins margins;

    /** One row and column of zeros on every side (Keras's default). */
    public ZeroPadding2D() {
        this(1);
    }

    /**
     * {@code padding} rows and columns on every side.
     *
     * @param padding Keras's {@code padding} as one number: the rows and columns of zeros on each side, at
     *     least 0
     * @throws IllegalArgumentException if {@code padding} is negative
     */
    public ZeroPadding2D(int padding) {
        this(padding, padding);
    }

    /**
     * {@code rows} above and below, {@code cols} left and right.
     *
     * @param rows the rows of zeros above and below, at least 0
     * @param cols the columns of zeros left and right, at least 0
     * @throws IllegalArgumentException if a count is negative
     */
    public ZeroPadding2D(int rows, int cols) {
        this(rows, rows, cols, cols);
    }

    /**
     * Keras's {@code ((top, bottom), (left, right))}.
     *
     * @param top the rows of zeros above, at least 0
     * @param bottom the rows of zeros below, at least 0
     * @param left the columns of zeros on the left, at least 0
     * @param right the columns of zeros on the right, at least 0
     * @throws IllegalArgumentException if a count is negative
     */
    public ZeroPadding2D(int top, int bottom, int left, int right) {
        this.margins = new Margins(top, bottom, left, right);
    }

    @Override
    public String typeName() {
        return "ZeroPadding2D";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("padding", margins.toConfig());
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException("ZeroPadding2D expects images (height, width, channels), found rank " + input.rank());
        }
        long h = (long) input.dim(0) + margins.top() + margins.bottom();
        long w = (long) input.dim(1) + margins.left() + margins.right();
        if (h * w * input.dim(2) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("padding " + margins + " makes images of " + h + "x" + w + "x"
                    + input.dim(2) + ", too large for one array");
        }
        return Shape.of((int) h, (int) w, input.dim(2));
    }

    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        Shape in = inputShape();
        Shape out = outputShape();
        int H = in.dim(0), W = in.dim(1), C = in.dim(2), FH = out.dim(0), FW = out.dim(1);
        return new StatelessStep(this, "zero padding " + margins) {
            @Override
            public void forward(float[] o, float[] i, int n, boolean training, long noiseSeed, Scratch scratch) {
                Spatial.embed(o, i, n, H, W, C, FH, FW, margins.top(), margins.left());
            }

            @Override
            void inputGradient(float[] dIn, float[] dOut, float[] o, int n) {
                Spatial.extract(dIn, dOut, n, H, W, C, FH, FW, margins.top(), margins.left());
            }
        };
    }
}
