package io.github.purecnn.spark;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.data.PixelScale;
import io.github.purecnn.data.Targets;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;

import java.io.Serializable;

/**
 * The images of one shard of one step, in the order of the batch, gathered on the partition
 * that computes it: raw pixel bytes or floats, as the examples came.
 */
final class ShardImages implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int step;
    private final int shard;
    private final int firstPosition;
    private final int imageSize;
    private final int[] labels;
    private final boolean[] present;
    private byte[] pixels;
    private float[] values;
    private int filled;

    ShardImages(int step, int shard, int firstPosition, int count, int imageSize) {
        this.step = step;
        this.shard = shard;
        this.firstPosition = firstPosition;
        this.imageSize = imageSize;
        this.labels = new int[count];
        this.present = new boolean[count];
    }

    int step() {
        return step;
    }

    int shard() {
        return shard;
    }

    /** Puts {@code example} at place {@code index} of the shard. */
    void put(int index, Example example) {
        int position = firstPosition + index;
        if (present[index]) {
            throw new IllegalStateException("two images for position " + position + " of the epoch's order (the second"
                    + " is row " + example.index() + "): the training data gave other rows when read again");
        }
        if (example.pixels() != null) {
            if (values != null) {
                throw new IllegalStateException("row " + example.index() + " holds bytes, others floats");
            }
            if (pixels == null) {
                pixels = new byte[labels.length * imageSize];
            }
            System.arraycopy(example.pixels(), 0, pixels, index * imageSize, imageSize);
        } else {
            if (pixels != null) {
                throw new IllegalStateException("row " + example.index() + " holds floats, others bytes");
            }
            if (values == null) {
                values = new float[labels.length * imageSize];
            }
            System.arraycopy(example.values(), 0, values, index * imageSize, imageSize);
        }
        labels[index] = example.label();
        present[index] = true;
        filled++;
    }

    /**
     * Checks that every place is filled.
     *
     * @throws IllegalStateException naming the first position of the epoch's order with no image
     */
    void requireComplete() {
        if (filled == labels.length) {
            return;
        }
        int missing = 0;
        while (present[missing]) {
            missing++;
        }
        throw new IllegalStateException("no image for position " + (firstPosition + missing) + " of the epoch's order"
                + " (step " + step + ", shard " + shard + "; " + (labels.length - filled) + " of its " + labels.length
                + " missing): the training data gave other rows when read again; give training a deterministic source,"
                + " or cache it");
    }

    /** The shard as a data set of its images in batch order, as the core's worker takes it. */
    Dataset dataset(Shape inputShape, int classes) {
        Targets targets = Targets.classes(labels, classes);
        if (pixels != null) {
            return Dataset.ofBytes(pixels, inputShape, PixelScale.UNIT, targets);
        }
        return Dataset.of(new Tensor(inputShape.withBatch(labels.length), values), targets);
    }
}
