package io.github.purecnn.layers;

/**
 * The random numbers of the layers that draw during training (Dropout, the random augmentation
 * layers): a counter-based stream per shard and layer of a training step, so that a draw depends
 * on the model's seed, the step, the shard, the layer and the draw's index, never on the thread
 * that runs it. Draw {@code i} of a stream is the top 24 bits of the SplitMix64 finaliser of
 * {@code stream + (i + 1) * 0x9E3779B97F4A7C15}.
 */
final class Noise {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Noise() {
    }

    /**
     * The stream of a step's noise seed. Mixed first: callers derive seeds for neighbouring shards
     * and layers by small increments, and unmixed their counter streams would be shifted copies of
     * each other.
     */
    static long stream(long noiseSeed) {
        return mix(noiseSeed);
    }

    /** Draw {@code index} of the stream: 24 random bits, 0 .. 2^24 - 1. */
    static int bits(long stream, long index) {
        return (int) (mix(stream + (index + 1) * GOLDEN) >>> 40);
    }

    /** Draw {@code index} as a float uniform in [0, 1): {@code bits * 2^-24}, exact. */
    static float uniform(long stream, long index) {
        return bits(stream, index) * 0x1.0p-24f;
    }

    /**
     * Draw {@code index} as a float in [lo, hi) as Keras's {@code random.uniform(minval, maxval)}
     * computes it, in float: {@code lo + (hi - lo) * u}, each operation rounded.
     */
    static float uniform(long stream, long index, float lo, float hi) {
        return lo + (hi - lo) * uniform(stream, index);
    }

    /** Draw {@code index} as an integer uniform in [0, bound): {@code bits * bound >> 24}, in integers. */
    static int below(long stream, long index, int bound) {
        return (int) (((long) bits(stream, index) * bound) >>> 24);
    }

    /** The SplitMix64 finaliser: a well-mixed 64-bit value from a counter. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
