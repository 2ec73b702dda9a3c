package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The arguments of {@code fit}, with Keras's names and defaults (1 epoch, batch size 32,
 * shuffled, verbose progress, no sample or class weights):
 * <pre>{@code model.fit(train, new FitOptions().epochs(10).batchSize(64).validationData(test))}</pre>
 */
public final class FitOptions {
    /** Keras's defaults, which the setters change. */
    public FitOptions() {
    }

    private int epochs = 1;
    private int batchSize = 32;
    private boolean shuffle = true;
    private Dataset validationData;
    private double validationSplit;
    private int verbose = 1;
    private PrintStream progressStream = System.out;
    private final List<Callback> callbacks = new ArrayList<>();
    private float[] sampleWeight;
    private Map<Integer, Double> classWeight;

    /**
     * Keras's {@code epochs}: how many passes over the data (1 by default, at least 1).
     *
     * @param n the number of epochs this fit runs, unless a callback stops it earlier
     * @return these options
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public FitOptions epochs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, found " + n);
        }
        epochs = n;
        return this;
    }

    /**
     * Keras's {@code batch_size} (32 by default, at least 1).
     *
     * @param n the samples per gradient update; the last batch of an epoch holds the rest, and a
     *     size above the number of training samples makes one batch of them all
     * @return these options
     * @throws IllegalArgumentException if {@code n} is below 1
     */
    public FitOptions batchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, found " + n);
        }
        batchSize = n;
        return this;
    }

    /**
     * Whether to shuffle the training images before each epoch (with the model's seed).
     *
     * @param on true, Keras's default, for a new order each epoch (the same in every run of the
     *     same seed); false to take the samples in the data set's order
     * @return these options
     */
    public FitOptions shuffle(boolean on) {
        shuffle = on;
        return this;
    }

    /**
     * Data to evaluate after each epoch; replaces any validation split. Keras's {@code validation_data}:
     * the epoch logs then hold {@code val_loss} and {@code val_} of each metric.
     *
     * @param data the validation samples, of the model's input shape and the training data's kind
     *     of targets; never trained on
     * @return these options
     */
    public FitOptions validationData(Dataset data) {
        validationData = Objects.requireNonNull(data, "validation data");
        validationSplit = 0;
        return this;
    }

    /**
     * The fraction of the training data, taken from its end before shuffling, held out for
     * validation: Keras's {@code validation_split}, 0 by default. Replaces any validation data.
     *
     * @param fraction in [0, 1); {@code fit} fails if it leaves no sample for validation or for training
     * @return these options
     * @throws IllegalArgumentException if {@code fraction} is not in [0, 1)
     */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation split must be in [0, 1), found " + fraction);
        }
        validationSplit = fraction;
        validationData = null;
        return this;
    }

    /**
     * 0 silent, 1 a progress bar redrawn in place (plain lines off a terminal), 2 one line per epoch.
     *
     * @param level Keras's {@code verbose}: 0, 1 (the default) or 2
     * @return these options
     * @throws IllegalArgumentException for any other level
     */
    public FitOptions verbose(int level) {
        if (level < 0 || level > 2) {
            throw new IllegalArgumentException("verbose must be 0, 1 or 2, found " + level);
        }
        verbose = level;
        return this;
    }

    /**
     * Where progress goes: standard output by default, as in Keras.
     *
     * @param stream the stream the progress lines are printed to (not closed)
     * @return these options
     */
    public FitOptions progressStream(PrintStream stream) {
        progressStream = Objects.requireNonNull(stream, "progress stream");
        return this;
    }

    /**
     * Keras's {@code sample_weight}: one weight per training sample, in the data set's order
     * (copied). Each sample's loss is multiplied by its weight and the batch's sum divided by the
     * batch size (not by the weights' sum), as Keras's default reduction; metrics become weighted
     * means. A validation split keeps the held-out samples' weights for the validation loss.
     *
     * @param weights one weight per training sample, finite and at least 0 ({@code fit} checks the
     *     count and the values, naming the first bad one)
     * @return these options
     * @throws IllegalArgumentException when class weights are set (Keras takes one or the other)
     */
    public FitOptions sampleWeight(float[] weights) {
        if (classWeight != null) {
            throw new IllegalArgumentException("cannot set sample_weight and class_weight at the same time (as Keras)");
        }
        sampleWeight = Objects.requireNonNull(weights, "sample weights").clone();
        return this;
    }

    /**
     * Keras's {@code class_weight}: a weight per class index (copied); each training sample is
     * weighted by its class's weight (1 for classes not listed), as with {@link #sampleWeight}.
     * Validation data is not weighted.
     *
     * @param weights the weight of each class index, such as {@code Map.of(0, 1.0, 1, 5.0)} to weigh
     *     class 1 five times as much
     * @return these options
     * @throws IllegalArgumentException for a negative class, a weight that is not finite or below
     *     0, or when sample weights are set
     */
    public FitOptions classWeight(Map<Integer, Double> weights) {
        if (sampleWeight != null) {
            throw new IllegalArgumentException("cannot set sample_weight and class_weight at the same time (as Keras)");
        }
        for (Map.Entry<Integer, Double> e : weights.entrySet()) {
            if (e.getKey() == null || e.getKey() < 0) {
                throw new IllegalArgumentException("class_weight: classes are indices from 0, found " + e.getKey());
            }
            if (e.getValue() == null || !(e.getValue() >= 0) || e.getValue().isInfinite()) {
                throw new IllegalArgumentException("class_weight: the weight of class " + e.getKey() + " is "
                        + e.getValue() + ", expected a finite number of at least 0");
            }
        }
        classWeight = Map.copyOf(weights);
        return this;
    }

    /**
     * Adds callbacks, called in the order given.
     *
     * @param more the callbacks, after any added before
     * @return these options
     */
    public FitOptions callbacks(Callback... more) {
        for (Callback c : more) {
            callbacks.add(Objects.requireNonNull(c, "callback"));
        }
        return this;
    }

    /**
     * The number of epochs.
     *
     * @return at least 1; 1 unless set
     */
    public int epochs() {
        return epochs;
    }

    /**
     * The batch size.
     *
     * @return at least 1; 32 unless set
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Whether each epoch shuffles the training data.
     *
     * @return true unless turned off
     */
    public boolean shuffle() {
        return shuffle;
    }

    /**
     * The validation data; null when none was given.
     *
     * @return the data set, or null
     */
    public Dataset validationData() {
        return validationData;
    }

    /**
     * The fraction of the training data held out for validation; 0 for none.
     *
     * @return the fraction, in [0, 1)
     */
    public double validationSplit() {
        return validationSplit;
    }

    /**
     * Keras's {@code verbose}: 0 silent, 1 a progress bar, 2 one line per epoch.
     *
     * @return 0, 1 or 2; 1 unless set
     */
    public int verbose() {
        return verbose;
    }

    /**
     * Where progress is printed.
     *
     * @return the stream; {@code System.out} unless set
     */
    public PrintStream progressStream() {
        return progressStream;
    }

    /**
     * The callbacks, in order.
     *
     * @return a new unmodifiable list of them
     */
    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    /**
     * The sample weights (a copy), or null.
     *
     * @return a new array of one weight per training sample, or null when none were set
     */
    public float[] sampleWeight() {
        return sampleWeight == null ? null : sampleWeight.clone();
    }

    /**
     * The class weights, or null.
     *
     * @return an unmodifiable map from class index to weight, or null when none were set
     */
    public Map<Integer, Double> classWeight() {
        return classWeight;
    }
}
