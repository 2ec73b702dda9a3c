package io.github.purecnn.runtime;

/**
 * A step's packed copy of a kernel (the layout its plan reads), and which version of the kernel's
 * values it was packed from, so that {@link Step#prepare} repacks only after a change.
 */
public final class PackedKernel {
    private final float[] values;
    private long packedVersion = -1;

    public PackedKernel(int size) {
        this.values = new float[size];
    }

    /** The packed values, shared read-only by all shards between two prepares. */
    public float[] values() {
        return values;
    }

    /** Whether the kernel's values of {@code version} still need packing; from now on they count as packed. */
    public boolean stale(long version) {
        if (version == packedVersion) {
            return false;
        }
        packedVersion = version;
        return true;
    }
}
