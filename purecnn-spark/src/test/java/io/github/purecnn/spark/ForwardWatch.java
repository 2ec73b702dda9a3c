package io.github.purecnn.spark;

import io.github.purecnn.layers.Layers;
import org.apache.spark.TaskContext;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The identity, watching where its forward passes run while armed: on Spark task threads or on
 * others, how many at once, and in which instances of the layer (each model loaded from its file
 * has its own). Armed to make the first calls on task threads wait for each other, it makes tasks
 * meet inside one forward pass, so that they are known to have run at once. In local mode the
 * executor is this JVM, so the tests read it through static fields.
 */
final class ForwardWatch extends IdentityProbe {
    static final String TYPE = "ForwardWatch";
    /** How long a call waits for the others it is to meet: far beyond a forward pass, short of a hung test. */
    private static final long MEETING_SECONDS = 30;

    private static volatile boolean armed;
    private static volatile CountDownLatch meeting = new CountDownLatch(0);
    private static final AtomicInteger onTaskThreads = new AtomicInteger();
    private static final AtomicInteger offTaskThreads = new AtomicInteger();
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicInteger mostInFlight = new AtomicInteger();
    private static final Set<ForwardWatch> instances = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));

    static {
        Layers.register(TYPE, config -> new ForwardWatch());    // the executors load the model from its file
    }

    /**
     * Starts watching, from nothing: the first {@code callsToMeet} forward passes on task
     * threads each wait until all of them are running (or {@value #MEETING_SECONDS} s).
     */
    static void arm(int callsToMeet) {
        onTaskThreads.set(0);
        offTaskThreads.set(0);
        inFlight.set(0);
        mostInFlight.set(0);
        instances.clear();
        meeting = new CountDownLatch(callsToMeet);
        armed = true;
    }

    /** Stops watching; what was seen stays readable. */
    static void disarm() {
        armed = false;
    }

    /** Forward passes run on Spark task threads since {@link #arm}. */
    static int onTaskThreads() {
        return onTaskThreads.get();
    }

    /** Forward passes run on threads that are not Spark task threads (a pool's, say) since {@link #arm}. */
    static int offTaskThreads() {
        return offTaskThreads.get();
    }

    /** The most forward passes that ran at once on task threads since {@link #arm}. */
    static int mostInFlight() {
        return mostInFlight.get();
    }

    /** How many instances of the layer ran forward passes since {@link #arm}. */
    static int instances() {
        return instances.size();
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    @Override
    protected void probe() {
        if (!armed) {
            return;
        }
        instances.add(this);
        // TaskContext is per thread: a thread that Spark did not start for a task has none.
        if (TaskContext.get() == null) {
            offTaskThreads.incrementAndGet();
            return;
        }
        onTaskThreads.incrementAndGet();
        mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            CountDownLatch m = meeting;
            if (m.getCount() > 0) {
                m.countDown();
                m.await(MEETING_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
