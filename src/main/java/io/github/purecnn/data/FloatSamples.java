package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;

import java.nio.ByteBuffer;

/** Samples held as floats in one array, handed out unchanged. */
final class FloatSamples implements SampleStore {
    private final float[] values;
    private final Shape sampleShape;
    private final int sampleSize;

    /** Takes ownership of {@code values}, whose length the caller has checked to be a whole number of samples. */
    FloatSamples(float[] values, Shape sampleShape) {
        this.values = values;
        this.sampleShape = sampleShape;
        this.sampleSize = sampleShape.size();
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public int count() {
        return values.length / sampleSize;
    }

    @Override
    public void copy(int s, float[] dst, int offset) {
        System.arraycopy(values, s * sampleSize, dst, offset, sampleSize);
    }

    @Override
    public PixelScale byteScale() {
        return null;
    }

    @Override
    public void writeRaw(int s, ByteBuffer out) {
        int from = s * sampleSize;
        for (int k = 0; k < sampleSize; k++) {
            out.putFloat(values[from + k]);
        }
    }

    @Override
    public String describe() {
        return "floats in memory";
    }
}
