package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives each sample another shape with the same values in the same (row-major) order, as Keras's
 * {@code Reshape(target_shape)}; one dimension may be -1, inferred from the others. Changes only
 * the shape: the model lets input and output share one buffer.
 * <pre>{@code new Reshape(7, 7, 16)}</pre>
 */
public final class Reshape extends Layer {
    private final int[] targetShape;

    /**
     * @param targetShape the per-sample shape, without batch dimension; at most one -1
     * @throws IllegalArgumentException for an empty shape, a dimension below -1 or 0, or two -1
     */
    public Reshape(int... targetShape) {
        if (targetShape.length == 0) {
            throw new IllegalArgumentException("Reshape target_shape must have at least one dimension");
        }
        int unknown = 0;
        for (int d : targetShape) {
            if (d == -1) {
                unknown++;
            } else if (d < 1) {
                throw new IllegalArgumentException("Reshape target_shape dimensions must be at least 1 (or one -1), found "
                        + Arrays.toString(targetShape));
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("Reshape target_shape may have one -1, found " + Arrays.toString(targetShape));
        }
        this.targetShape = targetShape.clone();
    }

    @Override
    public String typeName() {
        return "Reshape";
    }

    @Override
    protected Map<String, Object> arguments() {
        List<Integer> dims = new ArrayList<>();
        for (int d : targetShape) {
            dims.add(d);
        }
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("target_shape", dims);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        long known = 1;
        int unknownAt = -1;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) {
                unknownAt = i;
            } else {
                known *= targetShape[i];
            }
        }
        int[] dims = targetShape.clone();
        if (unknownAt >= 0 && known > 0 && input.size() % known == 0) {
            dims[unknownAt] = (int) (input.size() / known);
            known *= dims[unknownAt];
        }
        if (known != input.size()) {
            throw new IllegalArgumentException("cannot reshape " + input.size() + " values into target_shape "
                    + Arrays.toString(targetShape).replace('[', '(').replace(']', ')'));
        }
        return Shape.of(dims);
    }

    @Override
    public boolean reshapesOnly() {
        return true;
    }

    /**
     * A copy; the model's engine runs no step for it and lets input and output share one buffer.
     *
     * @param k unused: a copy needs no kernel
     * @param lossGivesPreActivationGradient unused: the layer has no activation
     * @return a new step that copies its input to its output
     */
    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new CopyStep(this, Activation.LINEAR, false);
    }
}
