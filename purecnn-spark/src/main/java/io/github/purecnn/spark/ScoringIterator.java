package io.github.purecnn.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Scores one partition in batches, lazily: it reads up to a batch of items from the partition
 * into one float buffer, predicts them in one call on the task's thread, hands out their results,
 * then reads the next batch. A partition of any size thus holds at most one batch of items and
 * images in memory, and the two buffers (images, probabilities) are made once per task: what a
 * row costs beyond them is its result's own probabilities array.
 *
 * <p>An item that cannot be read fails the task with a message naming it: its position in the
 * partition, the partition, and whatever {@link #describe} adds (an id column's value).
 *
 * @param <I> what the partition holds
 * @param <O> what scoring makes of each item
 */
abstract class ScoringIterator<I, O> implements Iterator<O> {
    private final Iterator<I> source;
    private final ModelPredictor predictor;
    private final int batchSize;
    private final String unit;
    private final int partition;
    private final List<I> batch;
    private float[] images;
    private float[] probabilities;
    private int next;
    private long read;

    /**
     * @param unit what an item is called in error messages ("row", "image")
     * @param partition the partition's index, named in error messages
     */
    ScoringIterator(Iterator<I> source, ModelPredictor predictor, int batchSize, String unit, int partition) {
        this.source = source;
        this.unit = unit;
        this.predictor = predictor;
        this.batchSize = batchSize;
        this.partition = partition;
        this.batch = new ArrayList<>(batchSize);
    }

    /**
     * Writes the item's image into {@code into[offset .. offset + imageSize)}.
     *
     * @throws IllegalArgumentException when the item does not hold an image that fits the model
     * @throws IOException when the item names an image file that cannot be read
     */
    protected abstract void readImage(I item, float[] into, int offset) throws IOException;

    /** The result for an item, given its class probabilities (its own array) and the predicted class. */
    protected abstract O result(I item, float[] probabilities, int predicted);

    /** What names the item besides its position, such as {@code " (id = 17)"}; empty by default. */
    protected String describe(I item) {
        return "";
    }

    @Override
    public boolean hasNext() {
        if (next < batch.size()) {
            return true;
        }
        if (!source.hasNext()) {
            return false;
        }
        readBatch();
        return true;
    }

    @Override
    public O next() {
        if (!hasNext()) {
            throw new NoSuchElementException("partition " + partition + " has no more items");
        }
        int classes = predictor.classes();
        float[] p = Arrays.copyOfRange(probabilities, next * classes, (next + 1) * classes);
        return result(batch.get(next++), p, argmax(p));
    }

    private void readBatch() {
        if (images == null) {
            images = new float[batchSize * predictor.imageSize()];
            probabilities = new float[batchSize * predictor.classes()];
        }
        batch.clear();
        while (batch.size() < batchSize && source.hasNext()) {
            I item = source.next();
            try {
                readImage(item, images, batch.size() * predictor.imageSize());
            } catch (IOException e) {
                throw new UncheckedIOException(where(item) + ": " + e.getMessage(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where(item) + ": " + e.getMessage(), e);
            }
            batch.add(item);
            read++;
        }
        predictor.predict(images, batch.size(), probabilities);
        next = 0;
    }

    private String where(I item) {
        return unit + " " + read + " of partition " + partition + describe(item);
    }

    /** The first index of the largest value, as NumPy's {@code argmax} for values without NaN. */
    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
