package io.github.purecnn.kernels;

/**
 * Working memory for one thread's kernel calls: plans declare how much a call needs, the engine
 * gives each of its threads one scratch of the largest size any of its plans declared, so calls
 * allocate nothing and threads never share it. Contents do not survive from one call to the next.
 *
 * <p>Besides flat arrays of floats and ints, a scratch holds rows: separate float arrays of one
 * length. HotSpot's auto-vectoriser (JDK 17) compiles a loop to vector instructions only when
 * every array in it is indexed by the same expression, so data streams that one loop reads side by
 * side (an output row and the input rows added into it) must each start at index 0 of an array
 * of its own rather than at different offsets of one.
 */
public final class Scratch {
    private final float[] floats;
    private final int[] ints;
    private final float[][] rows;

    /** A scratch for calls over up to n images of whatever declared {@code needs}. */
    public Scratch(ScratchNeeds needs, int n) {
        this.floats = new float[needs.scratchFloats(n)];
        this.ints = new int[needs.scratchInts(n)];
        this.rows = new float[needs.scratchRows(n)][needs.scratchRowLength(n)];
    }

    public float[] floats() {
        return floats;
    }

    public int[] ints() {
        return ints;
    }

    /** The rows, each its own array of the declared length. */
    public float[][] rows() {
        return rows;
    }
}
