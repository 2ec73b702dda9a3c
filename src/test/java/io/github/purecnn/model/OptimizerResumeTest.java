package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.layers.Parameter;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adagrad;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.optimizers.AdamW;
import io.github.purecnn.optimizers.Adamax;
import io.github.purecnn.optimizers.Nadam;
import io.github.purecnn.optimizers.Optimizer;
import io.github.purecnn.optimizers.RMSprop;
import io.github.purecnn.optimizers.SGD;
import io.github.purecnn.optimizers.schedules.CosineDecay;
import io.github.purecnn.optimizers.schedules.InverseTimeDecay;
import io.github.purecnn.optimizers.schedules.PiecewiseConstantDecay;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every optimizer, with its clipping, weight decay and schedule, goes through the model file and
 * resumes training bit for bit, and trains to the same bits with one thread and with three.
 */
class OptimizerResumeTest {
    private static final Map<String, Supplier<Optimizer>> OPTIMIZERS = new LinkedHashMap<>();

    static {
        OPTIMIZERS.put("SGD momentum, piecewise schedule, weight decay", () -> new SGD(
                new PiecewiseConstantDecay(new long[] {3}, new double[] {0.05, 0.02})).momentum(0.9).weightDecay(0.01));
        OPTIMIZERS.put("Adam AMSGrad, clipvalue", () -> new Adam(0.01).amsgrad(true).clipvalue(0.05));
        OPTIMIZERS.put("AdamW, cosine schedule with warm-up, clipnorm",
                () -> new AdamW(new CosineDecay(0.001, 20, 0.1, 0.01, 3)).clipnorm(0.5));
        OPTIMIZERS.put("RMSprop centered, momentum", () -> new RMSprop(0.005).rho(0.8).momentum(0.5).centered(true));
        OPTIMIZERS.put("Nadam, global_clipnorm", () -> new Nadam(0.01).globalClipnorm(0.3));
        OPTIMIZERS.put("Adagrad, inverse-time schedule", () -> new Adagrad(new InverseTimeDecay(0.1, 2, 0.5)));
        OPTIMIZERS.put("Adamax, weight decay", () -> new Adamax(0.02).weightDecay(0.05));
    }

    @TempDir
    Path dir;

    static List<String> optimizers() {
        return List.copyOf(OPTIMIZERS.keySet());
    }

    private static Sequential compiled(String optimizer, int threads) {
        Sequential m = GoldenModelFileTest.tiny(21).threads(threads);
        m.compile(OPTIMIZERS.get(optimizer).get(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        return m;
    }

    private static Dataset data() {
        return Dataset.of(GoldenModelFileTest.inputs(40), GoldenModelFileTest.labels(40), 3);
    }

    private static FitOptions oneEpoch() {
        return new FitOptions().epochs(1).batchSize(20).verbose(0);   // two steps of shards 16 + 4
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void resumesFromTheFileAsIfNeverStopped(String optimizer) throws IOException {
        Sequential uninterrupted = compiled(optimizer, 2);
        uninterrupted.fit(data(), oneEpoch().epochs(3));

        Sequential first = compiled(optimizer, 2);
        first.fit(data(), oneEpoch());
        Path file = dir.resolve("m.purecnn");
        first.save(file);
        Sequential resumed = Sequential.load(file);
        assertEquals(first.optimizer().config(), resumed.optimizer().config());
        assertEquals(first.optimizer().scalars(), resumed.optimizer().scalars());
        resumed.fit(data(), oneEpoch().epochs(2));

        assertSameWeights(uninterrupted, resumed);
        assertEquals(6, resumed.optimizer().iterations());
        assertEquals(uninterrupted.optimizer().learningRate(), resumed.optimizer().learningRate());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void theThreadCountChangesNoBit(String optimizer) {
        Sequential one = compiled(optimizer, 1);
        Sequential three = compiled(optimizer, 3);
        one.fit(data(), oneEpoch().epochs(2));
        three.fit(data(), oneEpoch().epochs(2));
        assertSameWeights(one, three);
    }

    private static void assertSameWeights(Sequential expected, Sequential actual) {
        List<Parameter> want = expected.parameters();
        List<Parameter> got = actual.parameters();
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i).value(), got.get(i).value(), want.get(i).path());
        }
    }
}
