package io.github.purecnn.spark;

import io.github.purecnn.model.Sequential;
import org.apache.spark.broadcast.Broadcast;

import java.io.IOException;
import java.io.Serializable;

/**
 * A model on its way to the executors: its file's bytes as a broadcast, which each executor
 * fetches once, with their SHA-256 and the name of where they came from. Tasks serialize only
 * this small handle, never the model.
 */
final class ShippedModel implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<byte[]> bytes;
    private final String sha256;
    private final String source;

    ShippedModel(Broadcast<byte[]> bytes, String sha256, String source) {
        this.bytes = bytes;
        this.sha256 = sha256;
        this.source = source;
    }

    /**
     * This JVM's predictor for the model, loaded by the first task that asks and shared by all:
     * each task's calls run on its own thread.
     *
     * @throws IOException naming the model's source when its bytes cannot be loaded
     */
    ModelPredictor predictor() throws IOException {
        return ExecutorModels.SHARED.get(sha256, () -> new ModelPredictor(model()));
    }

    /**
     * A new model loaded from the broadcast bytes, once they are checked against their SHA-256:
     * each call loads its own (training gives every task thread a replica of its own).
     *
     * @throws IOException naming the model's source when its bytes arrived damaged or cannot be loaded
     */
    Sequential model() throws IOException {
        byte[] value = bytes.value();
        String arrived = ModelBytes.sha256(value);
        if (!arrived.equals(sha256)) {
            throw new IOException(source + ": the model's bytes arrived with SHA-256 " + arrived + ", they were sent with "
                    + sha256);
        }
        return ModelBytes.load(value, source);
    }

    /** Frees the broadcast on the driver and the executors; the model cannot be used after. */
    void destroy() {
        bytes.destroy();
    }
}
