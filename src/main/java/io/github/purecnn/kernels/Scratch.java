package io.github.purecnn.kernels;

/**
 * Working memory for one thread's kernel calls: plans declare how much a call needs, the engine
 * gives each of its threads one scratch of the largest size any of its plans declared, so calls
 * allocate nothing and threads never share it. Contents do not survive from one call to the next.
 */
public final class Scratch {
    private final float[] floats;
    private final int[] ints;

    public Scratch(int floats, int ints) {
        this.floats = new float[floats];
        this.ints = new int[ints];
    }

    public float[] floats() {
        return floats;
    }

    public int[] ints() {
        return ints;
    }
}
