package io.github.purecnn.model;

import io.github.purecnn.kernels.Kernels;
import io.github.purecnn.kernels.KernelsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a batch engine leaves its start path for its steady one: the one place that decides it.
 *
 * <p>Vector API code is very slow until the JIT's last tier has compiled it (before that every
 * vector is an object), and compiling it costs the JIT seconds of work that plain Java loops do
 * not: on a short run the Vector API path loses more to its warm-up than its faster kernels gain
 * back. So an engine on the start-up choice of the Vector API path (see
 * {@link KernelsProvider#startPath}) runs its batches on plain Java while the run ahead of it is
 * short, and moves to the Vector API for good once the rest of the run, at the fastest plain-Java
 * batch seen so far, would take longer than {@link #WORTH_NANOS}. Every path computes the same
 * bits, so where an engine switches changes its speed only, never its results.
 *
 * <p>Once one engine has switched, the JVM's later engines start on the steady path: its code is
 * compiled by then, or about to be.
 */
final class PathSwitch {
    private static final Logger LOG = LoggerFactory.getLogger(PathSwitch.class);
    /**
     * Remaining plain-Java time above which the steady path pays for its warm-up. On the seed
     * model, 2,000 images for 2 epochs and the test set's evaluation took about 2 s more as a
     * whole JVM run on the Vector API from the start than on plain Java (5.0 s against 3.1 s on a
     * quiet 2-core machine), while the Vector API's steps run about 3 times as fast once compiled
     * (the seed's epoch: 0.9 s against 2.9 s); so moving pays when the plain-Java work left
     * exceeds about 1.5 times that warm-up.
     */
    static final long WORTH_NANOS = 3_000_000_000L;
    /**
     * How long the start path runs before the first decision: its first batches run interpreted,
     * many times slower than once compiled, and would make any run look long. Half a second lets
     * the plain-Java loops reach compiled code (hot loops compile on the stack), which costs a long
     * run little: on the Vector API that half second would still be warm-up.
     */
    static final long SETTLE_NANOS = 500_000_000L;
    /** Batches timed before the first decision, whatever the time: the first interval includes class loading. */
    private static final int TIMED_BATCHES = 2;

    private static volatile boolean steadyWarm;

    private final Kernels start;
    private final long plannedBatches;
    /** The batch index at which the switch is forced, or -1 to decide by the run's length. */
    private final long forcedAt;
    /** Whether leaving tells the JVM's later engines that the steady path is warm (the start-up path's switches). */
    private final boolean warmsJvm;
    private long batches;
    private long firstStart;
    private long lastStart;
    private long fastest = Long.MAX_VALUE;

    private PathSwitch(Kernels start, long plannedBatches, long forcedAt, boolean warmsJvm) {
        this.start = start;
        this.plannedBatches = plannedBatches;
        this.forcedAt = forcedAt;
        this.warmsJvm = warmsJvm;
    }

    /**
     * The switch for an engine on {@code steady} that expects to run {@code plannedBatches}
     * batches, or null when it runs on steady from the start.
     */
    static PathSwitch forRun(Kernels steady, long plannedBatches) {
        Kernels start = KernelsProvider.startPath(steady);
        return start == null || steadyWarm ? null : new PathSwitch(start, plannedBatches, -1, true);
    }

    /** A switch from {@code start} decided by the run's length as {@link #forRun}'s, that leaves the JVM's later engines alone: for tests. */
    static PathSwitch byRunLength(Kernels start, long plannedBatches) {
        return new PathSwitch(start, plannedBatches, -1, false);
    }

    /** A switch from {@code start} to the engine's own path before batch {@code batch} (0-based), whatever the run's length: for tests. */
    static PathSwitch forcedAt(Kernels start, long batch) {
        if (batch < 0) {
            throw new IllegalArgumentException("the switch batch must be at least 0, found " + batch);
        }
        return new PathSwitch(start, Long.MAX_VALUE, batch, false);
    }

    /** The path the engine starts on. */
    Kernels start() {
        return start;
    }

    /**
     * Called before each batch the engine runs, on the thread that drives it: whether this batch
     * still runs on the start path. Once false, the engine never asks again.
     */
    boolean stayOnStart() {
        return stayOnStart(System.nanoTime());
    }

    /** {@link #stayOnStart()} at time {@code now} (nanoseconds). */
    boolean stayOnStart(long now) {
        if (batches > 0) {
            fastest = Math.min(fastest, now - lastStart);
        } else {
            firstStart = now;
        }
        lastStart = now;
        long index = batches++;
        if (forcedAt >= 0) {
            return index < forcedAt;
        }
        if (index < TIMED_BATCHES || now - firstStart < SETTLE_NANOS) {
            return true;
        }
        // fastest * left, without overflow: the run ahead at the best plain-Java pace seen
        long left = plannedBatches - index;
        boolean worth = left > WORTH_NANOS / Math.max(1, fastest);
        if (worth && warmsJvm) {
            steadyWarm = true;
        }
        if (worth && LOG.isDebugEnabled()) {
            LOG.debug("leaving the {} path before batch {} of {}: {} ms a batch there at best",
                    start.name(), index, plannedBatches, fastest / 1_000_000.0);
        }
        return !worth;
    }
}
