package io.github.purecnn.spark;

import io.github.purecnn.model.LeNet;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One predictor per JVM and model: loaded once however many tasks ask at once, kept within bounds. */
class ExecutorModelsTest {
    private static ModelPredictor predictor() {
        return new ModelPredictor(LeNet.create(1));
    }

    @Test
    void tasksAskingAtOnceShareOneLoad() throws Exception {
        ExecutorModels models = new ExecutorModels(4);
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ModelPredictor>> asked = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                asked.add(pool.submit(() -> {
                    start.await();
                    return models.get("a", () -> {
                        loads.incrementAndGet();
                        return predictor();
                    });
                }));
            }
            start.countDown();
            ModelPredictor first = asked.get(0).get(30, TimeUnit.SECONDS);
            for (Future<ModelPredictor> f : asked) {
                assertSame(first, f.get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, loads.get());
        assertEquals(1, models.loads());
    }

    @Test
    void modelsAreKeptApart() throws IOException {
        ExecutorModels models = new ExecutorModels(4);
        ModelPredictor a = models.get("a", ExecutorModelsTest::predictor);
        ModelPredictor b = models.get("b", ExecutorModelsTest::predictor);
        assertNotSame(a, b);
        assertSame(a, models.get("a", ExecutorModelsTest::predictor));
        assertSame(b, models.get("b", ExecutorModelsTest::predictor));
        assertEquals(2, models.loads());
    }

    @Test
    void theLeastRecentlyUsedModelGoesBeyondCapacity() throws IOException {
        ExecutorModels models = new ExecutorModels(2);
        ModelPredictor a = models.get("a", ExecutorModelsTest::predictor);
        models.get("b", ExecutorModelsTest::predictor);
        assertSame(a, models.get("a", ExecutorModelsTest::predictor));   // a used last
        models.get("c", ExecutorModelsTest::predictor);                  // b goes
        assertSame(a, models.get("a", ExecutorModelsTest::predictor));
        assertEquals(3, models.loads());
        models.get("b", ExecutorModelsTest::predictor);                  // loaded again
        assertEquals(4, models.loads());
    }

    @Test
    void aFailedLoadIsRetriedByTheNextTask() throws IOException {
        ExecutorModels models = new ExecutorModels(2);
        String key = "a";
        IOException e = assertThrows(IOException.class, () -> models.get(key, () -> {
            throw new IOException("lenet.purecnn: damaged");
        }));
        assertEquals("lenet.purecnn: damaged", e.getMessage());
        assertTrue(models.get(key, ExecutorModelsTest::predictor) != null);
        assertEquals(1, models.loads());
    }
}
