package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;

import java.nio.ByteBuffer;

/** Samples held as unsigned bytes in one array, one byte per value, handed out through a {@link PixelScale}. */
final class ByteSamples implements SampleStore {
    /** The most bytes one Java array holds on common JVMs: the limit of one in-memory data set. */
    static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    private final byte[] bytes;
    private final Shape sampleShape;
    private final int sampleSize;
    private final PixelScale scale;
    private final float[] table;

    /** Takes ownership of {@code bytes}, whose length the caller has checked to be a whole number of samples. */
    ByteSamples(byte[] bytes, Shape sampleShape, PixelScale scale) {
        this.bytes = bytes;
        this.sampleShape = sampleShape;
        this.sampleSize = sampleShape.size();
        this.scale = scale;
        this.table = scale.table();
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public int count() {
        return bytes.length / sampleSize;
    }

    @Override
    public void copy(int s, float[] dst, int offset) {
        int src = s * sampleSize;
        for (int k = 0; k < sampleSize; k++) {
            dst[offset + k] = table[bytes[src + k] & 0xFF];
        }
    }

    @Override
    public PixelScale byteScale() {
        return scale;
    }

    @Override
    public void writeRaw(int s, ByteBuffer out) {
        out.put(bytes, s * sampleSize, sampleSize);
    }

    @Override
    public String describe() {
        return "bytes in memory";
    }
}
