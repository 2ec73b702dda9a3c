package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;

import java.nio.ByteBuffer;

/**
 * Where a data set's inputs live: a flat run of samples of one shape, each read out as floats.
 * Implementations never change after construction, so any number of threads may read them.
 */
interface SampleStore {
    /** The shape of one sample. */
    Shape sampleShape();

    /** How many samples are stored. */
    int count();

    /**
     * Writes sample {@code s} as floats into {@code dst[offset, offset + sampleShape().size())}.
     * Allocates nothing.
     */
    void copy(int s, float[] dst, int offset);

    /**
     * The scale of a store of unsigned bytes, or null for a store of floats. Says how
     * {@link #writeRaw} encodes a sample: one byte per value, or four (float32, little-endian).
     */
    PixelScale byteScale();

    /** Puts sample {@code s} in its stored encoding (see {@link #byteScale}) into {@code out}. */
    void writeRaw(int s, ByteBuffer out);

    /** How the samples are held, for messages: {@code "bytes in memory"}, {@code "mapped bytes"}. */
    String describe();
}
