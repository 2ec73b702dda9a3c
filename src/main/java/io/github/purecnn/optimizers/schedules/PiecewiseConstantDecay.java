package io.github.purecnn.optimizers.schedules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keras's {@code PiecewiseConstantDecay}: {@code values[0]} while {@code step <= boundaries[0]},
 * {@code values[i]} while {@code boundaries[i-1] < step <= boundaries[i]}, and the last value
 * after the last boundary.
 * <pre>{@code new PiecewiseConstantDecay(new long[] {100000, 110000}, new double[] {1.0, 0.5, 0.1})}</pre>
 */
public final class PiecewiseConstantDecay extends LearningRateSchedule {
    private final long[] boundaries;
    private final double[] values;

    /**
     * A rate that is constant between boundaries.
     *
     * @param boundaries optimizer steps, strictly increasing, at which the rate changes: the step equal
     *     to a boundary still has the value before it (both arrays are copied)
     * @param values the rates, finite, one more than the boundaries: {@code values[i]} applies up to and
     *     including {@code boundaries[i]}, the last one after the last boundary
     * @throws IllegalArgumentException when the lengths do not fit, the boundaries do not increase
     *     or a value is not finite, naming the argument
     */
    public PiecewiseConstantDecay(long[] boundaries, double[] values) {
        this.boundaries = boundaries.clone();
        this.values = values.clone();
        if (this.boundaries.length != this.values.length - 1) {
            throw new IllegalArgumentException(typeName() + ": boundaries must have one element less than values, found "
                    + this.boundaries.length + " boundaries and " + this.values.length + " values");
        }
        for (int i = 1; i < this.boundaries.length; i++) {
            if (this.boundaries[i] <= this.boundaries[i - 1]) {
                throw new IllegalArgumentException(typeName() + ": boundaries must increase strictly, found "
                        + this.boundaries[i - 1] + " then " + this.boundaries[i] + " at index " + i);
            }
        }
        for (int i = 0; i < this.values.length; i++) {
            finite("values[" + i + "]", this.values[i]);
        }
    }

    @Override
    public String typeName() {
        return "PiecewiseConstantDecay";
    }

    @Override
    public Map<String, Object> config() {
        List<Object> b = new ArrayList<>();
        for (long x : boundaries) {
            b.add(x);
        }
        List<Object> v = new ArrayList<>();
        for (double x : values) {
            v.add(x);
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("boundaries", b);
        c.put("values", v);
        return c;
    }

    @Override
    protected double compute(long step) {
        int i = 0;
        while (i < boundaries.length && step > boundaries[i]) {
            i++;
        }
        return values[i];
    }
}
