package io.github.purecnn.spark;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The models loaded in this JVM, one predictor per model, shared by all the tasks that run here
 * whatever CPUs each is given. A model is keyed by the SHA-256 of its file, not by its broadcast:
 * broadcast ids start again from 0 in every SparkContext, and one JVM may see several in turn
 * (local mode, tests), while the same bytes always make the same model.
 *
 * <p>A model is loaded once: the first task to ask loads it while later ones for the same key
 * wait, and tasks for other models go on. At most {@link #CAPACITY} models stay; the least
 * recently asked for is dropped first (tasks still using it keep their reference), so a
 * long-lived executor that scores with many models in turn does not keep them all.
 */
final class ExecutorModels {
    /** Models kept per JVM. */
    static final int CAPACITY = 4;

    /** The models of this JVM. */
    static final ExecutorModels SHARED = new ExecutorModels(CAPACITY);

    /** Loads a model when no task of this JVM has yet. */
    interface Loader {
        ModelPredictor load() throws IOException;
    }

    private final Map<String, Slot> slots;
    private final AtomicLong loads = new AtomicLong();

    ExecutorModels(int capacity) {
        this.slots = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Slot> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The predictor of the model whose file has SHA-256 {@code sha256}, loaded by {@code loader}
     * if this JVM does not hold it yet.
     *
     * @throws IOException what the loader threw; the next call tries again
     */
    ModelPredictor get(String sha256, Loader loader) throws IOException {
        Slot slot;
        synchronized (slots) {
            slot = slots.computeIfAbsent(sha256, k -> new Slot());
        }
        return slot.get(loader);
    }

    /** How many models this JVM has loaded so far. */
    long loads() {
        return loads.get();
    }

    /** One model's place: filled once, by the first task that asks. */
    private final class Slot {
        private ModelPredictor predictor;

        synchronized ModelPredictor get(Loader loader) throws IOException {
            if (predictor == null) {
                predictor = loader.load();
                loads.incrementAndGet();
            }
            return predictor;
        }
    }
}
