package io.github.purecnn.model;

import io.github.purecnn.data.Dataset;
import io.github.purecnn.kernels.JavaKernels;
import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import io.github.purecnn.kernels.ReferenceKernels;
import io.github.purecnn.layers.Activation;
import io.github.purecnn.layers.AveragePooling2D;
import io.github.purecnn.layers.BatchNormalization;
import io.github.purecnn.layers.Conv2D;
import io.github.purecnn.layers.Dense;
import io.github.purecnn.layers.Dropout;
import io.github.purecnn.layers.Flatten;
import io.github.purecnn.layers.MaxPooling2D;
import io.github.purecnn.layers.Padding;
import io.github.purecnn.losses.Loss;
import io.github.purecnn.optimizers.Adam;
import io.github.purecnn.tensor.Shape;
import io.github.purecnn.tensor.Tensor;
import io.github.purecnn.testing.ScaleLayer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The predictor's contract: the same bits as {@link Sequential#predict} from many threads at
 * once, single samples and batches mixed; no thread started by a call and at most
 * {@code maxConcurrentCalls} lanes kept; a snapshot that training does not touch; misuse refused
 * naming the shapes and sizes.
 */
class PredictorTest {
    private static final Shape INPUT = Shape.of(12, 12, 2);

    /** A small CNN with every kind of step inference meets: convolutions, pooling, batch normalisation, dropout, a reshape. */
    private static Sequential model() {
        return new Sequential(7, INPUT,
                new Conv2D(4, 3).activation(Activation.RELU),
                new AveragePooling2D(2).padding(Padding.SAME),
                new Conv2D(6, 3).padding(Padding.SAME),
                new BatchNormalization(),
                new MaxPooling2D(2),
                new Flatten(),
                new Dropout(0.3),
                new Dense(16).activation(Activation.RELU),
                new Dense(5).activation(Activation.SOFTMAX));
    }

