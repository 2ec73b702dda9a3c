package io.github.purecnn.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that run the numbered tasks {@code 0 .. count-1} of one job, the caller
 * taking part, and return when all are done. Allocation-free per job, so a training step
 * allocates nothing. Each thread first runs its own contiguous share of the tasks, then helps
 * with the others', so which thread runs which task can vary from job to job; callers make every
 * task write only its own outputs, so results never depend on it.
 */
final class WorkerPool implements AutoCloseable {
    /** One job's work: task {@code index} of the current job, run by worker {@code worker} (0 is the calling thread). */
    interface Task {
        void run(int index, int worker);
    }

    // Busy-wait this many rounds before parking: jobs follow each other within microseconds in training.
    private static final int SPINS = 20_000;

    private final Thread[] workers;
    private final Thread owner;
    // Per worker w, its share of a job's tasks (see #share), which it runs first and the others take
    // only when they are done with theirs: the job's generation in the high 32 bits, the next
    // unclaimed task of the share in the low 32. A thread that wakes late for an old job can
    // never claim a task of the new one.
    private final AtomicLongArray cursors;
    private final AtomicInteger done = new AtomicInteger();
    private volatile Task task;
    private volatile int count;
    private volatile long generation;
    private volatile boolean closed;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** A pool of {@code threads} threads in all, the calling thread included. */
    WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, found " + threads);
        }
        owner = Thread.currentThread();
        cursors = new AtomicLongArray(threads);
        workers = new Thread[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int worker = i + 1;
            Thread t = new Thread(() -> workerLoop(worker), "purecnn-worker-" + worker);
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    int threads() {
        return workers.length + 1;
    }

    /** Runs tasks {@code 0 .. taskCount-1} and returns when all have finished; rethrows the first failure. */
    void run(int taskCount, Task job) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a worker pool is driven by the thread that made it");
        }
        if (workers.length == 0 || taskCount <= 1) {
            for (int i = 0; i < taskCount; i++) {
                job.run(i, 0);
            }
            return;
        }
        // The cursors move to the new generation before anything else of the job is published: a
        // worker still holding the old generation then fails every claim, whatever it reads next.
        long gen = generation + 1;
        for (int w = 0; w < cursors.length(); w++) {
            cursors.set(w, gen << 32);
        }
        failure.set(null);
        task = job;
        count = taskCount;
        done.set(0);
        generation = gen;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        work(job, taskCount, gen, 0);
        int spins = 0;
        while (done.get() < taskCount) {
            if (++spins < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        task = null;
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) {
            throw re;
        } else if (f instanceof Error e) {
            throw e;
        } else if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    /**
     * Runs unclaimed tasks of the job: first this worker's share, then the others'. Shares are
     * contiguous and the same from job to job, so a worker keeps meeting the same data (a training
     * step's shards, a reduction's parameter ranges) in its own core's cache, while a late worker's
     * tasks are still taken by the others.
     */
    private void work(Task job, int taskCount, long gen, int worker) {
        int shares = cursors.length();
        for (int k = 0; k < shares; k++) {
            int share = (worker + k) % shares;
            int from = (int) ((long) share * taskCount / shares), to = (int) ((long) (share + 1) * taskCount / shares);
            while (true) {
                long c = cursors.get(share);
                int i = from + (int) c;
                if ((c >>> 32) != gen || i >= to) {
                    break;
                }
                if (!cursors.compareAndSet(share, c, c + 1)) {
                    continue;
                }
                try {
                    job.run(i, worker);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                if (done.incrementAndGet() == taskCount) {
                    LockSupport.unpark(owner);
                }
            }
        }
    }

    private void workerLoop(int worker) {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (++spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            Task job = task;
            int taskCount = count;
            if (job != null) {
                work(job, taskCount, seen, worker);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
