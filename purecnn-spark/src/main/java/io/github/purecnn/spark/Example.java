package io.github.purecnn.spark;

import java.io.Serializable;

/**
 * One training image as the trainer keeps it on the executors: its index in the data (the
 * number a one-machine data set of the same rows in the same order gives it), its class, and its
 * values, either raw pixel bytes (read as {@code b / 255f}) or floats.
 *
 * @param index  its row number in the training data, from 0
 * @param label  its class, in {@code [0, classes)}
 * @param pixels raw pixel bytes, NHWC, or null
 * @param values floats, NHWC, or null when {@code pixels} holds the image
 */
record Example(long index, int label, byte[] pixels, float[] values) implements Serializable {

    /**
     * {@code value} as a class of a model with {@code classes} outputs.
     *
     * @param what names the value in the message, such as "column 'label'"
     * @throws IllegalArgumentException naming it when it is outside {@code [0, classes)}
     */
    static int label(long value, int classes, String what) {
        if (value < 0 || value >= classes) {
            throw new IllegalArgumentException(what + " holds " + value + ", outside the model's classes [0, " + classes
                    + ")");
        }
        return (int) value;
    }
}
