package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.kernels.Spatial;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Repeats each pixel {@code size} times down and across, as Keras's {@code UpSampling2D} with its
 * default {@code interpolation='nearest'} (the only one offered). The gradient of a pixel is the
 * sum of its copies' gradients, rows first then columns, from +0.
 * <pre>{@code new UpSampling2D(2)}</pre>
 */
public final class UpSampling2D extends Layer {
    /** The only interpolation this layer implements, Keras's default. */
    public static final String NEAREST = "nearest";

    private final int sizeH;
    private final int sizeW;

    /** Doubles the height and width (Keras's default size (2, 2)). */
    public UpSampling2D() {
        this(2);
    }

    /**
     * Each pixel repeated {@code size} times down and across.
     *
     * @param size Keras's {@code size} as one number: the repeats down and across, at least 1
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public UpSampling2D(int size) {
        this(size, size);
    }

    /**
     * Each pixel repeated {@code sizeH} times down and {@code sizeW} times across (Keras's {@code size}).
     *
     * @param sizeH the repeats down each column, at least 1
     * @param sizeW the repeats across each row, at least 1
     * @throws IllegalArgumentException if a size is below 1
     */
    public UpSampling2D(int sizeH, int sizeW) {
        this.sizeH = atLeastOne("UpSampling2D size height", sizeH);
        this.sizeW = atLeastOne("UpSampling2D size width", sizeW);
    }

    @Override
    public String typeName() {
        return "UpSampling2D";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("size", List.of(sizeH, sizeW));
        a.put("interpolation", NEAREST);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        if (input.rank() != 3) {
            throw new IllegalArgumentException("UpSampling2D expects images (height, width, channels), found rank " + input.rank());
        }
        long h = (long) input.dim(0) * sizeH;
        long w = (long) input.dim(1) * sizeW;
        if (h * w * input.dim(2) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size (" + sizeH + ", " + sizeW + ") makes images of " + h + "x" + w + "x"
                    + input.dim(2) + ", too large for one array");
        }
        return Shape.of((int) h, (int) w, input.dim(2));
    }

    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        Shape in = inputShape();
        int H = in.dim(0), W = in.dim(1), C = in.dim(2);
        return new StatelessStep(this, "nearest upsampling " + sizeH + "x" + sizeW) {
            @Override
            public void forward(float[] out, float[] i, int n, boolean training, long noiseSeed, Scratch scratch) {
                Spatial.upsampleNearest(out, i, n, H, W, C, sizeH, sizeW);
            }

            @Override
            void inputGradient(float[] dIn, float[] dOut, float[] out, int n) {
                Spatial.upsampleNearestBackward(dIn, dOut, n, H, W, C, sizeH, sizeW);
            }
        };
    }
}