    private static Tensor images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * INPUT.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return new Tensor(INPUT.withBatch(n), x);
    }

    /** Trains two steps, so the weights and batch normalisation's moving averages are not the initial ones. */
    private static Sequential trained() {
        Sequential m = model();
        m.compile(new Adam(0.01), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        Tensor x = images(32, 1);
        int[] y = new int[32];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 5;
        }
        m.fit(Dataset.of(x, y, 5), new FitOptions().epochs(1).batchSize(16).verbose(0));
        return m;
    }

    @Test
    void manyThreadsMixingSingleSamplesAndBatchesGetPredictsBits() throws Exception {
        Sequential model = trained().threads(2);
        Tensor all = images(40, 2);
        float[] expectedBatch = model.predict(all).data();
        float[][] expectedSingle = new float[40][];
        for (int i = 0; i < 40; i++) {
            expectedSingle[i] = model.predict(single(all, i)).data();
        }
        Predictor predictor = model.predictor(3);
        int threads = 8;
        ExecutorService callers = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int caller = t;
                results.add(callers.submit((Callable<Integer>) () -> {
                    start.await();
                    SplittableRandom r = new SplittableRandom(caller);
                    float[] out = new float[40 * 5];
                    int checked = 0;
                    for (int call = 0; call < 150; call++) {
                        int i = r.nextInt(40);
                        switch (call % 3) {
                            case 0 -> assertArrayEquals(expectedSingle[i], predictor.predict(single(all, i)).data());
                            case 1 -> assertArrayEquals(expectedBatch, predictor.predict(all).data());
                            default -> {
                                predictor.predict(all.data(), 40, out);
                                assertArrayEquals(expectedBatch, out);
                            }
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertEquals(150, f.get());
            }
        } finally {
            callers.shutdown();
        }
        assertTrue(predictor.lanesKept() >= 1 && predictor.lanesKept() <= 3, "lanes kept: " + predictor.lanesKept());
    }

    /** What the guide promises: predicting an image alone gives the bits it gets among others, on every kernel path. */
    @Test
    void aRowsOutputDoesNotDependOnTheBatchItCameIn() {
        Sequential trained = trained();
        Tensor all = images(37, 3);
        for (Kernels k : new Kernels[] {new ReferenceKernels(), new JavaKernels(), KernelsProvider.vector()}) {
            Sequential model = trained.kernels(k);
            float[] batch = model.predict(all).data();
            assertArrayEquals(batch, model.predictor().predict(all).data(), k.toString());
            Predictor predictor = model.predictor(1);
            for (int i = 0; i < 37; i++) {
                float[] one = predictor.predict(single(all, i)).data();
                float[] row = java.util.Arrays.copyOfRange(batch, i * 5, i * 5 + 5);
                assertArrayEquals(row, one, k + ", sample " + i);
                assertArrayEquals(row, model.predict(single(all, i)).data(), k + ", sample " + i + " alone");
            }
        }
    }

    @Test
    void callsStartNoThreadAndKeepOneLaneOnOneThread() {
        Sequential model = trained().threads(2);
        Predictor predictor = model.predictor();
        Tensor one = single(images(1, 4), 0);
        Tensor batch = images(40, 5);
        predictor.predict(one);                       // warm-up: the first lane is made here
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        long started = bean.getTotalStartedThreadCount();
        int live = bean.getThreadCount();
        for (int i = 0; i < 500; i++) {
            predictor.predict(i % 10 == 0 ? batch : one);
        }
        assertEquals(started, bean.getTotalStartedThreadCount(), "threads started during 500 calls");
        assertEquals(live, bean.getThreadCount(), "live threads after 500 calls");
        assertEquals(1, predictor.lanesKept());
        // Sequential.predict on a batch of more than one shard starts worker threads on each call: what the predictor avoids
        model.predict(batch);
        assertTrue(bean.getTotalStartedThreadCount() > started, "Sequential.predict on 40 images with 2 threads");
    }

    @Test
    void theSnapshotIgnoresLaterTrainingAndNewWeights() {
        Sequential model = trained();
        Tensor x = images(20, 6);
        float[] before = model.predict(x).data();
        Predictor predictor = model.predictor();
        int[] y = new int[20];
        model.fit(Dataset.of(x, y, 5), new FitOptions().epochs(1).batchSize(10).verbose(0));
        float[] after = model.predict(x).data();
        assertFalse(java.util.Arrays.equals(before, after), "training changed the model");
        assertArrayEquals(before, predictor.predict(x).data());
        assertArrayEquals(after, model.predictor().predict(x).data());
        model.setWeights(model().getWeights());
        assertArrayEquals(before, predictor.predict(x).data());
    }

    @Test
    void customLayersArePredictedOnceRegistered() {
        ScaleLayer.register();
        Sequential model = new Sequential(3, INPUT, new ScaleLayer(0.5), new Flatten(), new Dense(4));
        Tensor x = images(18, 7);
        assertArrayEquals(model.predict(x).data(), model.predictor().predict(x).data());
    }

    @Test
    void misuseIsRefusedNamingShapesAndSizes() {
        Predictor predictor = model().predictor(2);
        assertEquals(INPUT, predictor.inputShape());
        assertEquals(Shape.of(5), predictor.outputShape());
        assertEquals(2, predictor.maxConcurrentCalls());
        IllegalArgumentException wrongShape = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(Tensor.zeros(3, 12, 12, 3)));
        assertEquals("model 'sequential' takes input of shape (n, 12, 12, 2) or (12, 12, 2) for one sample,"
                + " given (3, 12, 12, 3)", wrongShape.getMessage());
        IllegalArgumentException shortInput = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new float[288 * 2 - 1], 2, new float[10]));
        assertEquals("input holds 575 floats, fewer than 2 samples of shape (12, 12, 2) (288 floats each)"
                + " that model 'sequential' takes", shortInput.getMessage());
        IllegalArgumentException shortOutput = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new float[288 * 2], 2, new float[9]));
        assertEquals("output holds 9 floats, fewer than 2 outputs of shape (5,) (5 floats each) of model 'sequential'",
                shortOutput.getMessage());
        assertThrows(IllegalArgumentException.class, () -> predictor.predict(new float[288], 0, new float[5]));
        assertThrows(NullPointerException.class, () -> predictor.predict(null));
        IllegalArgumentException noLanes = assertThrows(IllegalArgumentException.class, () -> model().predictor(0));
        assertEquals("maxConcurrentCalls must be at least 1, found 0", noLanes.getMessage());
        IllegalStateException empty = assertThrows(IllegalStateException.class, () -> new Sequential(1, INPUT).predictor());
        assertEquals("model 'sequential' has no layers", empty.getMessage());
    }

    private static Tensor single(Tensor batch, int i) {
        return new Tensor(INPUT, java.util.Arrays.copyOfRange(batch.data(), i * INPUT.size(), (i + 1) * INPUT.size()));
    }
}
