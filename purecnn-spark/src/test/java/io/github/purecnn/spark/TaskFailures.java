package io.github.purecnn.spark;

import io.github.purecnn.layers.Layers;
import org.apache.spark.TaskContext;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The identity, except inside a Spark task when armed: then its forward pass throws, on a task's
 * first attempt only or on every attempt. Outside tasks (fit, and the trainer's checks on the
 * driver) it never throws, so fit with the same model gives the weights to compare with. In
 * local mode the executor is this JVM, so the tests arm it through static fields.
 */
final class TaskFailures extends IdentityProbe {
    /** When a task's forward pass throws. */
    enum Mode { NEVER, FIRST_ATTEMPTS, ALWAYS }

    static final String TYPE = "TaskFailures";

    private static volatile Mode mode = Mode.NEVER;
    private static final AtomicInteger thrown = new AtomicInteger();

    static {
        Layers.register(TYPE, config -> new TaskFailures());    // the executors load the model from its file
    }

    /** Arms (or disarms, with NEVER) every instance and forgets the failures counted so far. */
    static void arm(Mode when) {
        mode = when;
        thrown.set(0);
    }

    /** The failures thrown since the last {@link #arm}. */
    static int thrown() {
        return thrown.get();
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    @Override
    protected void probe() {
        TaskContext task = TaskContext.get();
        if (task != null && (mode == Mode.ALWAYS || mode == Mode.FIRST_ATTEMPTS && task.attemptNumber() == 0)) {
            thrown.incrementAndGet();
            throw new IllegalStateException("injected failure in stage " + task.stageId() + ", partition "
                    + task.partitionId() + ", attempt " + task.attemptNumber());
        }
    }
}
