package io.github.purecnn.data;

import io.github.purecnn.testing.Fixture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Against NumPy 1.24's legacy RandomState, from fixtures/numpy_legacy_shuffle.txt (make_numpy_shuffle.py). */
class LegacyRandomStateTest {
    private static final Fixture NUMPY = Fixture.load("numpy_legacy_shuffle.txt");

    private static long[] expected(String name) {
        double[] v = NUMPY.doubles(name);
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (long) v[i];
        }
        return out;
    }

    @Test
    void rawOutputsMatchNumpy() {
        for (long seed : new long[] {0, 1, 5489, 4294967295L}) {
            LegacyRandomState random = new LegacyRandomState(seed);
            long[] drawn = new long[8];
            for (int i = 0; i < drawn.length; i++) {
                drawn[i] = random.nextUint32();
            }
            assertArrayEquals(expected("raw_seed" + seed), drawn, "seed " + seed);
        }
    }

    @Test
    void shufflesMatchNumpy() {
        for (long seed : new long[] {0, 1, 42, 1337, 123456, 4294967295L}) {
            for (int n : new int[] {1, 2, 5, 10, 100, 1000}) {
                List<Integer> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    list.add(i);
                }
                new LegacyRandomState(seed).shuffle(list);
                assertArrayEquals(expected("perm_seed" + seed + "_n" + n),
                        list.stream().mapToLong(Integer::longValue).toArray(), "seed " + seed + ", n " + n);
            }
        }
    }

    @Test
    void seedsOutsideNumpysRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LegacyRandomState(-1));
        assertThrows(IllegalArgumentException.class, () -> new LegacyRandomState(1L << 32));
    }
}
