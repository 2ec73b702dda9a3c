package io.github.purecnn.layers;

import io.github.purecnn.Internal;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.Normalization;
import io.github.purecnn.kernels.Scratch;
import io.github.purecnn.runtime.BatchSums;
import io.github.purecnn.runtime.Step;
import io.github.purecnn.runtime.WeightShape;
import io.github.purecnn.tensor.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Batch normalisation over the last axis (the channels), as Keras's {@code BatchNormalization}
 * with its defaults: {@code axis=-1}, {@code momentum=0.99}, {@code epsilon=0.001}, {@code center}
 * and {@code scale} on. Weights in Keras's order: {@code gamma} (ones) and {@code beta} (zeros),
 * trainable, then {@code moving_mean} (zeros) and {@code moving_variance} (ones), not trainable.
 *
 * <p><b>Training</b> normalises with the statistics of the whole batch, not of one shard:
 * {@code y = ((x - mean) / sqrt(var + epsilon)) * gamma + beta}, where mean and the biased
 * variance {@code var = E[x^2] - mean^2} are taken per channel over every sample and pixel of the
 * batch. The engine gets them with {@link BatchSums}: each shard sums x and x * x per channel in
 * double, row after row (its images, then their pixels), the engine adds the shards' sums in shard
 * order, so the statistics are the same bits whatever the number of threads. The backward pass
 * takes the batch sums of dy and dy * xhat the same way. Once per training step, when the
 * statistics are known, the moving averages take Keras 3's update, in float:
 * {@code moving = moving * momentum + batch * (1 - momentum)}, with the biased batch variance, as
 * Keras's {@code BatchNormalization.call} does (PyTorch would use the unbiased one).
 *
 * <p><b>Inference</b> (evaluate, predict, validation) normalises with the moving averages. A
 * frozen layer ({@link #trainable(boolean)}) runs in inference mode in training too, as in Keras
 * 3, and its moving averages stay as they are.
 *
 * <p>Training needs more than one value per channel in a batch: a batch of one sample of
 * vector input would normalise every value to beta (Keras does so silently); {@code fit} refuses
 * it before the first step, naming the layer.
 */
public final class BatchNormalization extends Layer {
    private int axis = -1;
    private double momentum = 0.99;
    private double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;

    private Parameter gamma;
    private Parameter beta;
    private Parameter movingMean;
    private Parameter movingVariance;

    /** Keras's defaults. */
    public BatchNormalization() {
    }

    /**
     * Keras's {@code axis}: the channels axis, counted with the batch axis as 0, or -1 for the
     * last; only the last axis is supported (-1, or the input's rank, which the build checks).
     *
     * @param a -1 (the default) or the input's rank: both mean the last (channels) axis
     * @return this layer
     * @throws IllegalArgumentException if {@code a} is neither -1 nor positive (a positive axis other than
     *     the last is refused when the layer is built)
     * @throws IllegalStateException once the layer is built
     */
    public BatchNormalization axis(int a) {
        requireUnbuilt("change the axis of");
        if (a != -1 && a < 1) {
            throw new IllegalArgumentException("BatchNormalization normalises over the last axis only: axis must be -1"
                    + " or the last axis (counting the batch axis as 0), found " + a);
        }
        axis = a;
        return this;
    }

    /**
     * Keras's {@code momentum} of the moving averages, in [0, 1].
     *
     * @param m the weight of the old moving average in each update, in [0, 1]; 0.99 by default
     * @return this layer
     * @throws IllegalArgumentException if {@code m} is outside [0, 1] or NaN
     * @throws IllegalStateException once the layer is built
     */
    public BatchNormalization momentum(double m) {
        requireUnbuilt("change the momentum of");
        if (!(m >= 0 && m <= 1)) {
            throw new IllegalArgumentException("BatchNormalization momentum must be in [0, 1], found " + m);
        }
        momentum = m;
        return this;
    }

    /**
     * Keras's {@code epsilon}, added to the variance; positive.
     *
     * @param e a positive finite number, 1e-3 by default, that keeps the division away from zero
     * @return this layer
     * @throws IllegalArgumentException if {@code e} is not positive and finite
     * @throws IllegalStateException once the layer is built
     */
    public BatchNormalization epsilon(double e) {
        requireUnbuilt("change the epsilon of");
        if (!(e > 0) || Double.isInfinite(e)) {
            throw new IllegalArgumentException("BatchNormalization epsilon must be a positive finite number, found " + e);
        }
        epsilon = e;
        return this;
    }

    /**
     * Keras's {@code center}: whether the layer has beta.
     *
     * @param c {@code true} (the default) to add the learned offset beta; {@code false} for none
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public BatchNormalization center(boolean c) {
        requireUnbuilt("change center of");
        center = c;
        return this;
    }

    /**
     * Keras's {@code scale}: whether the layer has gamma.
     *
     * @param s {@code true} (the default) to multiply by the learned gamma; {@code false} for none
     * @return this layer
     * @throws IllegalStateException once the layer is built
     */
    public BatchNormalization scale(boolean s) {
        requireUnbuilt("change scale of");
        scale = s;
        return this;
    }

    @Override
    public String typeName() {
        return "BatchNormalization";
    }

    @Override
    protected Map<String, Object> arguments() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("axis", axis);
        a.put("momentum", momentum);
        a.put("epsilon", epsilon);
        a.put("center", center);
        a.put("scale", scale);
        return a;
    }

    @Override
    public Shape computeOutputShape(Shape input) {
        if (input.rank() < 1) {
            throw new IllegalArgumentException("BatchNormalization needs at least one axis");
        }
        if (axis != -1 && axis != input.rank()) {
            throw new IllegalArgumentException("BatchNormalization normalises over the last axis only: for input "
                    + input.toTuple("None") + " axis must be -1 or " + input.rank() + ", found " + axis);
        }
        return input;
    }

    /**
     * gamma (with {@code scale}) and beta (with {@code center}), trainable, then the moving mean and variance.
     *
     * @param input the shape of one input sample
     * @return the weights, each of shape {@code (channels)}
     * @throws IllegalArgumentException if the layer cannot take the input
     */
    @Internal
    @Override
    public List<WeightShape> weightShapes(Shape input) {
        computeOutputShape(input);
        Shape channels = channelsOf(input);
        List<WeightShape> w = new java.util.ArrayList<>();
        if (scale) {
            w.add(new WeightShape("gamma", channels, true));
        }
        if (center) {
            w.add(new WeightShape("beta", channels, true));
        }
        w.add(new WeightShape("moving_mean", channels, false));
        w.add(new WeightShape("moving_variance", channels, false));
        return w;
    }

    @Override
    protected void createParameters(Shape input, List<Parameter> into, SplittableRandom rng) {
        Shape channels = channelsOf(input);
        if (scale) {
            gamma = weight("gamma", channels, true, Initializer.ONES, into);
        }
        if (center) {
            beta = weight("beta", channels, true, Initializer.ZEROS, into);
        }
    }

    @Override
    protected void createNonTrainableWeights(Shape input, List<Parameter> into) {
        Shape channels = channelsOf(input);
        movingMean = weight("moving_mean", channels, false, Initializer.ZEROS, into);
        movingVariance = weight("moving_variance", channels, false, Initializer.ONES, into);
    }

    private static Shape channelsOf(Shape input) {
        return Shape.of(input.dim(input.rank() - 1));
    }

    private static Parameter weight(String name, Shape shape, boolean trainable, Initializer init, List<Parameter> into) {
        Parameter p = new Parameter(name, shape, trainable);
        init.fill(p.value(), shape, null);
        into.add(p);
        return p;
    }

    /** The channels, the size of the last axis. */
    private int channels() {
        return inputShape().dim(inputShape().rank() - 1);
    }

    /**
     * gamma, or null without {@code scale}; available once built.
     *
     * @return gamma, shape {@code (channels)}, or null when {@code scale(false)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter gamma() {
        outputShape();
        return gamma;
    }

    /**
     * beta, or null without {@code center}; available once built.
     *
     * @return beta, shape {@code (channels)}, or null when {@code center(false)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter beta() {
        outputShape();
        return beta;
    }

    /**
     * The moving mean, not trainable; available once built.
     *
     * @return Keras's {@code moving_mean}, shape {@code (channels)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter movingMean() {
        outputShape();
        return movingMean;
    }

    /**
     * The moving variance, not trainable; available once built.
     *
     * @return Keras's {@code moving_variance}, shape {@code (channels)}
     * @throws IllegalStateException before the layer is built
     */
    public Parameter movingVariance() {
        outputShape();
        return movingVariance;
    }

    /**
     * Checks that a training batch gives each channel more than one value.
     *
     * @param samples the number of samples in a training batch
     * @throws IllegalArgumentException when a batch of {@code samples} gives each channel a single value (one
     *     sample of vector input, or of 1x1 images): its variance is 0 and training would learn nothing from it
     */
    @Override
    public void checkTrainingBatch(int samples) {
        long values = (long) samples * (inputShape().size() / channels());
        if (isTrainable() && values < 2) {
            throw new IllegalArgumentException("layer '" + name() + "' (BatchNormalization) cannot train on a batch of "
                    + samples + " sample" + (samples == 1 ? "" : "s") + " of shape " + inputShape().toTuple("None")
                    + ": the batch statistics need more than one value per channel; use batches of at least 2 samples");
        }
    }

    /**
     * Batch statistics when the layer trains, the moving averages when it is frozen; see the class documentation.
     *
     * @param k unused: the layer runs its own loops, the same on every kernel path
     * @param lossGivesPreActivationGradient unused: the layer has no activation
     * @return a new step
     */
    @Internal
    @Override
    public Step newStep(Kernels k, boolean lossGivesPreActivationGradient) {
        return new NormalizationStep();
    }

    /**
     * The step: per-channel values shared by the shards (written only while no shard runs: in
     * {@link #prepare} and when the batch's forward totals are ready), and per shard the sums of
     * its last backward pass.
     */
    private final class NormalizationStep implements Step {
        private final int C = channels();
        private final int rowsPerSample = inputShape().size() / C;
        private final boolean trains = isTrainable();
        private final BatchSums sums = trains ? new BatchSums(2 * C + 1, 2 * C, this::batchStatisticsReady) : null;
        // the batch's statistics (training), and the moving averages' (inference): mean and 1 / sqrt(var + epsilon)
        private final float[] batchMean = new float[C];
        private final float[] batchInvStd = new float[C];
        private final float[] fixedMean = new float[C];
        private final float[] fixedInvStd = new float[C];
        /** gamma * invStd of the moving averages: the inference backward's factor */
        private final float[] fixedScale = new float[C];

        @Override
        public String describe() {
            return name() + ": batch normalization of " + C + " channels ("
                    + (trains ? "batch statistics in training" : "moving statistics, frozen") + ")";
        }

        @Override
        public BatchSums batchSums() {
            return sums;
        }

        @Override
        public int prepareParts() {
            return 1;
        }

        /** The moving averages' factors, remade before every forward pass. */
        @Override
        public void prepare(int part) {
            float[] mm = movingMean.value();
            float[] mv = movingVariance.value();
            for (int c = 0; c < C; c++) {
                fixedMean[c] = mm[c];
                double invStd = 1.0 / Math.sqrt(mv[c] + epsilon);
                fixedInvStd[c] = (float) invStd;
                fixedScale[c] = (float) (gammaAt(c) * invStd);
            }
        }

        private double gammaAt(int c) {
            return gamma == null ? 1.0 : gamma.value()[c];
        }

        /**
         * Once per training step, from the batch's totals: the statistics the shards normalise
         * with, and Keras's update of the moving averages, in float.
         */
        private void batchStatisticsReady() {
            double[] t = sums.forwardTotals();
            double count = t[2 * C];
            float keep = (float) momentum;
            float take = (float) (1.0 - momentum);
            float[] mm = movingMean.value();
            float[] mv = movingVariance.value();
            for (int c = 0; c < C; c++) {
                double mean = t[c] / count;
                double variance = Math.max(t[C + c] / count - mean * mean, 0.0);
                batchMean[c] = (float) mean;
                batchInvStd[c] = (float) (1.0 / Math.sqrt(variance + epsilon));
                mm[c] = mm[c] * keep + (float) mean * take;
                mv[c] = mv[c] * keep + (float) variance * take;
            }
            movingMean.markChanged();
            movingVariance.markChanged();
        }

        @Override
        public Step.Shard newShard(int capacity) {
            float[][] grads = trains ? new float[trainableWeights().size()][C] : NO_GRADS;
            // this shard's backward sums (sum of dy, then of dy * xhat), kept for its parameter gradients
            double[] ownSums = new double[2 * C];
            // per channel: gamma * invStd, and the batch means of dy and dy * xhat, for the input gradient
            float[] scaleOf = new float[C];
            float[] meanDy = new float[C];
            float[] meanDyXhat = new float[C];
            return new Step.Shard() {
                @Override
                public void forwardSums(double[] partial, float[] in, int n) {
                    Normalization.sums(partial, in, n * rowsPerSample, C);
                    partial[2 * C] = (double) n * rowsPerSample;
                }

                @Override
                public void forward(float[] out, float[] in, int n, boolean training, long noiseSeed, Scratch scratch) {
                    boolean batch = trains && training;
                    Normalization.normalize(out, in, n * rowsPerSample, C, batch ? batchMean : fixedMean,
                            batch ? batchInvStd : fixedInvStd, gamma == null ? null : gamma.value(),
                            beta == null ? null : beta.value());
                }

                @Override
                public void backwardSums(double[] partial, float[] dOut, float[] in, float[] out, int n) {
                    Normalization.gradientSums(partial, dOut, in, n * rowsPerSample, C, batchMean, batchInvStd);
                    System.arraycopy(partial, 0, ownSums, 0, 2 * C);
                }

                @Override
                public void backward(float[] dIn, float[] dOut, float[] in, float[] out, int n, Scratch scratch) {
                    int rows = n * rowsPerSample;
                    if (!trains) {
                        if (dIn != null) {
                            Normalization.fixedBackward(dIn, dOut, rows, C, fixedScale);
                        }
                        return;
                    }
                    int g = 0;
                    if (gamma != null) {
                        for (int c = 0; c < C; c++) {
                            grads[g][c] = (float) ownSums[C + c];
                        }
                        g++;
                    }
                    if (beta != null) {
                        for (int c = 0; c < C; c++) {
                            grads[g][c] = (float) ownSums[c];
                        }
                    }
                    if (dIn != null) {
                        double[] t = sums.backwardTotals();
                        double count = sums.forwardTotals()[2 * C];
                        for (int c = 0; c < C; c++) {
                            scaleOf[c] = (float) (gammaAt(c) * batchInvStd[c]);
                            meanDy[c] = (float) (t[c] / count);
                            meanDyXhat[c] = (float) (t[C + c] / count);
                        }
                        Normalization.batchBackward(dIn, dOut, in, rows, C, batchMean, batchInvStd, scaleOf, meanDy, meanDyXhat);
                    }
                }

                @Override
                public float[][] grads() {
                    return grads;
                }
            };
        }
    }
}
