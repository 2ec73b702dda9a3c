package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.runtime.WeightShape;
import io.github.purecnn.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keras's {@code Normalization(axis=-1, mean=None, variance=None, invert=False)}: every value
 * becomes {@code (x - mean) / max(sqrt(variance), 1e-7)}, with a mean and a variance per index of
 * the kept axes (by default the last: one per channel), in training and at inference; with
 * {@code invert}, {@code mean + x * max(sqrt(variance), 1e-7)}, which undoes it.
 *
 * <p>The statistics are either given (a number for all, or an array that broadcasts to the kept
 * axes from the right, as Keras; they are then part of the config) or learned from data with
 * {@link #adapt}, before or after the layer joins a model. Learned ones are the layer's
 * non-trainable weights {@code mean} and {@code variance} (Keras's names), which no optimizer
 * changes and which save and load with the model; until adapted they are 0 and 1, as in Keras.
 * (Keras also keeps an integer {@code count} weight, kept for older files only, which this layer
 * does not.)
 *
 * <p>Axes follow Keras: they count the batch axis as 0, so for images (H, W, C) axis -1 and 3 are
 * the channels, {@code axis(1, 2)} keeps a statistic per pixel, and {@code axis()} (Keras's
 * {@code axis=None}) one for everything; the batch axis cannot be kept.
 *
 * <p>In float, as Keras: {@code d = max(sqrt(variance), 1e-7f)} (sqrt correctly rounded), then
 * {@code (x - mean) / d}, each operation rounded. The input gradient is {@code g / d} ({@code g * d}
 * inverted). {@link #adapt} computes, in double, each statistic's mean over the data set's samples
 * in order and their values in row-major order, then the mean of the squared deviations from it
 * (the population variance, as NumPy's {@code var}), and rounds both to float.
 */
public final class Normalization extends Layer {
    /** Keras's {@code backend.epsilon()}, the smallest divisor. */
    private static final float EPSILON = 1e-7f;
    /** Samples read from the data set at a time by {@link #adapt}. */
    private static final int ADAPT_CHUNK = 64;

    private int[] axes = {-1};
    private boolean invert;
    /** Given statistics: their values in row-major order and their shape (empty for a number), or null. */
    private float[] givenMean;
    private float[] givenVariance;
    private int[] givenShape;
    /** Statistics learned by {@link #adapt} before the layer was built, for {@link #adaptedFor}. */
    private float[] adaptedMean;
    private float[] adaptedVariance;
    private Shape adaptedFor;

    // once built
    private int[] keptDims;
    private int[] statistic;
    private Parameter mean;
    private Parameter variance;
    private float[] fixedMean;
    private float[] fixedVariance;

    /** Normalizes per index of the last axis, with statistics to learn by {@link #adapt}. */
    public Normalization() {
    }

    /**
     * Keras's {@code axis}: the axes that keep a statistic per index, counting the batch axis as 0,
     * negative from the end; none for one statistic over everything (Keras's {@code axis=None}).
     *
     * @param keptAxes the kept axes, such as {@code -1} (the default: per channel) or {@code 1, 2} (per
     *     pixel), or none; checked against the input shape when the layer is built
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public Normalization axis(int... keptAxes) {
        requireUnbuilt("change the axes of");
        axes = keptAxes.clone();
        return this;
    }

    /**
     * Given statistics instead of learned ones: one value each for all, or one per index of the
     * kept axes (row-major over them), as Keras's {@code mean} and {@code variance}.
     *
     * @param mean one finite value, or one per index of the kept axes
     * @param variance as many values as {@code mean}, each finite and at least 0
     * @return this layer
     * @throws NullPointerException if an array is null
     * @throws IllegalArgumentException if the arrays differ in length or hold a value out of range
     * @throws IllegalStateException once the layer is built
     */
    public Normalization meanAndVariance(double[] mean, double[] variance) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(variance, "variance");
        return given(toFloats(mean), toFloats(variance), mean.length == 1 ? new int[0] : new int[] {mean.length});
    }

    /** Given statistics of shape {@code shape} (empty for one number), as a config holds them. */
    Normalization given(float[] meanValues, float[] varianceValues, int[] shape) {
        requireUnbuilt("set the statistics of");
        if (meanValues.length != varianceValues.length) {
            throw new IllegalArgumentException("Normalization mean and variance must have the same shape, found "
                    + meanValues.length + " and " + varianceValues.length + " values");
        }
        for (float v : varianceValues) {
            if (!(v >= 0) || Float.isInfinite(v)) {
                throw new IllegalArgumentException("Normalization variance must be finite and at least 0, found " + v);
            }
        }
        for (float m : meanValues) {
            if (!Float.isFinite(m)) {
                throw new IllegalArgumentException("Normalization mean must be finite, found " + m);
            }
        }
        givenMean = meanValues.clone();
        givenVariance = varianceValues.clone();
        givenShape = shape.clone();
        adaptedFor = null;
        return this;
    }

    /**
     * Keras's {@code invert}: apply the inverse, {@code mean + x * sqrt(variance)}.
     *
     * @param inverse {@code true} to undo a normalisation; {@code false} by default
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public Normalization invert(boolean inverse) {
        requireUnbuilt("change invert of");
        invert = inverse;
        return this;
    }

    @Override
    public String typeName() {
        return "Normalization";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        List<Object> axisList = new ArrayList<>();
        for (int axis : axes) {
            axisList.add(axis);
        }
        a.put("axis", axisList);
        a.put("invert", invert);
        a.put("mean", givenMean == null ? null : nested(givenMean, givenShape, 0, 0));
        a.put("variance", givenVariance == null ? null : nested(givenVariance, givenShape, 0, 0));
        return a;
    }

    /** Values of {@code shape} from {@code offset}, as nested lists from dimension {@code dim} (a number for rank 0). */
    private static Object nested(float[] values, int[] shape, int dim, int offset) {
        if (dim == shape.length) {
            return (double) values[offset];
        }
        int stride = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            stride *= shape[d];
        }
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < shape[dim]; i++) {
            list.add(nested(values, shape, dim + 1, offset + i * stride));
        }
        return list;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        keptAxes(input);
        return input;
    }

    /** The kept axes as dimensions of the per-sample shape, increasing. */
    private int[] keptAxes(Shape sample) {
        int ndim = sample.rank() + 1;
        int[] kept = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = axes[i];
            if (a < -ndim || a >= ndim) {
                throw new IllegalArgumentException("Normalization axis " + a + " is out of range for inputs of rank "
                        + ndim + " (with the batch axis)");
            }
            int positive = a < 0 ? a + ndim : a;
            if (positive == 0) {
                throw new IllegalArgumentException("Normalization cannot keep the batch axis (axis " + a + ")");
            }
            kept[i] = positive - 1;
        }
        Arrays.sort(kept);
        for (int i = 1; i < kept.length; i++) {
            if (kept[i] == kept[i - 1]) {
                throw new IllegalArgumentException("Normalization axes " + Arrays.toString(axes)
                        + " name the same axis twice");
            }
        }
        return kept;
    }

    /**
     * Without given statistics: the non-trainable mean and variance, of the kept axes' shape (rank 1 at least).
     *
     * @param input the shape of one input sample
     * @return {@code mean} and {@code variance}, or nothing with given statistics
     * @throws IllegalArgumentException if the axes do not fit the input
     */
    @Internal
    @Override
    public List<WeightShape> weightShapes(Shape input) {
        if (givenMean != null) {
            return List.of();
        }
        int[] kept = keptAxes(input);
        int[] dims = new int[kept.length];
        for (int i = 0; i < kept.length; i++) {
            dims[i] = input.dim(kept[i]);
        }
        Shape shape = dims.length == 0 ? Shape.of(1) : Shape.of(dims);
        return List.of(new WeightShape("mean", shape, false), new WeightShape("variance", shape, false));
    }

    @Override
    protected void createNonTrainableWeights(Shape input, List<Parameter> into) {
        int[] kept = keptAxes(input);
        keptDims = new int[kept.length];
        for (int i = 0; i < kept.length; i++) {
            keptDims[i] = input.dim(kept[i]);
        }
        statistic = statisticIndex(input, kept);
        int count = statisticCount();
        if (givenMean != null) {
            fixedMean = broadcast(givenMean, "mean");
            fixedVariance = broadcast(givenVariance, "variance");
            return;
        }
        // Keras's statistics without kept axes have shape (); weights here have rank 1 at least.
        mean = new Parameter("mean", keptDims.length == 0 ? Shape.of(1) : Shape.of(keptDims), false);
        variance = new Parameter("variance", mean.shape(), false);
        Arrays.fill(variance.value(), 1f);
        if (adaptedFor != null) {
            if (!adaptedFor.equals(input)) {
                throw new IllegalArgumentException("Normalization was adapted to samples of shape " + adaptedFor
                        + ", its input has shape " + input);
            }
            System.arraycopy(adaptedMean, 0, mean.value(), 0, count);
            System.arraycopy(adaptedVariance, 0, variance.value(), 0, count);
        }
        into.add(mean);
        into.add(variance);
    }

    private int statisticCount() {
        int count = 1;
        for (int d : keptDims) {
            count *= d;
        }
        return count;
    }

    /** Given values broadcast to the kept axes' shape, from the right, as NumPy broadcasts. */
    private float[] broadcast(float[] values, String what) {
        int rank = keptDims.length;
        if (givenShape.length > rank) {
            throw new IllegalArgumentException("Normalization " + what + " of shape " + Arrays.toString(givenShape)
                    + " has more dimensions than the kept axes " + Arrays.toString(keptDims));
        }
        int[] aligned = new int[rank];
        Arrays.fill(aligned, 1);
        for (int i = 0; i < givenShape.length; i++) {
            int d = givenShape[givenShape.length - 1 - i];
            int target = keptDims[rank - 1 - i];
            if (d != target && d != 1) {
                throw new IllegalArgumentException("Normalization " + what + " of shape " + Arrays.toString(givenShape)
                        + " does not broadcast to the kept axes' shape " + Arrays.toString(keptDims));
            }
            aligned[rank - 1 - i] = d;
        }
        float[] out = new float[statisticCount()];
        for (int s = 0; s < out.length; s++) {
            int rest = s;
            int source = 0;
            int stride = 1;
            for (int d = rank - 1; d >= 0; d--) {
                int coordinate = rest % keptDims[d];
                rest /= keptDims[d];
                source += (aligned[d] == 1 ? 0 : coordinate) * stride;
                stride *= aligned[d];
            }
            out[s] = values[source];
        }
        return out;
    }

    /** For each value of a sample (row-major), the index of its statistic (row-major over the kept axes). */
    private static int[] statisticIndex(Shape sample, int[] kept) {
        int[] index = new int[sample.size()];
        int rank = sample.rank();
        for (int i = 0; i < index.length; i++) {
            int rest = i;
            int s = 0;
            int stride = 1;
            int k = kept.length - 1;
            for (int d = rank - 1; d >= 0; d--) {
                int coordinate = rest % sample.dim(d);
                rest /= sample.dim(d);
                if (k >= 0 && kept[k] == d) {
                    s += coordinate * stride;
                    stride *= sample.dim(d);
                    k--;
                }
            }
            index[i] = s;
        }
        return index;
    }

    /**
     * The learned mean, a non-trainable weight; null when the statistics are given. Available once built.
     *
     * @return Keras's {@code mean} weight, shape of the kept axes, or null
     * @throws IllegalStateException before the layer is built
     */
    public Parameter mean() {
        outputShape();
        return mean;
    }

    /**
     * The learned variance, a non-trainable weight; null when the statistics are given. Available once built.
     *
     * @return Keras's {@code variance} weight, shape of the kept axes, or null
     * @throws IllegalStateException before the layer is built
     */
    public Parameter variance() {
        outputShape();
        return variance;
    }

    /**
     * Keras's {@code adapt}: learns the mean and the variance of the data set's samples (see the
     * class documentation for the exact sums). Before the layer is built, they wait for it, which
     * must then take samples of the data set's shape; afterwards the data set's samples must have
     * the layer's input shape.
     *
     * @param data the samples to learn from (the labels are not read)
     * @return this layer
     * @throws IllegalArgumentException for samples of another shape than the layer's input, or a layer with
     *     given statistics
     * @throws NullPointerException if {@code data} is null
     */
    public Normalization adapt(Dataset data) {
        Objects.requireNonNull(data, "data");
        if (givenMean != null) {
            throw new IllegalArgumentException("Normalization '" + name() + "' has a given mean and variance; adapt"
                    + " learns them for a layer made without");
        }
        Shape sample = data.sampleShape();
        if (isBuilt() && !sample.equals(inputShape())) {
            throw new IllegalArgumentException("Normalization '" + name() + "' takes input of shape " + inputShape()
                    + ", the data set's samples have shape " + sample);
        }
        int[] kept = keptAxes(sample);
        int[] index = statisticIndex(sample, kept);
        int count = 1;
        for (int k : kept) {
            count *= sample.dim(k);
        }
        double[] sums = new double[count];
        double[] squares = new double[count];
        float[] chunk = new float[Math.min(ADAPT_CHUNK, data.size()) * sample.size()];
        forEachValue(data, chunk, index, (s, x) -> sums[s] += x);
        long perStatistic = (long) data.size() * sample.size() / count;
        double[] means = new double[count];
        for (int s = 0; s < count; s++) {
            means[s] = sums[s] / perStatistic;
        }
        forEachValue(data, chunk, index, (s, x) -> {
            double deviation = x - means[s];
            squares[s] += deviation * deviation;
        });
        float[] m = new float[count];
        float[] v = new float[count];
        for (int s = 0; s < count; s++) {
            m[s] = (float) means[s];
            v[s] = (float) (squares[s] / perStatistic);
        }
        if (isBuilt()) {
            mean.set(m);
            variance.set(v);
        } else {
            adaptedMean = m;
            adaptedVariance = v;
            adaptedFor = sample;
        }
        return this;
    }

    /** What {@link #forEachValue} does with a value x of statistic s. */
    @FunctionalInterface
    private interface ValueSink {
        void accept(int s, float x);
    }

    /** Every value of every sample, samples in order, values row-major, read chunk by chunk. */
    private static void forEachValue(Dataset data, float[] chunk, int[] index, ValueSink sink) {
        int size = index.length;
        int perChunk = chunk.length / size;
        for (int from = 0; from < data.size(); from += perChunk) {
            int n = Math.min(perChunk, data.size() - from);
            data.copyImages(null, from, n, chunk);
            for (int i = 0; i < n * size; i++) {
                sink.accept(index[i % size], chunk[i]);
            }
        }
    }

    private static float[] toFloats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }

    @Internal
    @Override
    public Step newStep(Kernels kernels, boolean lossGivesPreActivationGradient) {
        int size = inputShape().size();
        int count = statisticCount();
        // shift (count) the means; divisor (count) max(sqrt(variance), epsilon): remade when the weights change
        float[] shift = new float[count];
        float[] divisor = new float[count];
        String what = (invert ? "inverse " : "") + "normalization over " + count + " statistic" + (count == 1 ? "" : "s");
        return new StatelessStep(this, what) {
            private long meanVersion = -1;
            private long varianceVersion = -1;

            @Override
            public int prepareParts() {
                return 1;
            }

            @Override
            public void prepare(int part) {
                if (mean == null) {
                    if (meanVersion < 0) {
                        derive(fixedMean, fixedVariance);
                        meanVersion = 0;
                    }
                } else if (mean.version() != meanVersion || variance.version() != varianceVersion) {
                    meanVersion = mean.version();
                    varianceVersion = variance.version();
                    derive(mean.value(), variance.value());
                }
            }

            private void derive(float[] m, float[] v) {
                for (int s = 0; s < count; s++) {
                    shift[s] = m[s];
                    divisor[s] = Math.max((float) Math.sqrt(v[s]), EPSILON);
                }
            }

            @Override
            public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                for (int b = 0; b < n; b++) {
                    int base = b * size;
                    for (int j = 0; j < size; j++) {
                        int s = statistic[j];
                        out[base + j] = invert ? shift[s] + in[base + j] * divisor[s] : (in[base + j] - shift[s]) / divisor[s];
                    }
                }
            }

            @Override
            void inputGradient(float[] dIn, float[] dOut, float[] out, int n) {
                for (int b = 0; b < n; b++) {
                    int base = b * size;
                    for (int j = 0; j < size; j++) {
                        int s = statistic[j];
                        dIn[base + j] = invert ? dOut[base + j] * divisor[s] : dOut[base + j] / divisor[s];
                    }
                }
            }
        };
    }
}
