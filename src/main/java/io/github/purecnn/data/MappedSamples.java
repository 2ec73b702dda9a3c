package io.github.purecnn.data;

import io.github.purecnn.tensor.Shape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Samples read straight from a memory-mapped file, unsigned bytes (through a {@link PixelScale})
 * or little-endian float32: the operating system pages them in and out, so a data set of many
 * gigabytes costs the Java heap nothing.
 *
 * <p>One mapping holds at most 2 GiB, so the file is mapped in regions of whole samples (a sample
 * never straddles two regions). Reads use absolute gets only, which leave the buffers' positions
 * alone: any number of threads may read at once.
 */
final class MappedSamples implements SampleStore {
    /** Bytes per mapped region, at most: 1 GiB, well inside a mapping's 2 GiB limit. */
    static final long REGION_BYTES = 1L << 30;

    private final MappedByteBuffer[] regions;
    private final int perRegion;
    private final int count;
    private final Shape sampleShape;
    private final int sampleSize;
    private final int sampleBytes;
    /** Null for float32 samples. */
    private final PixelScale scale;
    private final float[] table;

    /**
     * Maps {@code count} samples starting at byte {@code offset} of {@code channel}, which the
     * caller has checked holds them. The mappings stay valid after the channel is closed.
     *
     * @param scale the scale of unsigned-byte samples, or null for float32 samples
     */
    MappedSamples(FileChannel channel, long offset, int count, Shape sampleShape, PixelScale scale) throws IOException {
        this(channel, offset, count, sampleShape, scale, REGION_BYTES);
    }

    /** As above, with regions of at most {@code regionBytes}: tests cross region boundaries without gigabytes. */
    MappedSamples(FileChannel channel, long offset, int count, Shape sampleShape, PixelScale scale, long regionBytes)
            throws IOException {
        this.count = count;
        this.sampleShape = sampleShape;
        this.sampleSize = sampleShape.size();
        this.scale = scale;
        this.table = scale == null ? null : scale.table();
        long bytes = (long) sampleSize * (scale == null ? Float.BYTES : 1);
        if (bytes > regionBytes) {
            throw new IllegalArgumentException("one sample of shape " + sampleShape + " takes " + bytes
                    + " bytes, more than a mapped region of " + regionBytes);
        }
        this.sampleBytes = (int) bytes;
        this.perRegion = (int) (regionBytes / sampleBytes);
        int regionCount = (int) ((count + (long) perRegion - 1) / perRegion);
        this.regions = new MappedByteBuffer[regionCount];
        for (int r = 0; r < regionCount; r++) {
            int samples = Math.min(perRegion, count - r * perRegion);
            MappedByteBuffer region = channel.map(FileChannel.MapMode.READ_ONLY,
                    offset + (long) r * perRegion * sampleBytes, (long) samples * sampleBytes);
            region.order(ByteOrder.LITTLE_ENDIAN);
            regions[r] = region;
        }
    }

    @Override
    public Shape sampleShape() {
        return sampleShape;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public void copy(int s, float[] dst, int offset) {
        MappedByteBuffer region = regions[s / perRegion];
        int base = (s % perRegion) * sampleBytes;
        if (table != null) {
            for (int k = 0; k < sampleSize; k++) {
                dst[offset + k] = table[region.get(base + k) & 0xFF];
            }
        } else {
            for (int k = 0; k < sampleSize; k++) {
                dst[offset + k] = region.getFloat(base + Float.BYTES * k);
            }
        }
    }

    @Override
    public PixelScale byteScale() {
        return scale;
    }

    @Override
    public void writeRaw(int s, ByteBuffer out) {
        MappedByteBuffer region = regions[s / perRegion];
        out.put(region.slice((s % perRegion) * sampleBytes, sampleBytes));
    }

    @Override
    public String describe() {
        return scale != null ? "mapped bytes" : "mapped floats";
    }
}
