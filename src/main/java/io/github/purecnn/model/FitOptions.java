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

    public FitOptions epochs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, found " + n);
        }
        epochs = n;
        return this;
    }

    public FitOptions batchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, found " + n);
        }
        batchSize = n;
        return this;
    }

    /** Whether to shuffle the training images before each epoch (with the model's seed). */
    public FitOptions shuffle(boolean on) {
        shuffle = on;
        return this;
    }

    /** Data to evaluate after each epoch; replaces any validation split. */
    public FitOptions validationData(Dataset data) {
        validationData = Objects.requireNonNull(data, "validation data");
        validationSplit = 0;
        return this;
    }

    /** The fraction of the training data, taken from its end before shuffling, held out for validation. */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation split must be in [0, 1), found " + fraction);
        }
        validationSplit = fraction;
        validationData = null;
        return this;
    }

    /** 0 silent, 1 a progress bar redrawn in place (plain lines off a terminal), 2 one line per epoch. */
    public FitOptions verbose(int level) {
        if (level < 0 || level > 2) {
            throw new IllegalArgumentException("verbose must be 0, 1 or 2, found " + level);
        }
        verbose = level;
        return this;
    }

    /** Where progress goes: standard output by default, as in Keras. */
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

    public FitOptions callbacks(Callback... more) {
        for (Callback c : more) {
            callbacks.add(Objects.requireNonNull(c, "callback"));
        }
        return this;
    }

    public int epochs() {
        return epochs;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean shuffle() {
        return shuffle;
    }

    public Dataset validationData() {
        return validationData;
    }

    public double validationSplit() {
        return validationSplit;
    }

    public int verbose() {
        return verbose;
    }

    public PrintStream progressStream() {
        return progressStream;
    }

    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    /** The sample weights (a copy), or null. */
    public float[] sampleWeight() {
        return sampleWeight == null ? null : sampleWeight.clone();
    }

    /** The class weights, or null. */
    public Map<Integer, Double> classWeight() {
        return classWeight;
    }
}
