package io.github.purecnn.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both ways of {@link IndexedCopy} (vector gathers, scalars) against a plain loop, whichever this
 * machine uses in training: counts below, at and past whole vectors, with and without a factor,
 * and nothing written outside [dstAt, dstAt + count).
 */
class IndexedCopyTest {
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void copiesAsThePlainLoop(boolean byVectors) {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int count : new int[] {0, 1, 7, 8, 9, 16, 17, 33, 1014}) {
            float[] src = KernelChecks.random(rnd, 2 * count + 5, 0);
            int srcAt = 3, dstAt = 2;
            int[] map = new int[count];
            float[] factor = new float[count];
            for (int i = 0; i < count; i++) {
                map[i] = rnd.nextInt(src.length - srcAt);
                factor[i] = rnd.nextInt(3) * 0.25f;
            }
            for (float[] f : new float[][] {null, factor}) {
                float[] expected = new float[count + 4];
                Arrays.fill(expected, KernelChecks.SENTINEL);
                for (int i = 0; i < count; i++) {
                    expected[dstAt + i] = f == null ? src[srcAt + map[i]] : src[srcAt + map[i]] * f[i];
                }
                float[] dst = new float[count + 4];
                Arrays.fill(dst, KernelChecks.SENTINEL);
                IndexedCopy.gather(dst, dstAt, src, srcAt, map, f, count, byVectors);
                assertArrayEquals(expected, dst, "count " + count + (f == null ? "" : " with factor") + (byVectors ? " by vectors" : " by scalars"));
            }
        }
    }
}
