package io.github.purecnn.data;

import java.util.List;

/**
 * NumPy's legacy {@code numpy.random.RandomState(seed)}: the Mersenne Twister MT19937 seeded as
 * NumPy seeds it from one integer, and its {@code shuffle}. Keras's
 * {@code image_dataset_from_directory} shuffles its file paths with exactly this before it splits
 * them into training and validation, so reproducing Keras's split needs it bit for bit.
 *
 * <p>Checked against NumPy's own outputs in {@code fixtures/numpy_legacy_shuffle.txt} (raw draws
 * and permutations for several seeds and lengths, made by the script beside it).
 */
final class LegacyRandomState {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int index;

    /**
     * {@code RandomState(seed)}: MT19937's {@code init_genrand(seed)}, which NumPy uses for an
     * integer seed.
     *
     * @param seed 0 to 2^32 - 1, as NumPy requires
     */
    LegacyRandomState(long seed) {
        if (seed < 0 || seed > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("seed must be between 0 and 2^32 - 1 (NumPy's RandomState), found "
                    + seed);
        }
        mt[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    /** The next 32-bit output, as an unsigned value in a long. */
    long nextUint32() {
        if (index >= N) {
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xFFFFFFFFL;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & UPPER_MASK) | (mt[(i + 1) % N] & LOWER_MASK);
            mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        index = 0;
    }

    /**
     * A uniform integer in {@code [0, max]}, as NumPy's {@code random_interval}: draws masked to
     * the smallest all-ones mask covering {@code max}, rejected until one is at most {@code max}.
     */
    long interval(long max) {
        if (max == 0) {
            return 0;
        }
        long mask = max;
        mask |= mask >>> 1;
        mask |= mask >>> 2;
        mask |= mask >>> 4;
        mask |= mask >>> 8;
        mask |= mask >>> 16;
        long value;
        do {
            value = nextUint32() & mask;
        } while (value > max);
        return value;
    }

    /**
     * {@code RandomState.shuffle(x)} of a list or 1-D array: for i from n - 1 down to 1, swap
     * element i with element {@code interval(i)}.
     */
    <T> void shuffle(List<T> x) {
        for (int i = x.size() - 1; i > 0; i--) {
            int j = (int) interval(i);
            T t = x.get(i);
            x.set(i, x.get(j));
            x.set(j, t);
        }
    }
}
